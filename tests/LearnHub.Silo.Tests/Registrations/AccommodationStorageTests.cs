using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Registrations;

/// <summary>Accommodation requests, their organizers' mail and the registration window, on SQLite and PostgreSQL.</summary>
[Collection(DatabaseCollection.Name)]
public class AccommodationStorageTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    private static readonly OrganizerActor Organizer = new(null, "olive.organizer@example.org", "203.0.113.7");

    private sealed record World(LearnHubDatabase Database, GrainCatalog Catalog, TestSilo Silo, RegistrationReader Reader, AccommodationNotices Notices) : IAsyncDisposable
    {
        public Orleans.IGrainFactory Grains => Silo.Grains;

        public ValueTask DisposeAsync() => Silo.DisposeAsync();
    }

    private async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var accounts = new AccountStore(database, _clock);
        await accounts.CreateAsync("olive.organizer@example.org", "Olive", null, [Role.Organizer], default);
        await accounts.CreateAsync("omar.organizer@example.org", "Omar", null, [Role.Organizer, Role.Admin], default);
        await accounts.CreateAsync("lena.learner@example.org", "Lena", null, [Role.Learner], default);
        var silo = await TestSilo.StartAsync(database, _clock);
        return new World(database, new GrainCatalog(silo.Services, _clock), silo, new RegistrationReader(database),
            new AccommodationNotices(database, _clock, Options.Create(new MailOptions()), NullLogger<AccommodationNotices>.Instance));
    }

    private async Task<Guid> SessionAsync(World world, TimeSpan startsIn, RegistrationWindow? window = null)
    {
        var series = await world.Catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Series", ""), default);
        var starts = _clock.GetUtcNow() + startsIn;
        return await world.Catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Trauma-Informed Supervision", "", starts, starts.AddHours(1),
            "America/New_York", 10, []) { Window = window }, default);
    }

    private static Applicant Person(string email, string accommodations) =>
        Applicant.Validate("Pat Doe", email, "County DCF", "Caseworker", "America/Chicago", accommodations).Applicant!;

    private static async Task<List<(string recipient, string purpose, string subject_ref)>> OutboxAsync(World world, string purposePrefix)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await connection.QueryAsync<(string, string, string)>(
            "SELECT recipient, purpose, subject_ref FROM outbox_messages WHERE purpose LIKE @p ORDER BY recipient, subject_ref", new { p = purposePrefix + "%" })).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnswerAccommodation_SavesStateAndNote_AuditsByName_MailsTheRegistrant_AndAnEditReopensIt(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, TimeSpan.FromDays(20));
        var grain = world.Grains.Session(session);
        var asking = (await grain.RegisterAsync(Person("pat@example.org", "ASL interpreter"), false)).Session.RegistrationId!.Value;
        var notAsking = (await grain.RegisterAsync(Person("lee@example.org", ""), false)).Session.RegistrationId!.Value;

        var arranged = await grain.AnswerAccommodationAsync(asking, AccommodationState.Arranged, "An interpreter is booked for the whole session.", Organizer);
        var again = await grain.AnswerAccommodationAsync(asking, AccommodationState.Arranged, "An interpreter is booked for the whole session.", Organizer);
        var none = await grain.AnswerAccommodationAsync(notAsking, AccommodationState.Arranged, "", Organizer);
        var invalid = await grain.AnswerAccommodationAsync(asking, AccommodationState.None, "", Organizer);

        Assert.Equal([AccommodationAnswerOutcome.Changed, AccommodationAnswerOutcome.Unchanged, AccommodationAnswerOutcome.NoRequest, AccommodationAnswerOutcome.Invalid],
            [arranged, again, none, invalid]);
        var row = (await world.Reader.ForSessionAsync(session, default)).Single(r => r.Id == asking);
        Assert.Equal((AccommodationState.Arranged, "An interpreter is booked for the whole session."), (row.AccommodationState, row.AccommodationNote));
        Assert.Equal(AccommodationState.None, (await world.Reader.ForSessionAsync(session, default)).Single(r => r.Id == notAsking).AccommodationState);
        var mail = Assert.Single(await OutboxAsync(world, "accommodation-answered"));
        Assert.Equal("pat@example.org", mail.recipient);
        var audit = Assert.Single(await new Auditing.AuditLog(world.Database, _clock).ListAsync("registration.accommodation", null, 10, default));
        Assert.Equal(("olive.organizer@example.org", asking.ToString(), "Pat Doe"), (audit.ActorEmail, audit.ObjectId, audit.ObjectTitle));

        _clock.Advance(TimeSpan.FromMinutes(5));
        await grain.ChangeDetailsAsync(asking, Person("pat@example.org", "ASL interpreter and captions"), null);

        var reopened = (await world.Reader.ForSessionAsync(session, default)).Single(r => r.Id == asking);
        Assert.Equal((AccommodationState.Requested, ""), (reopened.AccommodationState, reopened.AccommodationNote));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Digest_SendsOneMailPerOrganizerPerHour_AndNoRequestTwice(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, TimeSpan.FromDays(20));
        var grain = world.Grains.Session(session);
        await grain.RegisterAsync(Person("pat@example.org", "Captions"), false);
        await grain.RegisterAsync(Person("lee@example.org", "Large print"), false);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var first = await world.Notices.RunAsync(default);
        var sameRunAgain = await world.Notices.RunAsync(default); // a second silo firing in the same minute
        await grain.RegisterAsync(Person("kim@example.org", "Wheelchair access"), false);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var laterThisHour = await world.Notices.RunAsync(default);
        _clock.Advance(TimeSpan.FromHours(1));
        var nextHour = await world.Notices.RunAsync(default);
        var quietHour = await world.Notices.RunAsync(default);

        Assert.Equal((2, 2), (first.DigestRecipients, first.DigestRequests));
        Assert.Equal((0, 0, 0), (sameRunAgain.DigestRecipients, laterThisHour.DigestRecipients, quietHour.DigestRecipients));
        Assert.Equal((2, 1), (nextHour.DigestRecipients, nextHour.DigestRequests));
        var digests = await OutboxAsync(world, "accommodation-requests");
        Assert.Equal(4, digests.Count(d => d.purpose == "accommodation-requests"));
        Assert.Equal(["olive.organizer@example.org", "omar.organizer@example.org"], digests.Select(d => d.recipient).Distinct());
        Assert.Equal(2, digests.Select(d => d.subject_ref).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reminder_AboutOpenRequests_GoesOnceWithinSevenDays_AndNotForSettledOnes(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var open = await SessionAsync(world, TimeSpan.FromDays(8));
        var settled = await SessionAsync(world, TimeSpan.FromDays(8));
        await world.Grains.Session(open).RegisterAsync(Person("pat@example.org", "Captions"), false);
        var answered = (await world.Grains.Session(settled).RegisterAsync(Person("lee@example.org", "Captions"), false)).Session.RegistrationId!.Value;
        await world.Grains.Session(settled).AnswerAccommodationAsync(answered, AccommodationState.Arranged, "", Organizer);

        var early = await world.Notices.RunAsync(default);
        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var due = await world.Notices.RunAsync(default);
        _clock.Advance(TimeSpan.FromDays(1));
        var later = await world.Notices.RunAsync(default);

        Assert.Equal((0, 1, 0), (early.RemindedSessions, due.RemindedSessions, later.RemindedSessions));
        var reminders = (await OutboxAsync(world, "accommodation-requests-open")).Where(m => m.purpose == "accommodation-requests-open").ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal($"accommodations:open:{open}", r.subject_ref));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_OutsideTheWindow_IsRefusedWithTheReason_AndStoresNothing(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var opens = _clock.GetUtcNow().AddDays(2);
        var session = await SessionAsync(world, TimeSpan.FromDays(10), new RegistrationWindow(opens, opens.AddDays(3)));
        var grain = world.Grains.Session(session);

        var early = await grain.RegisterAsync(Person("pat@example.org", ""), false);
        _clock.Advance(TimeSpan.FromDays(2));
        var inside = await grain.RegisterAsync(Person("lee@example.org", ""), false);
        _clock.Advance(TimeSpan.FromDays(3));
        var late = await grain.RegisterAsync(Person("kim@example.org", ""), false);

        Assert.Equal((SessionAdmissionOutcome.Closed, ClosedReason.NotOpenYet, opens), (early.Session.Outcome, early.Session.ClosedReason, early.Session.RegistrationOpensAt!.Value));
        Assert.Equal(SessionAdmissionOutcome.Confirmed, inside.Session.Outcome);
        Assert.Equal((SessionAdmissionOutcome.Closed, ClosedReason.WindowClosed), (late.Session.Outcome, late.Session.ClosedReason));
        Assert.Equal(["lee@example.org"], (await world.Reader.ForSessionAsync(session, default)).Select(r => r.Email));
        var view = await grain.GetViewAsync();
        Assert.Equal((opens, opens.AddDays(3)), (view!.RegistrationOpensAt!.Value, view.RegistrationClosesAt!.Value));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SetReminderLeads_ReplansTheReminders_StillToCome(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, TimeSpan.FromDays(3));
        var series = (await world.Grains.Session(session).GetViewAsync())!.SeriesId;

        var saved = await world.Grains.GetGrain<ISeriesGrain>(series).SetReminderLeadsAsync([TimeSpan.FromDays(7), TimeSpan.FromDays(1), TimeSpan.FromHours(1)]);

        Assert.Equal(SeriesOutcome.Saved, saved.Outcome);
        await using var connection = await world.Database.OpenAsync(default);
        var rows = (await connection.QueryAsync<(long offset_minutes, string state)>(
            "SELECT offset_minutes, state FROM session_reminders WHERE session_id = @id ORDER BY offset_minutes", new { id = session.ToString() })).ToList();
        Assert.Equal([(60L, "pending"), (1440L, "pending"), (10080L, "skipped")], rows);
    }
}
