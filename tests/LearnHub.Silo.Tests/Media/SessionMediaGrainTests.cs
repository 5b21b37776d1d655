using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Media;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace LearnHub.Silo.Tests.Media;

/// <summary>
/// A session's media grain: who may open each handout and recording, the mail publishing a recording sends, and what it
/// refuses — on both engines, with the registrants made through the session's own grain.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SessionMediaGrainTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, TestSilo Silo, MediaFiles Files, Guid Session) : IAsyncDisposable
    {
        public IGrainFactory Grains => Silo.Grains;

        public ISessionMediaGrain Media => Grains.GetGrain<ISessionMediaGrain>(Session);

        public async Task<Guid> AddAsync(MediaDraft draft)
        {
            var added = await Media.AddAsync(draft);
            Assert.Equal(MediaChangeOutcome.Changed, added.Outcome);
            return added.MediaId!.Value;
        }

        public async Task<bool> MayOpenAsync(Guid item, MediaViewer viewer) => await Media.OpenAsync(item, viewer) is not null;

        public async ValueTask DisposeAsync() => await Silo.DisposeAsync();
    }

    private async Task<World> WorldAsync(DatabaseProvider provider, bool published = true, int capacity = 10)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var dataDirectory = fixture.NewDirectory();
        var silo = await TestSilo.StartAsync(database, _clock, services =>
        {
            services.Configure<LearnHubOptions>(o => o.DataDirectory = dataDirectory);
            services.Configure<MailOptions>(o => o.PublicBaseUrl = "https://learnhub.example.org");
        });
        var catalog = new GrainCatalog(silo.Services, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Series", ""), default);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Webinar", "", _clock.GetUtcNow().AddDays(2),
            _clock.GetUtcNow().AddDays(2).AddHours(1), "UTC", capacity, [], Published: published), default);
        return new World(database, silo, silo.Services.GetRequiredService<MediaFiles>(), session);
    }

    private static Applicant Person(string email) =>
        Applicant.Validate("Pat Doe", email, "County Services", "Caseworker", "UTC", "").Applicant!;

    private async Task<MediaDraft> FileAsync(World world, MediaKind kind, string title, MediaVisibility visibility)
    {
        var sha = await world.Files.StoreTextAsync($"{title} {Guid.NewGuid()}", default);
        return new MediaDraft(world.Session, kind, title, visibility, kind == MediaKind.Recording ? "r.mp4" : "s.pdf",
            kind == MediaKind.Recording ? "video/mp4" : "application/pdf", sha, 10);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARegistrantsOnlyItem_OpensForConfirmedRegistrantsAndStaff_Only(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, capacity: 1);
        var seat = await world.Grains.Session(world.Session).RegisterAsync(Person("seat@example.org"), false);
        var waiting = await world.Grains.Session(world.Session).RegisterAsync(Person("waiting@example.org"), false);
        var item = await world.AddAsync(await FileAsync(world, MediaKind.Handout, "Slides", MediaVisibility.Registrants));

        Assert.True(await world.MayOpenAsync(item, new MediaViewer("Seat@Example.org", false)));
        Assert.False(await world.MayOpenAsync(item, new MediaViewer("waiting@example.org", false)));
        Assert.False(await world.MayOpenAsync(item, new MediaViewer("stranger@example.org", false)));
        Assert.False(await world.MayOpenAsync(item, MediaViewer.Anonymous));
        Assert.True(await world.MayOpenAsync(item, new MediaViewer(null, true)));
        // A pass (from a private manage link) admits the registration it names while that one holds a seat.
        Assert.True(await world.MayOpenAsync(item, MediaViewer.Anonymous with { PassRegistrationId = seat.Session.RegistrationId }));
        Assert.False(await world.MayOpenAsync(item, MediaViewer.Anonymous with { PassRegistrationId = waiting.Session.RegistrationId }));

        // Cancelling the seat promotes the waiting registrant: the index of each learner follows at once.
        await world.Grains.Session(world.Session).CancelAsync(seat.Session.RegistrationId!.Value);
        Assert.False(await world.MayOpenAsync(item, new MediaViewer("seat@example.org", false)));
        Assert.False(await world.MayOpenAsync(item, MediaViewer.Anonymous with { PassRegistrationId = seat.Session.RegistrationId }));
        Assert.True(await world.MayOpenAsync(item, new MediaViewer("waiting@example.org", false)));

        Assert.Equal(MediaChangeOutcome.Changed, (await world.Media.SetVisibilityAsync(item, MediaVisibility.Staff)).Outcome);
        Assert.False(await world.MayOpenAsync(item, new MediaViewer("waiting@example.org", false)));
        await world.Media.SetVisibilityAsync(item, MediaVisibility.Public);
        Assert.True(await world.MayOpenAsync(item, MediaViewer.Anonymous));
        Assert.Equal([item], (await world.Media.VisibleToAsync(MediaViewer.Anonymous)).Select(i => i.Id));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnItemOfADraftSession_OpensForStaffOnly_EvenWhenPublic(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, published: false);
        var item = await world.AddAsync(new MediaDraft(world.Session, MediaKind.Handout, "Slides", MediaVisibility.Public, ExternalUrl: "https://example.org/s"));

        Assert.False(await world.MayOpenAsync(item, MediaViewer.Anonymous));
        Assert.True(await world.MayOpenAsync(item, new MediaViewer(null, true)));
        Assert.Empty(await world.Media.VisibleToAsync(MediaViewer.Anonymous));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PublishingARecording_QueuesTheReadyMailToConfirmedRegistrants_Once(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, capacity: 1);
        await world.Grains.Session(world.Session).RegisterAsync(Person("seat@example.org"), false);
        await world.Grains.Session(world.Session).RegisterAsync(Person("waiting@example.org"), false);
        var gone = await world.Grains.Session(world.Session).RegisterAsync(Person("gone@example.org"), false);
        await world.Grains.Session(world.Session).CancelAsync(gone.Session.RegistrationId!.Value);
        var id = await world.AddAsync(await FileAsync(world, MediaKind.Recording, "Recording", MediaVisibility.Public));
        Assert.False(await world.MayOpenAsync(id, MediaViewer.Anonymous));

        Assert.Equal((MediaChangeOutcome.Changed, 1), await world.Media.PublishRecordingAsync(id) is var first ? (first.Outcome, first.Queued) : default);
        Assert.Equal((MediaChangeOutcome.Unchanged, 0), await world.Media.PublishRecordingAsync(id) is var second ? (second.Outcome, second.Queued) : default);

        await using var connection = await world.Database.OpenAsync(default);
        var mail = (await connection.QueryAsync<(string recipient, string data)>(
            "SELECT recipient, data FROM outbox_messages WHERE purpose = 'recording-ready'")).ToList();
        Assert.Equal("seat@example.org", Assert.Single(mail).recipient);
        Assert.Contains($"https://learnhub.example.org/recordings/{id}", mail[0].data, StringComparison.Ordinal);
        Assert.True(await world.MayOpenAsync(id, MediaViewer.Anonymous));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AHandoutCannotBePublishedAsARecording_NorStoredAsBothFileAndLink(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var handout = await world.AddAsync(new MediaDraft(world.Session, MediaKind.Handout, "Slides", MediaVisibility.Public, ExternalUrl: "https://example.org/s"));

        Assert.Equal(MediaChangeOutcome.Invalid, (await world.Media.PublishRecordingAsync(handout)).Outcome);
        var both = await world.Media.AddAsync(new MediaDraft(world.Session, MediaKind.Handout, "Both", MediaVisibility.Public, Sha256: new string('d', 64), ExternalUrl: "https://example.org"));
        Assert.Equal(MediaChangeOutcome.Invalid, both.Outcome);
        Assert.Contains("either a stored file or an external link", both.Problem, StringComparison.Ordinal);
        Assert.Single(await world.Media.ItemsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task MessagingAllRegistrants_ReachesSeatsAndWaitlist_NotCancellations_AndIsKeyedBySubject(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, capacity: 1);
        var grain = world.Grains.Session(world.Session);
        await grain.RegisterAsync(Person("seat@example.org"), false);
        await grain.RegisterAsync(Person("waiting@example.org"), false);
        var gone = await grain.RegisterAsync(Person("gone@example.org"), false);
        await grain.CancelAsync(gone.Session.RegistrationId!.Value);

        Assert.Equal(2, await grain.MessageRegistrantsAsync(new RegistrantMessage("Room change", "We moved to room 4.")));
        await grain.MessageRegistrantsAsync(new RegistrantMessage("Room change", "We moved to room 4."));
        await grain.MessageRegistrantsAsync(new RegistrantMessage("Room change, again", "Room 5 now."));
        await Assert.ThrowsAsync<Grains.DomainException>(() => grain.MessageRegistrantsAsync(new RegistrantMessage("Bad\r\nBcc: x@example.org", "x")));

        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'organizer-message'"));
    }
}
