using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Catalog;

/// <summary>
/// What the organizer pages store through the series and session grains, on both engines: rich text rendered and
/// sanitized, tracks, drafts, presenters — and what the public catalog grain then lists.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class OrganizerCatalogTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private sealed record World(GrainCatalog Catalog, LearnHubDatabase Database, Guid Series, TestSilo Silo) : IAsyncDisposable
    {
        public Task<SeriesView?> PublicAsync() => Silo.Grains.Catalog().SeriesAsync("youth-justice");

        public ValueTask DisposeAsync() => Silo.DisposeAsync();
    }

    private async Task<World> SeriesAsync(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var silo = await TestSilo.StartAsync(database, _clock);
        var catalog = new GrainCatalog(silo.Services, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("youth-justice", "Youth Justice", "**Bold** <script>alert(1)</script>", ["youth", "forensic"]), default);
        return new World(catalog, database, series, silo);
    }

    private SessionDraft Draft(Guid series, bool published, string bio = "") => new(series, SessionKind.NationalWebinar, "Diversion That Works",
        "A [guide](https://example.org) <img src=x onerror=alert(1)>", _clock.GetUtcNow().AddDays(3), _clock.GetUtcNow().AddDays(3).AddHours(1),
        "America/Denver", 50, [new Presenter("Sam Lee", "County court", bio)], Published: published);

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASeries_KeepsItsSourceAndASanitizedRendering_AndItsTracks(DatabaseProvider provider)
    {
        await using var world = await SeriesAsync(provider);
        var (catalog, id) = (world.Catalog, world.Series);

        var series = await catalog.FindSeriesForOrganizersAsync(id, default);

        Assert.Equal("**Bold** <script>alert(1)</script>", series!.Description);
        Assert.Equal("<p><strong>Bold</strong> </p>\n", series.DescriptionHtml);
        Assert.Equal(["forensic", "youth"], series.Tracks.Order());

        await catalog.UpdateSeriesAsync(id, new SeriesDraft(series.Slug, "Youth Justice II", "_new_", []), default);
        var updated = await catalog.FindSeriesAsync("youth-justice", default);
        Assert.Equal(("Youth Justice II", "<p><em>new</em></p>\n", 0), (updated!.Title, updated.DescriptionHtml, updated.Tracks.Count));
        // The catalog grain took the series grain's report: the public page shows the change without a read of the rows.
        var listed = await world.PublicAsync();
        Assert.Equal(("Youth Justice II", "<p><em>new</em></p>\n"), (listed!.Title, listed.DescriptionHtml));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ADraftSession_IsHiddenFromThePublicCatalog_UntilPublished(DatabaseProvider provider)
    {
        await using var world = await SeriesAsync(provider);
        var (catalog, series) = (world.Catalog, world.Series);
        var id = await catalog.CreateSessionAsync(Draft(series, published: false, bio: "Judge **Lee**<iframe src=//x></iframe>"), default);

        Assert.Null(await catalog.FindSessionAsync(id, default));
        Assert.Empty((await world.PublicAsync())!.Sessions);
        var draft = await catalog.FindSessionForOrganizersAsync(id, default);
        Assert.Equal("<p>Judge <strong>Lee</strong></p>\n", draft!.Presenters[0].BioHtml);
        Assert.Equal("<p>A <a href=\"https://example.org\" rel=\"noopener noreferrer\">guide</a> <img></p>\n", draft.DescriptionHtml);

        Assert.True(await catalog.SetPublishedAsync(id, true, default));
        Assert.False(await catalog.SetPublishedAsync(id, true, default));
        Assert.NotNull(await catalog.FindSessionAsync(id, default));
        Assert.Single((await catalog.FindSeriesAsync("youth-justice", default))!.Sessions);
        Assert.Equal([id], (await world.PublicAsync())!.Sessions.Select(s => s.Id));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task EditingDetails_ReplacesPresenters_AndRefusesAnInvalidJoinLinkWithoutWriting(DatabaseProvider provider)
    {
        await using var world = await SeriesAsync(provider);
        var (catalog, series) = (world.Catalog, world.Series);
        var id = await catalog.CreateSessionAsync(Draft(series, published: true), default);

        await Assert.ThrowsAsync<DomainException>(() => catalog.UpdateSessionDetailsAsync(id,
            new SessionDetails("Renamed", "x", "http://insecure.example", null, null, []), default));
        Assert.Equal("Diversion That Works", (await catalog.FindSessionAsync(id, default))!.Title);

        await catalog.UpdateSessionDetailsAsync(id, new SessionDetails("Renamed", "*x*", "https://meet.example/abc", null, null,
            [new Presenter("Ana Ruiz", "Defender's office", "Ana **leads**"), new Presenter("Bo Chen", "Probation")]), default);
        var session = await catalog.FindSessionAsync(id, default);
        Assert.Equal(("Renamed", "https://meet.example/abc", "<p><em>x</em></p>\n"), (session!.Title, session.JoinUrl, session.DescriptionHtml));
        Assert.Equal(["Ana Ruiz", "Bo Chen"], session.Presenters.Select(p => p.Name));
        Assert.Equal("<p>Ana <strong>leads</strong></p>\n", session.Presenters[0].BioHtml);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SessionsStoredBeforePublishingExisted_StayPublished(DatabaseProvider provider)
    {
        await using var world = await SeriesAsync(provider);
        var (catalog, database, series) = (world.Catalog, world.Database, world.Series);
        var id = Guid.NewGuid();
        var starts = _clock.GetUtcNow().AddDays(7).ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync(default))
        {
            // A row as the code before migration 0008 wrote it: it names none of the columns that migration added.
            await connection.ExecuteAsync(
                "INSERT INTO sessions (id, series_id, kind, title, description, starts_utc_ms, ends_utc_ms, time_zone, capacity) "
                + "VALUES (@id, @series, 'national-webinar', 'Older Session', 'From before.', @starts, @ends, 'America/New_York', 30)",
                new { id = id.ToString(), series = series.ToString(), starts, ends = starts + 3_600_000 });
        }

        var listed = (await catalog.FindSeriesAsync("youth-justice", default))!.Sessions;

        Assert.Contains(listed, s => s.Id == id);
    }
}
