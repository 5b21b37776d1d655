using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Grains.Messaging;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Media;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Media;

/// <summary>Handout and recording rows, who may see them, and the mail their publishing sends — on both engines.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class MediaCatalogTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, CatalogStore Catalog, MediaCatalog Media, RegistrantMail Mail, Guid Session);

    private async Task<World> WorldAsync(DatabaseProvider provider, bool published = true)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new CatalogStore(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Series", ""), default);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Webinar", "", _clock.GetUtcNow().AddDays(2),
            _clock.GetUtcNow().AddDays(2).AddHours(1), "UTC", 10, [], Published: published), default);
        var media = new MediaCatalog(database, _clock, Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example.org" }));
        return new World(database, catalog, media, new RegistrantMail(database, _clock), session);
    }

    private static async Task RegisterAsync(LearnHubDatabase database, Guid session, string email, string status, int sequence)
    {
        await using var connection = await database.OpenAsync(default);
        await connection.ExecuteAsync(
            """
            INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                       status, sequence, registered_utc_ms)
            VALUES (@id, @session, @id, 'secret', 'Pat', @email, @email, 'Agency', 'Role', 'UTC', '', @status, @sequence, 0)
            """,
            new { id = Guid.NewGuid().ToString(), session = session.ToString(), email, status, sequence });
    }

    private static MediaDraft Recording(Guid session, MediaVisibility visibility) =>
        new(session, MediaKind.Recording, "Recording", visibility, "r.mp4", "video/mp4", new string('a', 64), 10, CaptionsSha256: new string('b', 64));

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARegistrantsOnlyItem_IsSeenByConfirmedRegistrantsAndStaff_Only(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await RegisterAsync(world.Database, world.Session, "seat@example.org", "confirmed", 1);
        await RegisterAsync(world.Database, world.Session, "waiting@example.org", "waitlisted", 2);
        var item = (await world.Media.FindAsync(await world.Media.AddAsync(
            new MediaDraft(world.Session, MediaKind.Handout, "Slides", MediaVisibility.Registrants, "s.pdf", "application/pdf", new string('c', 64), 5), default), default))!;

        Assert.True(await world.Media.CanSeeAsync(item, new MediaViewer("Seat@Example.org", false), default));
        Assert.False(await world.Media.CanSeeAsync(item, new MediaViewer("waiting@example.org", false), default));
        Assert.False(await world.Media.CanSeeAsync(item, new MediaViewer("stranger@example.org", false), default));
        Assert.False(await world.Media.CanSeeAsync(item, MediaViewer.Anonymous, default));
        Assert.True(await world.Media.CanSeeAsync(item, new MediaViewer(null, true), default));

        await world.Media.SetVisibilityAsync(item.Id, MediaVisibility.Staff, default);
        var staffOnly = (await world.Media.FindAsync(item.Id, default))!;
        Assert.False(await world.Media.CanSeeAsync(staffOnly, new MediaViewer("seat@example.org", false), default));
        await world.Media.SetVisibilityAsync(item.Id, MediaVisibility.Public, default);
        Assert.True(await world.Media.CanSeeAsync((await world.Media.FindAsync(item.Id, default))!, MediaViewer.Anonymous, default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnItemOfADraftSession_IsSeenByStaffOnly_EvenWhenPublic(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider, published: false);
        var id = await world.Media.AddAsync(new MediaDraft(world.Session, MediaKind.Handout, "Slides", MediaVisibility.Public, ExternalUrl: "https://example.org/s"), default);
        var item = (await world.Media.FindAsync(id, default))!;

        Assert.False(await world.Media.CanSeeAsync(item, MediaViewer.Anonymous, default));
        Assert.True(await world.Media.CanSeeAsync(item, new MediaViewer(null, true), default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PublishingARecording_QueuesTheReadyMailToConfirmedRegistrants_Once(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await RegisterAsync(world.Database, world.Session, "seat@example.org", "confirmed", 1);
        await RegisterAsync(world.Database, world.Session, "waiting@example.org", "waitlisted", 2);
        await RegisterAsync(world.Database, world.Session, "gone@example.org", "cancelled", 3);
        var id = await world.Media.AddAsync(Recording(world.Session, MediaVisibility.Public), default);
        var unpublished = (await world.Media.FindAsync(id, default))!;
        Assert.False(await world.Media.CanSeeAsync(unpublished, MediaViewer.Anonymous, default));

        Assert.Equal(1, await world.Media.PublishRecordingAsync(id, default));
        Assert.Equal(0, await world.Media.PublishRecordingAsync(id, default));

        await using var connection = await world.Database.OpenAsync(default);
        var mail = (await connection.QueryAsync<(string recipient, string data)>(
            "SELECT recipient, data FROM outbox_messages WHERE purpose = 'recording-ready'")).ToList();
        Assert.Equal("seat@example.org", Assert.Single(mail).recipient);
        Assert.Contains($"https://learnhub.example.org/recordings/{id}", mail[0].data, StringComparison.Ordinal);
        Assert.True(await world.Media.CanSeeAsync((await world.Media.FindAsync(id, default))!, MediaViewer.Anonymous, default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AHandoutCannotBePublishedAsARecording_NorStoredAsBothFileAndLink(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var handout = await world.Media.AddAsync(new MediaDraft(world.Session, MediaKind.Handout, "Slides", MediaVisibility.Public, ExternalUrl: "https://example.org/s"), default);

        await Assert.ThrowsAsync<DomainException>(() => world.Media.PublishRecordingAsync(handout, default));
        await Assert.ThrowsAsync<DomainException>(() => world.Media.AddAsync(
            new MediaDraft(world.Session, MediaKind.Handout, "Both", MediaVisibility.Public, Sha256: new string('d', 64), ExternalUrl: "https://example.org"), default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task MessagingAllRegistrants_ReachesSeatsAndWaitlist_NotCancellations_AndIsKeyedBySubject(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await RegisterAsync(world.Database, world.Session, "seat@example.org", "confirmed", 1);
        await RegisterAsync(world.Database, world.Session, "waiting@example.org", "waitlisted", 2);
        await RegisterAsync(world.Database, world.Session, "gone@example.org", "cancelled", 3);

        Assert.Equal(2, await world.Mail.MessageAllAsync(world.Session, new RegistrantMessage("Room change", "We moved to room 4."), default));
        await world.Mail.MessageAllAsync(world.Session, new RegistrantMessage("Room change", "We moved to room 4."), default);
        await world.Mail.MessageAllAsync(world.Session, new RegistrantMessage("Room change, again", "Room 5 now."), default);
        await Assert.ThrowsAsync<DomainException>(() => world.Mail.MessageAllAsync(world.Session, new RegistrantMessage("Bad\r\nBcc: x@example.org", "x"), default));

        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'organizer-message'"));
    }
}
