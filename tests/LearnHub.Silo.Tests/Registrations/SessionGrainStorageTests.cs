using LearnHub.Grains.Sessions;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Registrations;

/// <summary>The session grain over the real grain store: every behaviour on SQLite and on PostgreSQL.</summary>
[Collection(DatabaseCollection.Name)]
public class SessionGrainStorageTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, GrainCatalog Catalog, TestSilo Silo, RegistrationReader Reader) : IAsyncDisposable
    {
        public Orleans.IGrainFactory Grains => Silo.Grains;

        public ValueTask DisposeAsync() => Silo.DisposeAsync();
    }

    private async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var silo = await TestSilo.StartAsync(database, _clock);
        return new World(database, new GrainCatalog(silo.Services, _clock), silo, new RegistrationReader(database));
    }

    private async Task<Guid> SessionAsync(World world, int capacity, SessionKind kind = SessionKind.NationalWebinar, Guid? webinar = null, Guid? series = null,
        (bool Recorded, bool AsksConsent) recording = default)
    {
        series ??= await world.Catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Series", ""), default);
        var starts = _clock.GetUtcNow().AddDays(kind == SessionKind.LearningExchange ? 14 : 7);
        return await world.Catalog.CreateSessionAsync(new SessionDraft(series.Value, kind, "Session", "", starts, starts.AddHours(1),
            "America/New_York", capacity, [], WebinarId: webinar)
        {
            Recorded = recording.Recorded,
            RecordingConsentRequired = recording.AsksConsent,
        }, default);
    }

    private static Applicant Person(string email) =>
        Applicant.Validate("Pat Doe", email, "County DCF", "Caseworker", "America/Chicago", "Captions").Applicant!;

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_Twice_WithTheSameEmail_AnswersAlreadyRegistered_AndWritesOneRow(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10);

        var first = await world.Grains.Session(session).RegisterAsync(Person("pat@example.org"), false);
        var second = await world.Grains.Session(session).RegisterAsync(Person("PAT@example.org"), false);

        Assert.Equal(SessionAdmissionOutcome.Confirmed, first.Session.Outcome);
        Assert.Equal(SessionAdmissionOutcome.AlreadyRegistered, second.Session.Outcome);
        var counts = await world.Reader.CountByStatusAsync(session, default);
        Assert.Equal(1, counts.Values.Sum());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_Again_QueuesTheManageLinkOncePerWindow_ButNotRightAfterRegistering(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10);
        var grain = world.Grains.Session(session);
        var first = await grain.RegisterAsync(Person("pat@example.org"), false);

        await grain.RegisterAsync(Person("pat@example.org"), false);
        var doubleClicks = await ResentAsync(world);
        _clock.Advance(Grains.Messaging.MailIntent.ResendWindow);
        await grain.RegisterAsync(Person("PAT@example.org"), false);
        await grain.RegisterAsync(Person("pat@example.org"), false);

        Assert.Empty(doubleClicks);
        Assert.Equal([first.Session.RegistrationId!.Value.ToString()], await ResentAsync(world));
        Assert.Equal(1, (await world.Reader.CountByStatusAsync(session, default)).Values.Sum());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ChangeDetails_SavesTheRowAndItsAuditEntry_TellsTheLearner_AndRefusesACancelledRegistration(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10);
        var grain = world.Grains.Session(session);
        var kept = (await grain.RegisterAsync(Person("pat@example.org"), false)).Session.RegistrationId!.Value;
        var dropped = (await grain.RegisterAsync(Person("lee@example.org"), false)).Session.RegistrationId!.Value;
        await grain.CancelAsync(dropped);
        var corrected = Applicant.Validate("Pat Doe-Rivera", "pat@example.org", "County DCF", "Supervisor", "America/Denver", "ASL interpreter").Applicant!;
        var learner = world.Grains.GetGrain<Grains.Learners.ILearnerGrain>("pat@example.org");
        await learner.RegistrationsAsync(); // the index is in memory, as once the manage page has been opened

        var changed = await grain.ChangeDetailsAsync(kept, corrected, "203.0.113.9");
        var again = await grain.ChangeDetailsAsync(kept, corrected, "203.0.113.9");
        var cancelled = await grain.ChangeDetailsAsync(dropped,
            Applicant.Validate("Lee", "lee@example.org", "County DCF", "Caseworker", "America/Chicago", "").Applicant!, null);
        var foreign = await grain.ChangeDetailsAsync(kept,
            Applicant.Validate("Mallory", "mallory@example.org", "X", "Y", "America/Chicago", "").Applicant!, null);

        Assert.Equal([EditOutcome.Changed, EditOutcome.Unchanged, EditOutcome.Cancelled, EditOutcome.NotFound], [changed, again, cancelled, foreign]);
        var row = (await world.Reader.ForSessionAsync(session, default)).Single(r => r.Id == kept);
        Assert.Equal(("Pat Doe-Rivera", "Supervisor", "America/Denver", "ASL interpreter"), (row.Name, row.JobRole, row.TimeZone, row.Accommodations));
        Assert.NotNull(row.EditedAt);
        Assert.Null((await world.Reader.ForSessionAsync(session, default)).Single(r => r.Id == dropped).EditedAt);
        var audit = Assert.Single(await new Auditing.AuditLog(world.Database, _clock).ListAsync("registration.edited", null, 10, default));
        Assert.Equal(("pat@example.org", kept.ToString(), "203.0.113.9"), (audit.ActorEmail, audit.ObjectId, audit.FromAddress));
        Assert.Contains("name, jobRole, timeZone, accommodations", audit.Detail, StringComparison.Ordinal);
        var indexed = Assert.Single(await learner.RegistrationsAsync());
        Assert.Equal("Pat Doe-Rivera", indexed.Name);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_InARecordedSessionThatAsksForConsent_StoresEitherAnswer_AndWritesNothingWithoutOne(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10, recording: (true, true));
        var grain = world.Grains.Session(session);

        var missing = await grain.RegisterAsync(Person("kim@example.org"), false);
        var yes = await grain.RegisterAsync(Person("pat@example.org") with { RecordingConsent = true }, false);
        var no = await grain.RegisterAsync(Person("lee@example.org") with { RecordingConsent = false }, false);

        Assert.Equal([SessionAdmissionOutcome.ConsentAnswerNeeded, SessionAdmissionOutcome.Confirmed, SessionAdmissionOutcome.Confirmed],
            [missing.Session.Outcome, yes.Session.Outcome, no.Session.Outcome]);
        var rows = await world.Reader.ForSessionAsync(session, default);
        Assert.Equal([("pat@example.org", (bool?)true), ("lee@example.org", false)], rows.Select(r => (r.Email, r.RecordingConsent)));
        Assert.All(rows, r => Assert.True(r.SessionAsksRecordingConsent && r.SessionRecorded));
        Assert.True((await grain.GetViewAsync())! is { Recorded: true, RecordingConsentRequired: true });
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_AnAnswerToASessionThatDoesNotAsk_IsNotStored(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10, recording: (true, false));

        await world.Grains.Session(session).RegisterAsync(Person("pat@example.org") with { RecordingConsent = true }, false);

        Assert.Null(Assert.Single(await world.Reader.ForSessionAsync(session, default)).RecordingConsent);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_WithALearningExchangeThatAsksForConsent_AndNoAnswer_RegistersForNeither(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var webinar = await SessionAsync(world, capacity: 10);
        var series = (await world.Catalog.FindSessionForOrganizersAsync(webinar, default))!.SeriesId;
        var exchange = await SessionAsync(world, capacity: 10, SessionKind.LearningExchange, webinar, series, recording: (true, true));
        await world.Grains.Session(webinar).RefreshAsync();

        var receipt = await world.Grains.Session(webinar).RegisterAsync(Person("pat@example.org"), true);

        Assert.Equal(SessionAdmissionOutcome.ConsentAnswerNeeded, receipt.Session.Outcome);
        Assert.Equal(0, (await world.Reader.CountByStatusAsync(webinar, default)).Values.Sum() + (await world.Reader.CountByStatusAsync(exchange, default)).Values.Sum());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task UpdateDetails_SetsTheRecordingFlags_ButRefusesConsentForASessionThatIsNotRecorded(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10);
        SessionDetails Details(bool recorded, bool consent) => new("Session", "", null, null, null, []) { Recorded = recorded, RecordingConsentRequired = consent };

        var refused = await Assert.ThrowsAsync<Grains.DomainException>(() => world.Catalog.UpdateSessionDetailsAsync(session, Details(false, true), default));
        var before = await world.Catalog.FindSessionForOrganizersAsync(session, default);
        await world.Catalog.UpdateSessionDetailsAsync(session, Details(true, true), default);
        var kept = await world.Catalog.UpdateSessionDetailsAsync(session, new SessionDetails("Renamed", "", null, null, null, []), default);

        Assert.Contains(Recording.ConsentWithoutRecordingProblem, refused.Message, StringComparison.Ordinal);
        Assert.False(before!.Recorded || before.RecordingConsentRequired);
        Assert.True((await world.Grains.Session(session).GetViewAsync())! is { Title: "Renamed", Recorded: true, RecordingConsentRequired: true });
        Assert.True((await world.Catalog.FindSessionForOrganizersAsync(session, default))! is { Recorded: true, RecordingConsentRequired: true });
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ChangeDetails_ChangesTheAnswerAboutTheRecording_AndAuditsIt_AndAnAnswerLeftOutKeepsIt(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 10, recording: (true, true));
        var grain = world.Grains.Session(session);
        var id = (await grain.RegisterAsync(Person("pat@example.org") with { RecordingConsent = true }, false)).Session.RegistrationId!.Value;

        var changed = await grain.ChangeDetailsAsync(id, Person("pat@example.org") with { RecordingConsent = false }, null);
        var leftOut = await grain.ChangeDetailsAsync(id, Person("pat@example.org"), null);

        Assert.Equal([EditOutcome.Changed, EditOutcome.Unchanged], [changed, leftOut]);
        Assert.False(Assert.Single(await world.Reader.ForSessionAsync(session, default)).RecordingConsent);
        var audit = Assert.Single(await new Auditing.AuditLog(world.Database, _clock).ListAsync("registration.edited", null, 10, default));
        Assert.Contains("recordingConsent", audit.Detail, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ResentAsync(World world)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT registration_id FROM outbox_messages WHERE purpose = 'manage-link-resent'")).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Cancel_PromotesTheWaitlist_FirstComeFirstServed(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 1);
        var grain = world.Grains.Session(session);
        var seated = await grain.RegisterAsync(Person("seated@example.org"), false);
        var firstWaiting = await grain.RegisterAsync(Person("first@example.org"), false);
        var secondWaiting = await grain.RegisterAsync(Person("second@example.org"), false);

        var cancel = await grain.CancelAsync(seated.Session.RegistrationId!.Value);

        Assert.Equal([1, 2], new[] { firstWaiting.Session.WaitlistPosition!.Value, secondWaiting.Session.WaitlistPosition!.Value });
        Assert.Equal(CancelOutcome.Cancelled, cancel.Outcome);
        Assert.Equal(firstWaiting.Session.RegistrationId, cancel.PromotedRegistrationId);
        Assert.Equal(["second@example.org"], await world.Reader.WaitlistAsync(session, default));
        var promotedGroup = await world.Reader.FindGroupAsync(firstWaiting.Group.Id, default);
        Assert.Equal(RegistrationStatus.Confirmed, promotedGroup!.Registrations.Single().Status);
        var secondGroup = await world.Reader.FindGroupAsync(secondWaiting.Group.Id, default);
        Assert.Equal(1, secondGroup!.Registrations.Single().WaitlistPosition);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Cancel_Twice_IsHarmless_AndPromotesOnlyOnce(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 1);
        var grain = world.Grains.Session(session);
        var seated = await grain.RegisterAsync(Person("seated@example.org"), false);
        await grain.RegisterAsync(Person("a@example.org"), false);
        await grain.RegisterAsync(Person("b@example.org"), false);

        var first = await grain.CancelAsync(seated.Session.RegistrationId!.Value);
        var second = await grain.CancelAsync(seated.Session.RegistrationId!.Value);

        Assert.Equal(CancelOutcome.Cancelled, first.Outcome);
        Assert.Equal(CancelOutcome.AlreadyCancelled, second.Outcome);
        var counts = await world.Reader.CountByStatusAsync(session, default);
        Assert.Equal((1, 1, 1), (counts[RegistrationStatus.Confirmed], counts[RegistrationStatus.Waitlisted], counts[RegistrationStatus.Cancelled]));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACancelledRegistrant_CanRegisterAgain_AtTheBackOfTheLine(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var session = await SessionAsync(world, capacity: 1);
        var grain = world.Grains.Session(session);
        var pat = await grain.RegisterAsync(Person("pat@example.org"), false);
        await grain.RegisterAsync(Person("waiting@example.org"), false);
        await grain.CancelAsync(pat.Session.RegistrationId!.Value);

        var again = await grain.RegisterAsync(Person("pat@example.org"), false);

        Assert.Equal(SessionAdmissionOutcome.Waitlisted, again.Session.Outcome);
        Assert.Equal(1, again.Session.WaitlistPosition);
        Assert.NotEqual(pat.Session.RegistrationId, again.Session.RegistrationId);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_WithItsLearningExchange_PutsBothInOneGroup(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var series = await world.Catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Series", ""), default);
        var webinar = await SessionAsync(world, capacity: 100, series: series);
        var exchange = await SessionAsync(world, capacity: 0, SessionKind.LearningExchange, webinar, series);

        var receipt = await world.Grains.Session(webinar).RegisterAsync(Person("pat@example.org"), includeLearningExchange: true);

        Assert.Equal(SessionAdmissionOutcome.Confirmed, receipt.Session.Outcome);
        Assert.Equal(exchange, receipt.LearningExchange!.SessionId);
        Assert.Equal(SessionAdmissionOutcome.Waitlisted, receipt.LearningExchange.Outcome);
        var group = await world.Reader.FindGroupAsync(receipt.Group.Id, default);
        Assert.Equal([webinar, exchange], group!.Registrations.Select(r => r.SessionId));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_IsClosed_AtTheStart_AndAfterAnOrganizerCloses_WritingNothing(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var closedByOrganizer = await SessionAsync(world, capacity: 10);
        var started = await SessionAsync(world, capacity: 10);
        Assert.Equal(CloseResult.Closed, await world.Grains.Session(closedByOrganizer).CloseRegistrationAsync());
        Assert.Equal(CloseResult.AlreadyClosed, await world.Grains.Session(closedByOrganizer).CloseRegistrationAsync());

        var refused = await world.Grains.Session(closedByOrganizer).RegisterAsync(Person("pat@example.org"), false);
        _clock.Advance(TimeSpan.FromDays(7));
        var late = await world.Grains.Session(started).RegisterAsync(Person("pat@example.org"), false);

        Assert.Equal((SessionAdmissionOutcome.Closed, ClosedReason.ClosedByOrganizer), (refused.Session.Outcome, refused.Session.ClosedReason!.Value));
        Assert.Equal((SessionAdmissionOutcome.Closed, ClosedReason.SessionStarted), (late.Session.Outcome, late.Session.ClosedReason!.Value));
        Assert.Equal(0, (await world.Reader.CountByStatusAsync(closedByOrganizer, default)).Values.Sum());
        Assert.Equal(0, (await world.Reader.CountByStatusAsync(started, default)).Values.Sum());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task UnknownSession_AnswersNotFound_AndWritesNothing(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var nowhere = Guid.NewGuid();

        var receipt = await world.Grains.Session(nowhere).RegisterAsync(Person("pat@example.org"), false);
        var cancel = await world.Grains.Session(nowhere).CancelAsync(Guid.NewGuid());

        Assert.Equal(SessionAdmissionOutcome.SessionNotFound, receipt.Session.Outcome);
        Assert.Equal(CancelOutcome.NotFound, cancel.Outcome);
        Assert.Equal(0, (await world.Reader.CountByStatusAsync(nowhere, default)).Values.Sum());
    }
}
