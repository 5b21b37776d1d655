using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Media;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Media;

/// <summary>
/// What is stored of watching (issue 14): a recording's length read from its file at upload, and each viewer's progress
/// row, which never goes backwards and goes with the recording — on both engines.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RecordingViewStoreTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("video/mp4")]
    [InlineData("video/webm")]
    public void ARecordingsLength_IsReadFromItsContainer(string contentType)
    {
        var length = TimeSpan.FromMinutes(61) + TimeSpan.FromSeconds(7.5);
        var path = Path.Combine(fixture.NewDirectory(), "video");
        File.WriteAllBytes(path, contentType == "video/mp4" ? TestVideos.Mp4(length) : TestVideos.WebM(length));

        Assert.Equal(length.TotalSeconds, MediaLength.Seconds(path, contentType)!.Value, precision: 2);
    }

    [Fact]
    public void AFileWhoseHeaderStatesNoLength_HasNone()
    {
        var path = Path.Combine(fixture.NewDirectory(), "video");
        File.WriteAllBytes(path, [0, 0, 0, 0x18, .. "ftypmp42"u8, .. new byte[4000]]);

        Assert.Null(MediaLength.Seconds(path, "video/mp4"));
        Assert.Null(MediaLength.Seconds(path, "application/pdf"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AView_IsStoredAndRestored_NeverGoesBackwards_IsNeverWrittenForAnErasedPerson_AndGoesWithItsRecording(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new TestCatalog(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Series", ""), default);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Webinar", "", _clock.GetUtcNow().AddDays(-2),
            _clock.GetUtcNow().AddDays(-2).AddHours(1), "UTC", 10, []), default);
        var files = new MediaFiles(Options.Create(new LearnHubOptions { DataDirectory = fixture.NewDirectory() }));
        var media = new SqlMediaStore(database, _clock, Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example.org" }), files,
            new MediaRemoval(database, files));
        var recording = Guid.NewGuid();
        await media.AddAsync(recording, new MediaDraft(session, MediaKind.Recording, "Recording", MediaVisibility.Public, "r.mp4", "video/mp4",
            await files.StoreTextAsync("video", default), 5) { LengthSeconds = 600.25 }, default);
        Assert.Equal(600.25, (await media.FindAsync(recording, default))!.LengthSeconds);

        var store = new SqlRecordingViewStore(database, []);
        var watcher = new Watcher(Guid.NewGuid(), null);
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                           status, sequence, registered_utc_ms)
                VALUES (@id, @session, @group, 'secret', 'Robin Diaz', 'robin@example.org', 'robin@example.org', 'County', 'Caseworker', 'UTC', '', 'confirmed', 1, 0)
                """, new { id = watcher.RegistrationId.ToString(), session = session.ToString(), group = Guid.NewGuid().ToString() });
        }

        Assert.Null(await store.LoadAsync(recording, watcher, default));

        var progress = new WatchProgress();
        progress.Add([new PlayedSpan(0, 15), new PlayedSpan(100, 112.5)], 600.25, _clock.GetUtcNow());
        await store.SaveAsync(recording, watcher, progress, 600.25, _clock.GetUtcNow(), default);
        var stored = await store.LoadAsync(recording, watcher, default);
        Assert.Equal([new PlayedSpan(0, 15), new PlayedSpan(100, 112.5)], stored!.Spans);
        Assert.Equal(112.5, stored.Position);
        var restored = WatchProgress.Restore(stored.Spans, stored.LastReportAt, stored.Position);
        Assert.Equal(27.5, restored.Covered);

        // A stale second activation holding less than is stored writes nothing.
        var stale = new WatchProgress();
        stale.Add([new PlayedSpan(0, 5)], 600.25, _clock.GetUtcNow());
        await store.SaveAsync(recording, watcher, stale, 600.25, _clock.GetUtcNow(), default);
        Assert.Equal(27.5, WatchProgress.Restore((await store.LoadAsync(recording, watcher, default))!.Spans, null, 0).Covered);

        // Erasure wins: once the registration is anonymized, a grain still holding progress in memory writes nothing,
        // and a signed-in viewer without an account (erased) is never written.
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("DELETE FROM recording_views");
            await connection.ExecuteAsync("UPDATE registrations SET email_normalized = 'erased-1@erased.invalid'");
        }

        await store.SaveAsync(recording, watcher, progress, 600.25, _clock.GetUtcNow(), default);
        await store.SaveAsync(recording, new Watcher(null, "gone@example.org"), progress, 600.25, _clock.GetUtcNow(), default);
        Assert.Null(await store.LoadAsync(recording, watcher, default));
        Assert.Null(await store.LoadAsync(recording, new Watcher(null, "gone@example.org"), default));
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE registrations SET email_normalized = 'robin@example.org'");
        }

        await store.SaveAsync(recording, watcher, progress, 600.25, _clock.GetUtcNow(), default);
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("DELETE FROM session_media WHERE id = @id", new { id = recording.ToString() });
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recording_views"));
        }
    }
}
