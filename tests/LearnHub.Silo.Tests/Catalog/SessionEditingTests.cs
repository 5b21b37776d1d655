using Dapper;
using Ical.Net;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Tests.Messaging;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Catalog;

/// <summary>Editing an existing session: a changed join link is mailed once per change; kind changes keep the link rules.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SessionEditingTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private static SessionDetails Details(SessionView s, string? joinUrl) =>
        new(s.Title, s.Description, joinUrl, s.Venue, s.City, s.Presenters);

    private static async Task<IReadOnlyList<(string Recipient, string SubjectRef)>> JoinLinkMailAsync(MailWorld world, Guid session)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await connection.QueryAsync<(string, string)>(
            "SELECT recipient, subject_ref FROM outbox_messages WHERE session_id = @id AND purpose = 'join-link-changed' ORDER BY subject_ref",
            new { id = session.ToString() })).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ANewJoinLink_IsMailedToSeatHolders_WithAnUpdatedInvite_OncePerChange(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 1);
        var grain = world.Grains.Session(webinar);
        await grain.RegisterAsync(MailWorld.Person("seated@example.org"), false);
        await grain.RegisterAsync(MailWorld.Person("waiting@example.org"), false);
        var session = (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!;

        var told = await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, "https://meet.example/j/new-room"), default);
        var again = await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, "https://meet.example/j/new-room"), default);
        await world.Dispatcher.DrainAsync(default);

        Assert.Equal((1, 0), (told, again));
        Assert.Equal([("seated@example.org", $"session:{webinar}:join-link-changed:1")], await JoinLinkMailAsync(world, webinar));
        var mail = (await _smtp.WaitForAsync(3)).Single(m => m.Subject.StartsWith("New join link:", StringComparison.Ordinal));
        Assert.Equal("seated@example.org", mail.RcptTos[0]);
        Assert.Contains("https://meet.example/j/new-room", mail.Text, StringComparison.Ordinal);
        var ev = Calendar.Load(mail.Calendars.First(c => c.ContentType == "text/calendar").Content)!.Events.Single();
        Assert.Equal(($"session-{webinar}@learnhub", 1), (ev.Uid, ev.Sequence));

        // A later change is a new mail; the title alone changing is none.
        await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, "https://meet.example/j/third") with { Title = "Renamed" }, default);
        await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, "https://meet.example/j/third") with { Title = "Renamed again" }, default);
        Assert.Equal(2, (await JoinLinkMailAsync(world, webinar)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RemovingTheJoinLink_OrSavingTheSameOne_MailsNobody(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("seated@example.org"), false);
        var session = (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!;

        Assert.Equal(0, await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, session.JoinUrl), default));
        Assert.Equal(0, await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, null), default));
        Assert.Empty(await JoinLinkMailAsync(world, webinar));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ANewJoinLinkAfterTheSessionEnded_MailsNobody(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("seated@example.org"), false);
        var session = (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        world.Clock.SetUtcNow(session.EndsAt.AddMinutes(1));

        Assert.Equal(0, await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(session, "https://meet.example/j/too-late"), default));
        Assert.Empty(await JoinLinkMailAsync(world, webinar));
        Assert.Equal("https://meet.example/j/too-late", (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!.JoinUrl);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task KindChanges_KeepTheLinkRules(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var w = (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        var at = Now.AddDays(14);
        var exchange = await world.Catalog.CreateSessionAsync(new SessionDraft(w.SeriesId, SessionKind.LearningExchange, "Talk it over", "", at, at.AddHours(1),
            "America/New_York", 12, [], WebinarId: webinar), default);
        var e = (await world.Catalog.FindSessionForOrganizersAsync(exchange, default))!;
        var other = await world.Catalog.CreateSessionAsync(new SessionDraft(w.SeriesId, SessionKind.NationalWebinar, "Another webinar", "", at.AddDays(-3),
            at.AddDays(-3).AddHours(1), "America/New_York", 12, []), default);
        var earliest = await world.Catalog.CreateSessionAsync(new SessionDraft(w.SeriesId, SessionKind.NationalWebinar, "The first webinar", "", Now.AddDays(1),
            Now.AddDays(1).AddHours(1), "America/New_York", 12, []), default);

        // A webinar with an exchange stays a webinar: refused, nothing changed.
        var refused = await Assert.ThrowsAsync<DomainException>(() => world.Catalog.UpdateSessionDetailsAsync(webinar,
            Details(w, w.JoinUrl) with { Kind = SessionKind.InPersonTraining, Venue = "Hall", City = "Madison", Title = "Changed?" }, default));
        Assert.Contains("stays a national webinar", refused.Message, StringComparison.Ordinal);
        var unchanged = (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        Assert.Equal((SessionKind.NationalWebinar, w.Title, exchange), (unchanged.Kind, unchanged.Title, unchanged.LearningExchangeId));

        // An exchange may move to another webinar of the series without one, but not to itself or a non-webinar.
        await Assert.ThrowsAsync<DomainException>(() => world.Catalog.UpdateSessionDetailsAsync(exchange, Details(e, null) with { WebinarId = exchange }, default));
        await world.Catalog.UpdateSessionDetailsAsync(exchange, Details(e, null) with { WebinarId = other }, default);
        Assert.Equal(other, (await world.Catalog.FindSessionForOrganizersAsync(exchange, default))!.WebinarId);
        Assert.Null((await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!.LearningExchangeId);

        // An exchange that becomes an in-person training drops its link, and the webinar is free to change kind.
        await Assert.ThrowsAsync<DomainException>(() => world.Catalog.UpdateSessionDetailsAsync(exchange,
            Details(e, null) with { Kind = SessionKind.InPersonTraining }, default));
        await world.Catalog.UpdateSessionDetailsAsync(exchange, Details(e, null) with { Kind = SessionKind.InPersonTraining, Venue = "Hall", City = "Madison" }, default);
        var training = (await world.Catalog.FindSessionForOrganizersAsync(exchange, default))!;
        Assert.Equal((SessionKind.InPersonTraining, (Guid?)null), (training.Kind, training.WebinarId));
        Assert.Null((await world.Catalog.FindSessionForOrganizersAsync(other, default))!.LearningExchangeId);

        // A webinar without an exchange can become one, following a webinar of its series that ends before it starts.
        var tooLate = await Assert.ThrowsAsync<DomainException>(() => world.Catalog.UpdateSessionDetailsAsync(webinar,
            Details(w, w.JoinUrl) with { Kind = SessionKind.LearningExchange, WebinarId = other }, default));
        Assert.Contains("must start after its webinar ends", tooLate.Message, StringComparison.Ordinal);
        await world.Catalog.UpdateSessionDetailsAsync(webinar, Details(w, w.JoinUrl) with { Kind = SessionKind.LearningExchange, WebinarId = earliest }, default);
        Assert.Equal(webinar, (await world.Catalog.FindSessionForOrganizersAsync(earliest, default))!.LearningExchangeId);
        // From now on the exchange grain keeps it: its view, read through either type, says so.
        Assert.Equal(SessionKind.LearningExchange, (await world.Sessions.ViewAsync(webinar, default))!.Kind);
        Assert.Equal(earliest, (await world.Grains.Exchange(webinar).GetViewAsync())!.WebinarId);
    }
}
