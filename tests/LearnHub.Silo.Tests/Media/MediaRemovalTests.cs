using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Media;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Media;

/// <summary>Deleting handouts and recordings: a stored file goes with the last row naming it (as file or captions), on both engines.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class MediaRemovalTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, MediaFiles Files, SqlMediaStore Media, MediaRemoval Removal, Guid Session, Guid OtherSession);

    private async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new TestCatalog(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Series", ""), default);
        Task<Guid> SessionAsync() => catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Webinar", "", _clock.GetUtcNow().AddDays(2),
            _clock.GetUtcNow().AddDays(2).AddHours(1), "UTC", 10, []), default);
        var files = new MediaFiles(Options.Create(new LearnHubOptions { DataDirectory = fixture.NewDirectory() }));
        var removal = new MediaRemoval(database, files);
        var media = new SqlMediaStore(database, _clock, Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example.org" }), files, removal);
        return new World(database, files, media, removal, await SessionAsync(), await SessionAsync());
    }

    private static async Task<string> StoreAsync(World world, string content) =>
        await world.Files.StoreTextAsync(content, default);

    private static Task<Guid> HandoutAsync(World world, Guid session, string sha) =>
        AddAsync(world, new MediaDraft(session, MediaKind.Handout, "Slides", MediaVisibility.Public, "s.pdf", "application/pdf", sha, 10));

    private static Task<Guid> RecordingAsync(World world, Guid session, string video, string captions) =>
        AddAsync(world, new MediaDraft(session, MediaKind.Recording, "Recording", MediaVisibility.Public, "r.webm", "video/webm", video, 10,
            CaptionsSha256: captions));

    // The store itself (what the media grain calls): these specifications are about files and rows under concurrency.
    private static async Task<Guid> AddAsync(World world, MediaDraft draft)
    {
        var id = Guid.NewGuid();
        await world.Media.AddAsync(id, draft, default);
        return id;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AFileSharedByTwoHandouts_StaysUntilTheLastOneIsDeleted(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var sha = await StoreAsync(world, "%PDF-1.4 shared slides");
        var first = await HandoutAsync(world, world.Session, sha);
        var second = await HandoutAsync(world, world.OtherSession, sha);

        var removedFirst = await world.Removal.DeleteAsync(world.Session, first, default);

        Assert.Empty(removedFirst!.FilesRemoved);
        Assert.Null(await world.Media.FindAsync(first, default));
        Assert.True(world.Files.Exists(sha));
        Assert.NotNull(await world.Media.FindAsync(second, default));

        var removedSecond = await world.Removal.DeleteAsync(world.OtherSession, second, default);

        Assert.Equal([sha], removedSecond!.FilesRemoved);
        Assert.False(world.Files.Exists(sha));
        Assert.DoesNotContain(world.Files.AllFiles(), f => f.Contains("removed-", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task DeletingARecording_RemovesItsVideo_ButKeepsCaptionsAnotherRecordingUses(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var videoA = await StoreAsync(world, "video A");
        var videoB = await StoreAsync(world, "video B");
        var captions = await StoreAsync(world, "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n");
        var a = await RecordingAsync(world, world.Session, videoA, captions);
        var b = await RecordingAsync(world, world.Session, videoB, captions);

        var removed = await world.Removal.DeleteAsync(world.Session, a, default);

        Assert.Equal([videoA], removed!.FilesRemoved);
        Assert.True(world.Files.Exists(captions));
        Assert.True(world.Files.Exists(videoB));

        Assert.Equal(new[] { captions, videoB }.Order(), (await world.Removal.DeleteAsync(world.Session, b, default))!.FilesRemoved.Order());
        Assert.False(world.Files.Exists(captions));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AVideoThatIsAlsoAnotherRecordingsCaptionsOrAHandout_CountsAsAReference(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var shared = await StoreAsync(world, "the same bytes");
        var recording = await RecordingAsync(world, world.Session, await StoreAsync(world, "video"), shared);
        await HandoutAsync(world, world.OtherSession, shared);

        var removed = await world.Removal.DeleteAsync(world.Session, recording, default);

        Assert.DoesNotContain(shared, removed!.FilesRemoved);
        Assert.True(world.Files.Exists(shared));
    }

    [Fact]
    public async Task ACaptionsEditRacingTheDeleteOfTheSameRecording_LeavesNoFileThatNoRowNames()
    {
        // PostgreSQL only: SQLite's one writer runs the two one after the other anyway.
        var world = await WorldAsync(DatabaseProvider.PostgreSql);
        var video = await StoreAsync(world, "video");
        var captions = await StoreAsync(world, "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n");
        var corrected = await StoreAsync(world, "WEBVTT\n\n00:00.000 --> 00:01.000\nHello, world\n");
        var recording = await RecordingAsync(world, world.Session, video, captions);

        // Someone else holds the old captions' content lock (an upload of the same bytes, say) while both start.
        await using var holder = (Npgsql.NpgsqlConnection)await world.Database.OpenAsync(default);
        await using var held = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = "media:" + captions }, held);
        var edit = world.Removal.ReplaceCaptionsAsync(world.Session, recording, corrected, default);
        await WaitersAsync(world, 1);
        var delete = world.Removal.DeleteAsync(world.Session, recording, default);
        await WaitersAsync(world, 2);
        await held.CommitAsync();
        await edit;
        await delete;

        Assert.Null(await world.Media.FindAsync(recording, default));
        Assert.Empty(world.Files.AllFiles());
    }

    private static async Task WaitersAsync(World world, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var connection = await world.Database.OpenAsync(default);
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") >= count)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Fewer than {count} transactions waited for a lock.");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnItemAskedForUnderAnotherSession_IsNotDeleted(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var sha = await StoreAsync(world, "slides");
        var handout = await HandoutAsync(world, world.Session, sha);

        Assert.Null(await world.Removal.DeleteAsync(world.OtherSession, handout, default));
        Assert.NotNull(await world.Media.FindAsync(handout, default));
        Assert.True(world.Files.Exists(sha));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnUploadWhoseFileWasDeletedMeanwhile_IsRefused_AndStoresNoRow(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var sha = await StoreAsync(world, "slides");
        var handout = await HandoutAsync(world, world.Session, sha);
        await world.Removal.DeleteAsync(world.Session, handout, default);

        // As if the same bytes had been committed just before the deletion and the row came after it.
        await Assert.ThrowsAsync<DomainException>(() => HandoutAsync(world, world.OtherSession, sha));
        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM session_media"));
    }
}
