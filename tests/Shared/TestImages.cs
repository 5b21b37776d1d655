using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LearnHub.Testing;

/// <summary>
/// Real PNG files made in memory (no image library is needed for it): a logo or a signature a test uploads is a valid
/// image that browsers, mail clients and the PDF writer decode, drawn so a screenshot shows where it landed.
/// </summary>
public static class TestImages
{
    /// <summary>An RGB PNG of <paramref name="width"/>×<paramref name="height"/>: a coloured band with a diagonal stroke.</summary>
    public static byte[] Png(int width, int height, (byte R, byte G, byte B) ink = default)
    {
        var colour = ink == default ? ((byte)13, (byte)42, (byte)74) : ink;
        var raw = new byte[height * ((width * 3) + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * ((width * 3) + 1);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                // A stroke from the bottom left to the top right, three pixels thick, over a light background.
                var onStroke = Math.Abs((height - 1 - y) - (x * (height - 1) / Math.Max(1, width - 1))) <= 1;
                var onBand = y < height / 4;
                var (r, g, b) = onStroke || onBand ? colour : ((byte)245, (byte)247, (byte)250);
                raw[row + 1 + (x * 3)] = r;
                raw[row + 2 + (x * 3)] = g;
                raw[row + 3 + (x * 3)] = b;
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    // PNG's CRC-32 (ISO 3309, polynomial 0xEDB88320), bit by bit: the images are small, and the framework's
    // System.IO.Hashing is a package of its own.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }
}
