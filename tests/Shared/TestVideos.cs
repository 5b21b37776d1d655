using System.Buffers.Binary;
using System.Text;

namespace LearnHub.Testing;

/// <summary>
/// Media containers made in memory (this machine has no encoder): an MP4 and a WebM whose headers state a length, as a
/// recording's would, for what the server reads from a file; and a WebM a browser really plays (a tone, as 16-bit PCM,
/// which Chromium decodes without any codec library), for the journeys that watch one.
/// </summary>
public static class TestVideos
{
    /// <summary>An MP4 (ISO base media) of <paramref name="length"/>: ftyp, then moov with its movie header.</summary>
    public static byte[] Mp4(TimeSpan length)
    {
        var movieHeader = new byte[100];
        // version 0, flags 0, creation and modification times 0, then the timescale (ticks a second) and the duration.
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(12), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(16), (uint)length.TotalMilliseconds);
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(20), 0x00010000); // rate 1.0
        BinaryPrimitives.WriteUInt16BigEndian(movieHeader.AsSpan(24), 0x0100);     // volume 1.0
        // The identity matrix (16.16 and 2.30 fixed point), then pre-defined zeros and the next track id.
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(36), 0x00010000);
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(52), 0x00010000);
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(68), 0x40000000);
        BinaryPrimitives.WriteUInt32BigEndian(movieHeader.AsSpan(96), 2);
        return [.. Box("ftyp", [.. "isom"u8, 0, 0, 2, 0, .. "isom"u8, .. "mp42"u8]), .. Box("moov", Box("mvhd", movieHeader)), .. Box("free", new byte[64])];
    }

    /// <summary>A WebM of <paramref name="length"/>: the EBML header, then a segment whose info states the duration.</summary>
    public static byte[] WebM(TimeSpan length)
    {
        byte[] header = Element(0x1A45DFA3, [
            .. Element(0x4286, [1]), .. Element(0x42F7, [1]), .. Element(0x42F2, [4]), .. Element(0x42F3, [8]),
            .. Element(0x4282, Encoding.ASCII.GetBytes("webm")), .. Element(0x4287, [2]), .. Element(0x4285, [2])]);
        var duration = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(duration, length.TotalMilliseconds); // in timecode-scale units: milliseconds
        byte[] info = Element(0x1549A966, [
            .. Element(0x2AD7B1, [0x0F, 0x42, 0x40]), // timecode scale 1,000,000 ns
            .. Element(0x4489, duration),
            .. Element(0x4D80, Encoding.ASCII.GetBytes("LearnHub tests")), .. Element(0x5741, Encoding.ASCII.GetBytes("LearnHub tests"))]);
        return [.. header, .. Element(0x18538067, info)];
    }

    /// <summary>
    /// A WebM of <paramref name="length"/> that Chromium plays: one PCM audio track (8 kHz, mono, 16-bit) of a quiet
    /// 440 Hz tone, in one cluster a second of ten 100 ms blocks. About 16 KB a second.
    /// </summary>
    public static byte[] PlayableWebM(TimeSpan length)
    {
        const int Rate = 8000;
        byte[] header = Element(0x1A45DFA3, [
            .. Element(0x4286, [1]), .. Element(0x42F7, [1]), .. Element(0x42F2, [4]), .. Element(0x42F3, [8]),
            .. Element(0x4282, Encoding.ASCII.GetBytes("webm")), .. Element(0x4287, [4]), .. Element(0x4285, [2])]);
        var duration = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(duration, length.TotalMilliseconds);
        byte[] info = Element(0x1549A966, [.. Element(0x2AD7B1, [0x0F, 0x42, 0x40]), .. Element(0x4489, duration),
            .. Element(0x4D80, Encoding.ASCII.GetBytes("LearnHub tests")), .. Element(0x5741, Encoding.ASCII.GetBytes("LearnHub tests"))]);
        var rate = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(rate, Rate);
        byte[] tracks = Element(0x1654AE6B, Element(0xAE, [
            .. Element(0xD7, [1]), .. Element(0x73C5, [1]), .. Element(0x83, [2]), .. Element(0x86, Encoding.ASCII.GetBytes("A_PCM/INT/LIT")),
            .. Element(0xE1, [.. Element(0xB5, rate), .. Element(0x9F, [1]), .. Element(0x6264, [16])])]));
        var clusters = new List<byte>();
        var tick = 0L;
        for (var second = 0; second < (int)Math.Ceiling(length.TotalSeconds); second++)
        {
            var blocks = new List<byte>();
            for (var block = 0; block < 10; block++)
            {
                // A simple block: track 1, its time within the cluster (ms), keyframe flag, then little-endian samples.
                var body = new byte[4 + (Rate / 10 * 2)];
                body[0] = 0x81;
                BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(1), (short)(block * 100));
                body[3] = 0x80;
                for (var i = 0; i < Rate / 10; i++, tick++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(body.AsSpan(4 + (2 * i)), (short)(2000 * Math.Sin(2 * Math.PI * 440 * tick / Rate)));
                }

                blocks.AddRange(Element(0xA3, body));
            }

            var timecode = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(timecode, (uint)(second * 1000));
            clusters.AddRange(Element(0x1F43B675, [.. Element(0xE7, timecode), .. blocks]));
        }

        return [.. header, .. Element(0x18538067, [.. info, .. tracks, .. clusters])];
    }

    private static byte[] Box(string type, byte[] body)
    {
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        body.CopyTo(box, 8);
        return box;
    }

    // An EBML element: its id as written (1–4 bytes), its size as an 8-byte variable-length integer, its body.
    private static byte[] Element(uint id, byte[] body)
    {
        var idBytes = id switch { <= 0xFF => 1, <= 0xFFFF => 2, <= 0xFFFFFF => 3, _ => 4 };
        var element = new byte[idBytes + 8 + body.Length];
        for (var i = 0; i < idBytes; i++)
        {
            element[i] = (byte)(id >> (8 * (idBytes - 1 - i)));
        }

        element[idBytes] = 0x01;
        for (var i = 0; i < 7; i++)
        {
            element[idBytes + 1 + i] = (byte)((ulong)body.Length >> (8 * (6 - i)));
        }

        body.CopyTo(element, idBytes + 8);
        return element;
    }
}
