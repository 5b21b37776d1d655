using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Evaluations;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Evaluations;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Evaluations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Organizer;

/// <summary>A session's evaluation results, their CSV and the series dashboard: for organizers and admins only.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class EvaluationResultsTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>
    /// Three registered on November 22 (UTC); Ann and Bo attended, Cy did not. Ann answered by name (5, yes, a
    /// comment), Bo anonymously (2, no, a suggestion).
    /// </summary>
    private async Task<(Guid Series, Guid Session)> EvaluatedAsync()
    {
        var (series, webinar, _) = await _app.SeriesWithWebinarAsync();
        var ann = await Attendees.RegisterAsync(_app, webinar, "Ann Lee", "ann@example.org");
        var bo = await Attendees.RegisterAsync(_app, webinar, "Bo Chen", "bo@example.org");
        var cy = await Attendees.RegisterAsync(_app, webinar, "Cy Diaz", "cy@example.org");
        _app.Clock.Advance(TimeSpan.FromDays(8)); // the webinar is over: its survey takes answers
        await Attendees.RecordAsync(_app, webinar, (ann, true), (bo, true), (cy, false));
        var store = _app.Services.GetRequiredService<EvaluationStore>();
        await store.SubmitAsync(ann, Answers("5", "4", "5", "4", "yes", "The role play", ""), anonymous: false, default);
        await store.SubmitAsync(bo, Answers("2", "3", "4", "2", "no", "", "Bo's suggestion: more time"), anonymous: true, default);
        return (series, webinar);
    }

    private static EvaluationAnswers Answers(string overall, string content, string presenters, string relevance, string recommend, string useful, string better) =>
        EvaluationAnswers.Read(new Dictionary<RatedQuestion, string?>
        {
            [RatedQuestion.Overall] = overall, [RatedQuestion.Content] = content, [RatedQuestion.Presenters] = presenters, [RatedQuestion.Relevance] = relevance,
        }, recommend, useful, better).Answers!;

    [Fact]
    public async Task TheResults_ShowTheExactFigures_AsChartsWithTables_AndNameOnlyNamedComments()
    {
        var (_, session) = await EvaluatedAsync();
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));

        var html = await organizer.GetStringAsync($"/organizer/sessions/{session}/evaluation");

        Assert.Contains("<tr><td>2</td><td>2</td><td>100%</td></tr>", html, StringComparison.Ordinal); // invited, completed, rate
        Assert.Contains("<tr><th scope=\"row\">The training overall</th><td>3.5</td>", html, StringComparison.Ordinal);
        Assert.Matches(@"The training overall</th><td>3\.5</td>\s*<td>1</td>\s*<td>0</td>\s*<td>0</td>\s*<td>1</td>\s*<td>0</td>", html); // 5, 4, 3, 2, 1
        Assert.Matches(@"<th scope=""row"">Yes</th><td>1</td><td>50%</td>", html);
        Assert.Matches(@"<th scope=""row"">No</th><td>1</td><td>50%</td>", html);
        Assert.Equal(6, html.Split("<div class=\"chart\" role=\"img\"").Length - 1); // averages, four spreads, recommendation
        Assert.Contains("Ann Lee", html, StringComparison.Ordinal);
        Assert.Contains("Bo&#x27;s suggestion: more time", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"meta\">Anonymous</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Bo Chen", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsv_ListsEveryResponse_AnonymousOnesWithoutNameOrEmail_AndEachExportIsAudited()
    {
        var (_, session) = await EvaluatedAsync();
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));

        var csv = await organizer.GetStringAsync($"/organizer/sessions/{session}/evaluation.csv");

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("response_id,submitted_on,anonymous,name,email,overall,content,presenters,relevance,recommend,most_useful,suggestions", lines[0]);
        Assert.Equal(2, lines.Length - 1);
        Assert.Contains(lines, l => l.EndsWith(",2026-11-30,no,Ann Lee,ann@example.org,5,4,5,4,yes,The role play,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",2026-11-30,yes,,,2,3,4,2,no,,Bo's suggestion: more time", StringComparison.Ordinal));
        Assert.DoesNotContain("bo@example.org", csv, StringComparison.Ordinal);
        var entry = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("evaluations.exported", null, 10, default));
        Assert.Equal(session.ToString(), entry.ObjectId);
    }

    [Fact]
    public async Task TheCsvOfASessionThatDoesNotExist_Is404_AndNotAnAuditedEmptyFile()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));

        var response = await organizer.GetAsync($"/organizer/sessions/{Guid.NewGuid()}/evaluation.csv");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await _app.Services.GetRequiredService<AuditLog>().ListAsync("evaluations.exported", null, 10, default));
    }

    [Fact]
    public async Task TheSeriesDashboard_ShowsRegistrationsByWeek_AttendanceRate_AndScores_LinkedFromTheOrganizerPage()
    {
        var (series, session) = await EvaluatedAsync();
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));

        var index = await organizer.GetStringAsync("/organizer/series");
        var html = await organizer.GetStringAsync($"/organizer/series/{series}/dashboard");

        Assert.Contains($"href=\"/organizer/series/{series}/dashboard\"", index, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Nov 16, 2026</th><td>3</td></tr>", html, StringComparison.Ordinal); // Sunday the 22nd is in that week
        Assert.Matches($@"<a href=""/organizer/sessions/{session}"">Simulation Labs for Child Welfare Education</a></th><td>Nov 29, 2026</td><td>3</td><td>2</td><td>67%</td>", html);
        Assert.Matches(@"Simulation Labs for Child Welfare Education</th><td>2</td><td>3\.5</td><td>50%</td>", html);
        Assert.Equal(4, html.Split("<div class=\"chart\" role=\"img\"").Length - 1);
    }

    private static string PathOf(HttpResponseMessage redirect) => new Uri(new Uri("http://localhost"), redirect.Headers.Location!).PathAndQuery;

    [Fact]
    public async Task LearnersAndVisitors_AreRefusedTheResults_TheExport_AndTheDashboard()
    {
        var (series, session) = await EvaluatedAsync();
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var visitor = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var path in new[] { $"/organizer/sessions/{session}/evaluation", $"/organizer/sessions/{session}/evaluation.csv", $"/organizer/series/{series}/dashboard" })
        {
            var asLearner = await learner.GetAsync(path);
            var asVisitor = await visitor.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, asLearner.StatusCode);
            Assert.StartsWith("/denied", PathOf(asLearner), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, asVisitor.StatusCode);
            Assert.StartsWith("/signin", PathOf(asVisitor), StringComparison.Ordinal);
        }

        Assert.Empty(await _app.Services.GetRequiredService<AuditLog>().ListAsync("evaluations.exported", null, 10, default));
    }
}
