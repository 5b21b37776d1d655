using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Registrations;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Registrations;

/// <summary>
/// A series' own registration questions over HTTP: the organizer's editor, the registration form and the JSON API
/// posted as a browser without JavaScript and an integration would, and the registrant list and CSV that show answers.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RegistrationQuestionsTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Track = "qtrack";
    private const string Field = "answers.qtrack";

    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ISeriesGrain SeriesGrain(Guid series) => _app.Services.GetRequiredService<IGrainFactory>().GetGrain<ISeriesGrain>(series);

    private async Task<(Guid Series, Guid Session)> SessionAskingTheTrackAsync()
    {
        var (series, session, _) = await _app.SeriesWithWebinarAsync();
        var question = new RegistrationQuestion(Track, QuestionKind.SingleChoice, "Which track are you in?", "We group the discussion by track.", true,
            [new("oyouth", "Youth"), new("oolder", "Older adults")]);
        var saved = await SeriesGrain(series).EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null, question), new QuestionEditor(null, "organizer@example.org", null));
        Assert.Equal(QuestionSaveOutcome.Saved, saved.Outcome);
        return (series, session);
    }

    private static Dictionary<string, string> Registrant(string email) => new()
    {
        ["Form.Name"] = "Pat Doe",
        ["Form.Email"] = email,
        ["Form.Agency"] = "County DCF",
        ["Form.JobRole"] = "Caseworker",
        ["Form.TimeZone"] = "America/Denver",
    };

    private async Task<int> RowsAsync(Guid session) =>
        (await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(session, default)).Values.Sum();

    [Fact]
    public async Task TheEditor_AddsAQuestion_AuditedUnderTheSeriesTitle_AndRefusesOneWithASingleOption_AtItsField()
    {
        var (series, _, _) = await _app.SeriesWithWebinarAsync();
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var page = $"/organizer/series/{series}/questions";
        var question = new Dictionary<string, string> { ["Label"] = "Which track are you in?", ["Kind"] = "single-choice", ["Options"] = "Youth\r\nOlder adults", ["Required"] = "true" };

        var refused = await Forms.PostAsync(organizer, page, $"{page}?handler=Save", new Dictionary<string, string>(question) { ["Options"] = "Youth" });
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        var added = await Forms.PostAsync(organizer, page, $"{page}?handler=Save", question);
        var listed = await organizer.GetStringAsync(page);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<a href=\"#f-options\">Give 2 to 20 options, one a line.</a>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"hint-options err-options\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Which track are you in?", listed, StringComparison.Ordinal);
        var stored = Assert.Single(await SeriesGrain(series).QuestionsAsync());
        Assert.Equal((QuestionKind.SingleChoice, true, 2), (stored.Kind, stored.Required, stored.Options.Count));
        var audit = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("series.question.added", null, 10, default));
        Assert.Equal(("Mind the Gap", series.ToString()), (audit.ObjectTitle, audit.ObjectId));
    }

    [Fact]
    public async Task TheForm_AsksAChoiceInAFieldset_RefusesNoAnswerNamingTheQuestion_AndStoresAnAnswerTheOrganizerSees()
    {
        var (_, session) = await SessionAskingTheTrackAsync();
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // Razor writes the curly quotes of the messages as character references.
        var form = WebUtility.HtmlDecode(await client.GetStringAsync($"/sessions/{session}"));

        var missing = await Forms.PostAsync(client, $"/sessions/{session}", $"/sessions/{session}", Registrant("pat@example.org"));
        var missingHtml = WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync());
        var forged = await Forms.PostAsync(client, $"/sessions/{session}", $"/sessions/{session}",
            new Dictionary<string, string>(Registrant("pat@example.org")) { [$"answers[{Track}]"] = "onot-an-option" });
        var rowsAfterRefusals = await RowsAsync(session);
        var registered = await Forms.PostAsync(client, $"/sessions/{session}", $"/sessions/{session}",
            new Dictionary<string, string>(Registrant("pat@example.org")) { [$"answers[{Track}]"] = "oolder" });

        Assert.Contains("<legend>Which track are you in? (required)</legend>", form, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"radio\" id=\"f-{Field}\" name=\"answers[{Track}]\" value=\"oyouth\" required=\"required\" />", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains($"<a href=\"#f-{Field}\">Answer “Which track are you in?”: choose one option.</a>", missingHtml, StringComparison.Ordinal);
        Assert.Contains($"aria-describedby=\"hint-{Field} err-{Field}\"", missingHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Choose from the options given for “Which track are you in?”.", WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, rowsAfterRefusals);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);

        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var list = await organizer.GetStringAsync($"/organizer/sessions/{session}");
        var csv = await organizer.GetStringAsync($"/organizer/sessions/{session}/registrants.csv");
        Assert.Contains("<th scope=\"col\">Answers</th>", list, StringComparison.Ordinal);
        Assert.Contains("<dt>Which track are you in?</dt><dd>Older adults</dd>", list, StringComparison.Ordinal);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n");
        Assert.EndsWith(",recording_consent,accommodation_state,accommodation_note,Which track are you in?", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",Older adults", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApi_ListsTheQuestions_NamesABadAnswersField_AndStoresAGoodOne()
    {
        var (_, session) = await SessionAskingTheTrackAsync();
        var client = _app.CreateClient();
        object Body(object? answers) => new
        {
            name = "Pat Doe", email = "pat@example.org", agency = "County DCF", jobRole = "Caseworker", timeZone = "America/Chicago", answers,
        };

        var described = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
        var bad = await client.PostAsJsonAsync($"/api/sessions/{session}/registrations", Body(new Dictionary<string, object> { [Track] = new[] { "oyouth", "oolder" } }));
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        var rowsAfterBad = await RowsAsync(session);
        var good = await client.PostAsJsonAsync($"/api/sessions/{session}/registrations", Body(new Dictionary<string, object> { [Track] = "oyouth" }));
        var manage = (await good.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("manageUrl").GetString()!;
        var managed = await client.GetFromJsonAsync<JsonElement>($"/api/registrations/{manage[(manage.LastIndexOf('/') + 1)..]}");

        var question = Assert.Single(described.GetProperty("questions").EnumerateArray());
        Assert.Equal((Track, "single-choice", 2), (question.GetProperty("id").GetString(), question.GetProperty("kind").GetString(), question.GetProperty("options").GetArrayLength()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Choose only one option for “Which track are you in?”.", problem.GetProperty("errors").GetProperty(Field)[0].GetString());
        Assert.Equal(0, rowsAfterBad);
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var answer = Assert.Single(managed[0].GetProperty("answers").EnumerateArray());
        Assert.Equal(("Which track are you in?", "Youth"), (answer.GetProperty("question").GetString(), answer.GetProperty("answer").GetString()));
    }
}
