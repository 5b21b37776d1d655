using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Registrations;

/// <summary>A series' registration questions and the answers stored with registrations, on SQLite and on PostgreSQL.</summary>
[Collection(DatabaseCollection.Name)]
public class RegistrationQuestionStorageTests(DatabaseFixture fixture)
{
    private static readonly QuestionEditor Organizer = new(null, "organizer@example.org", "192.0.2.7");

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, GrainCatalog Catalog, TestSilo Silo, RegistrationReader Reader, Guid Series, Guid Session) : IAsyncDisposable
    {
        public ISeriesGrain SeriesGrain => Silo.Grains.GetGrain<ISeriesGrain>(Series);

        public IRosterGrain SessionGrain => Silo.Grains.Session(Session);

        public ValueTask DisposeAsync() => Silo.DisposeAsync();
    }

    private async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var silo = await TestSilo.StartAsync(database, _clock);
        var catalog = new GrainCatalog(silo.Services, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Mind the Gap", ""), default);
        var starts = _clock.GetUtcNow().AddDays(7);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Family finding", "", starts, starts.AddHours(1),
            "America/New_York", 10, []), default);
        return new World(database, catalog, silo, new RegistrationReader(database), series, session);
    }

    private static RegistrationQuestion Track(string id = "qtrack") => new(id, QuestionKind.SingleChoice, "Which track?", "Pick the closest.", true,
        [new("oyouth", "Youth"), new("oolder", "Older adults")]);

    private static Applicant Person(string email, params RegistrationAnswer[] answers) =>
        Applicant.Validate("Pat Doe", email, "County DCF", "Caseworker", "America/Chicago", null).Applicant! with { Answers = answers };

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task EditQuestions_StoresTheOrderedList_AndAuditsEachEdit_WithTheSeriesTitle(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var badge = new RegistrationQuestion("qbadge", QuestionKind.ShortText, "Name for your badge", null, false, []);

        await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, Track()), Organizer);
        await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, badge), Organizer);
        var moved = await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.MoveUp, "qbadge", null), Organizer);
        var refused = await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, Track("qother") with { Options = [new("o1", "Only")] }), Organizer);

        Assert.Equal([QuestionSaveOutcome.Saved, QuestionSaveOutcome.Invalid], [moved.Outcome, refused.Outcome]);
        Assert.True(refused.Problems.ContainsKey("options"));
        // Read from the rows, not the grain's copy.
        var stored = (await new LearnHub.Silo.Catalog.SqlSeriesStore(world.Database, _clock, []).QuestionsAsync(world.Series, default))!;
        Assert.Equal(["qbadge", "qtrack"], stored.Select(q => q.Id));
        Assert.Equal(("qtrack", QuestionKind.SingleChoice, "Which track?", "Pick the closest.", true),
            (stored[1].Id, stored[1].Kind, stored[1].Label, stored[1].Hint, stored[1].Required));
        Assert.Equal(["Youth", "Older adults"], stored[1].Options.Select(o => o.Label));
        var audit = await new AuditLog(world.Database, _clock).ListAsync(null, "organizer@example.org", 10, default);
        // The clock is pinned: entries of one instant come back in no particular order.
        Assert.Equal(["series.question.added", "series.question.added", "series.question.moved"], audit.Select(a => a.Action).Order(StringComparer.Ordinal));
        Assert.All(audit, a => Assert.Equal(("Mind the Gap", "series", world.Series.ToString()), (a.ObjectTitle, a.ObjectType, a.ObjectId)));
        Assert.Contains(audit, a => a.Detail == "Added the registration question “Which track?” (Single choice, required).");
        Assert.Contains(audit, a => a.Detail == "Moved the registration question “Name for your badge” up.");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_StoresTheAnswersWithTheRegistration_AsGiven_EvenAfterTheQuestionChanges(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, Track()), Organizer);

        var receipt = await world.SessionGrain.RegisterAsync(Person("pat@example.org", new RegistrationAnswer("qtrack", ["oolder"])), false);
        await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Change, "qtrack",
            Track() with { Label = "Your track", Options = [new("oyouth", "Youth"), new("oforensic", "Forensic")] }), Organizer);
        await world.SessionGrain.ChangeDetailsAsync(receipt.Session.RegistrationId!.Value,
            Applicant.Validate("Pat Doe-Rivera", "pat@example.org", "County DCF", "Caseworker", "America/Chicago", null).Applicant!, null);

        Assert.Equal(SessionAdmissionOutcome.Confirmed, receipt.Session.Outcome);
        var answer = Assert.Single(Assert.Single(await world.Reader.ForSessionAsync(world.Session, default)).Answers);
        Assert.Equal(("qtrack", "Which track?", "Older adults"), (answer.QuestionId, answer.Label, answer.Display));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_WithABadOrMissingAnswer_IsRefused_NamingTheQuestion_AndStoresNothing(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        await world.SeriesGrain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, Track()), Organizer);

        var missing = await world.SessionGrain.RegisterAsync(Person("kim@example.org"), false);
        var forged = await world.SessionGrain.RegisterAsync(Person("lee@example.org", new RegistrationAnswer("qtrack", ["onot-an-option"])), false);

        Assert.Equal([SessionAdmissionOutcome.AnswersInvalid, SessionAdmissionOutcome.AnswersInvalid], [missing.Session.Outcome, forged.Session.Outcome]);
        Assert.Contains("Which track?", missing.Session.AnswerErrors!["answers.qtrack"], StringComparison.Ordinal);
        Assert.Contains("Which track?", forged.Session.AnswerErrors!["answers.qtrack"], StringComparison.Ordinal);
        Assert.Equal(0, (await world.Reader.CountByStatusAsync(world.Session, default)).Values.Sum());
        Assert.True((await world.SessionGrain.GetViewAsync())! is { ConfirmedCount: 0, WaitlistedCount: 0 });
    }
}
