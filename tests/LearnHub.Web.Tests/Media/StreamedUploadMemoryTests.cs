using System.Net;
using System.Net.Http.Headers;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Media;

/// <summary>
/// An upload streams to disk: a 96 MiB recording goes through the app's real HTTP pipeline (antiforgery, multipart
/// reading, hashing, the content-addressed store) while the whole process allocates far less than the file. Were the
/// form buffered anywhere (model binding, a MemoryStream, reading the form before the antiforgery check) the
/// allocations would reach the file's size; the negative control shows the measure sees exactly that.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class StreamedUploadMemoryTests(DatabaseFixture fixture)
{
    private const long FileSize = 96L << 20;

    // A quarter of the file: room for the test host, the database and whatever else runs in this process meanwhile,
    // and still far below what buffering the upload would cost.
    private const long AllowedGrowth = FileSize / 4;

    [Fact]
    public async Task ALargeRecordingUpload_AllocatesFarLessThanTheFile_AndIsStoredWhole()
    {
        await using var app = new LearnHubWebFactory(fixture.NewDirectory());
        var organizer = await app.SignedInClientAsync(await app.AccountAsync(Role.Organizer));
        var (_, session, _) = await app.SeriesWithWebinarAsync();
        var token = Forms.AntiforgeryToken(await organizer.GetStringAsync($"/organizer/sessions/{session}/upload"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("A long recording"), "Title" },
            { new StringContent("registrants"), "Visibility" },
        };
        var video = new StreamContent(new GeneratedVideo(FileSize), 64 * 1024);
        video.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(video, "Video", "long.mp4");

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var response = await organizer.PostAsync($"/organizer/sessions/{session}/upload?handler=Recording", form);
        var grown = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        await using (var connection = await app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            Assert.Equal(FileSize, await connection.ExecuteScalarAsync<long>("SELECT size_bytes FROM session_media"));
        }

        Assert.Contains(app.Services.GetRequiredService<MediaFiles>().AllFiles(), f => new FileInfo(f).Length == FileSize);
        Assert.True(grown < AllowedGrowth, $"The upload of {FileSize >> 20} MiB allocated {grown >> 20} MiB in the process (allowed {AllowedGrowth >> 20} MiB).");
    }

    [Fact]
    public async Task NegativeControl_BufferingTheSameStream_IsSeenByTheSameMeasure()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var buffer = new MemoryStream();
        await new GeneratedVideo(FileSize).CopyToAsync(buffer);
        var grown = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(grown >= FileSize, $"Buffering {FileSize >> 20} MiB allocated only {grown >> 20} MiB.");
    }

    /// <summary>An MP4 of <c>length</c> bytes produced on the fly: the ftyp box the upload recognises, then zeros.</summary>
    private sealed class GeneratedVideo(long length) : Stream
    {
        private static readonly byte[] Header = [0, 0, 0, 0x18, .. "ftypmp42"u8, 0, 0, 0, 0, .. "isommp42"u8];
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var target = buffer[..n];
            target.Clear();
            if (_position < Header.Length)
            {
                var from = (int)_position;
                var take = Math.Min(n, Header.Length - from);
                Header.AsSpan(from, take).CopyTo(target);
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
