using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Catalog;

/// <summary>
/// An organizer's Spanish and Chinese versions of a series' and a session's text are kept by their grains, on both
/// engines: rendered and sanitized like the originals, carried by the views pages read (the session's view carries
/// its series' too), kept across a restart, and refused whole, changing nothing, when something is wrong.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class ContentTranslationTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private static readonly ContentTranslation Spanish = new("es", "Cerrar la brecha", "Una serie sobre el **personal** <script>alert(1)</script>");

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Translations_AreRenderedLikeTheOriginals_AndReachTheViews_AndOutliveARestart(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        Guid series, session;
        await using (var silo = await TestSilo.StartAsync(database, _clock))
        {
            var catalog = new GrainCatalog(silo.Services, _clock);
            series = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "A series on the workforce."), default);
            session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Data and decisions", "How agencies decide.",
                _clock.GetUtcNow().AddDays(3), _clock.GetUtcNow().AddDays(3).AddHours(1), "America/Denver", 50,
                [new Presenter("Dana Ruiz", "Analytics", "Dana leads the team."), new Presenter("Sam Lee", "Court", "Sam is a judge.")]), default);

            var forSeries = await silo.Grains.GetGrain<ISeriesGrain>(series).SetTranslationsAsync(
                [Spanish with { CertificateStatement = "Aprobado para 1,5 horas." }, new ContentTranslation("zh-Hans", "", "")]);
            var forSession = await silo.Grains.Session(session).SetTranslationsAsync(
                [new ContentTranslation("zh-Hans", "数据与决策", "") { PresenterBios = ["", "萨姆是一名**法官**。"] }]);

            Assert.True(forSeries.Saved, string.Join("; ", forSeries.Problems.Values));
            Assert.True(forSession.Saved, string.Join("; ", forSession.Problems.Values));
            // The session grain's own view, which the session page reads, carries both its and its series' translations.
            var view = await silo.Grains.Session(session).GetViewAsync();
            Assert.Equal("数据与决策", ContentTranslations.For(view!.Translations, "zh-Hans")!.Title);
            Assert.Equal("<p>萨姆是一名<strong>法官</strong>。</p>\n", view.Translations.Single().PresenterBiosHtml[1]);
            Assert.Equal("", view.Translations.Single().PresenterBiosHtml[0]);
            Assert.Equal("Cerrar la brecha", ContentTranslations.For(view.SeriesTranslations, "es-MX")!.Title);
            // An empty translation is no translation: Chinese readers of the series see the original.
            Assert.Null(ContentTranslations.For(view.SeriesTranslations, "zh-Hans"));
            var listed = await silo.Grains.Catalog().SeriesAsync("mind-the-gap");
            Assert.Equal("<p>Una serie sobre el <strong>personal</strong> </p>\n", listed!.Translations.Single().DescriptionHtml);
        }

        await using (var restarted = await TestSilo.StartAsync(database, _clock))
        {
            var catalog = new GrainCatalog(restarted.Services, _clock);
            var series2 = await catalog.FindSeriesForOrganizersAsync(series, default);
            var session2 = await restarted.Grains.Session(session).GetViewAsync();
            Assert.Equal(("Cerrar la brecha", "Aprobado para 1,5 horas."), (series2!.Translations.Single().Title, series2.Translations.Single().CertificateStatement));
            Assert.Equal("数据与决策", session2!.Translations.Single().Title);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AWrongTranslation_IsRefusedWhole_WithTheFieldNamed_AndNothingChanges(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var catalog = new GrainCatalog(silo.Services, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "A series."), default);
        var grain = silo.Grains.GetGrain<ISeriesGrain>(series);
        await grain.SetTranslationsAsync([Spanish]);

        var twoLines = await grain.SetTranslationsAsync([Spanish with { Title = "Cerrar\nla brecha" }, new ContentTranslation("zh-Hans", "弥合差距", "")]);
        var french = await grain.SetTranslationsAsync([new ContentTranslation("fr", "Combler l'écart", "")]);
        var tooLong = await grain.SetTranslationsAsync([Spanish with { Title = new string('a', ContentTranslations.MaxTitle + 1) }]);
        var bios = await grain.SetTranslationsAsync([Spanish with { PresenterBios = ["Una biografía"] }]);
        var missing = await silo.Grains.GetGrain<ISeriesGrain>(Guid.NewGuid()).SetTranslationsAsync([Spanish]);

        Assert.Equal(["es.title"], twoLines.Problems.Keys);
        Assert.Equal(["language"], french.Problems.Keys);
        Assert.Equal(["es.title"], tooLong.Problems.Keys);
        Assert.Equal(["language"], bios.Problems.Keys);
        Assert.False(missing.Found);
        var stored = (await catalog.FindSeriesForOrganizersAsync(series, default))!.Translations;
        Assert.Equal([("es", "Cerrar la brecha")], stored.Select(t => (t.Language, t.Title)));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARegistrationQuestion_IsTranslatedByItsId_AndOnlyTheSeriesQuestionsCanBe(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var series = await new GrainCatalog(silo.Services, _clock).CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "A series."), default);
        var grain = silo.Grains.GetGrain<ISeriesGrain>(series);
        var asked = new RegistrationQuestion(RegistrationQuestions.NewId(), QuestionKind.SingleChoice, "Your role", "Pick the closest.", true,
            [new QuestionOption(RegistrationQuestions.NewId(), "Caseworker"), new QuestionOption(RegistrationQuestions.NewId(), "Supervisor")]);
        var added = await grain.EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, asked), new QuestionEditor(null, "olu@example.org", null));
        var question = added.Questions.Single();

        var saved = await grain.SetTranslationsAsync([new ContentTranslation("es", "", "") { Questions = [new(question.Id, "Su función", "", ["Trabajador/a social", ""])] }]);
        var unknown = await grain.SetTranslationsAsync([new ContentTranslation("es", "", "") { Questions = [new("q0000000000", "¿Qué?", "", [])] }]);
        var tooMany = await grain.SetTranslationsAsync([new ContentTranslation("es", "", "") { Questions = [new(question.Id, "Su función", "", ["a", "b", "c"])] }]);

        Assert.True(saved.Saved, string.Join("; ", saved.Problems.Values));
        Assert.Equal(["es.question-q0000000000"], unknown.Problems.Keys);
        Assert.Equal([$"es.question-{question.Id}-options"], tooMany.Problems.Keys);
        var stored = ContentTranslations.For((await silo.Grains.Catalog().SeriesAsync("mind-the-gap"))!.Translations, "es", question);
        Assert.Equal(("Su función", ""), (stored!.Label, stored.Hint));
        Assert.Equal(["Trabajador/a social", ""], stored.Options);
    }

    [Fact]
    public void ARegionalLanguage_FindsItsLanguagesTranslation_AndAnotherLanguageNone()
    {
        IReadOnlyList<ContentTranslation> translations = [Spanish, new ContentTranslation("zh-Hans", "弥合差距", "")];

        Assert.Equal("Cerrar la brecha", ContentTranslations.For(translations, "es-US")!.Title);
        Assert.Equal("弥合差距", ContentTranslations.For(translations, "zh-Hans")!.Title);
        Assert.Null(ContentTranslations.For(translations, "en"));
        Assert.Null(ContentTranslations.For(translations, "fr"));
        Assert.Equal(translations.Select(t => (t.Language, t.Title, t.Description)),
            ContentTranslations.FromColumn(ContentTranslations.ToColumn(translations)).Select(t => (t.Language, t.Title, t.Description)));
    }
}
