using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Media;

/// <summary>
/// The knowledge check's pages without a browser (issue 14): the organizer's form says what is wrong and saves nothing
/// until it is right; a learner's attempt that is incomplete, submitted twice or beyond the limit is refused, stating
/// why, and stores nothing.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class KnowledgeCheckPagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new LearnHubWebFactory(fixture.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheOrganizersForm_SaysWhatIsWrong_AddsQuestionsWithoutScript_AndSavesOnlyAWholeCheck()
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Motivational Interviewing", 150);
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var path = $"/organizer/sessions/{session}/check";
        var fields = new Dictionary<string, string>
        {
            ["PassPercent"] = "0", ["MaxAttempts"] = "3",
            ["Questions[0].Prompt"] = "Which process comes first?", ["Questions[0].Options[0]"] = "Engaging", ["Questions[0].Options[1]"] = "Planning",
            ["Questions[0].Correct"] = "0",
            ["Questions[1].Prompt"] = "Change talk is whose?", ["Questions[1].Options[0]"] = "The client's", ["Questions[1].Options[1]"] = "The client's",
            ["Questions[1].Correct"] = "0",
        };

        var refused = await Forms.PostAsync(organizer, path, path, new(fields));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Enter a pass mark from 1 to 100 percent.", html, StringComparison.Ordinal);
        Assert.Contains("Write from 3 to 20 questions (there are 2).", html, StringComparison.Ordinal);
        Assert.Contains("Give each answer option once.", html, StringComparison.Ordinal);
        Assert.Null(await Check(session).GetAsync());

        var added = await Forms.PostAsync(organizer, path, path + "?handler=add", new(fields));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("name=\"Questions[2].Prompt\"", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await Check(session).GetAsync());

        fields["PassPercent"] = "80";
        fields["Questions[1].Options[1]"] = "The practitioner's";
        fields["Questions[2].Prompt"] = "A complex reflection…";
        fields["Questions[2].Options[0]"] = "asks a question";
        fields["Questions[2].Options[1]"] = ""; // a browser posts every slot, empty or not
        fields["Questions[2].Options[2]"] = "guesses at meaning";
        fields["Questions[2].Correct"] = "2";
        var saved = await Forms.PostAsync(organizer, path, path, fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var check = await Check(session).GetAsync();
        Assert.Equal((3, 80, 3), (check!.Questions.Count, check.PassPercent, check.MaxAttempts));
        Assert.Equal(["asks a question", "guesses at meaning"], check.Questions[2].Options);
        Assert.Equal(1, check.Questions[2].Correct);
        Assert.Contains("3 questions; pass mark 80%; 3 attempts.", await organizer.GetStringAsync($"/organizer/sessions/{session}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAttempt_Incomplete_SubmittedTwice_OrBeyondTheLimit_IsRefused_AndStoresNothing()
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Supervision", 150, selfStudy: new SelfStudyRule(Enabled: true));
        var registration = await CertificateSetup.AttendAsync(_app, session, "kim.nguyen@example.org", "Kim Nguyen", attended: false);
        var grains = _app.Services.GetRequiredService<Orleans.IGrainFactory>();
        Assert.Empty(await Check(session).SaveAsync(new KnowledgeCheckDraft([
            new("a", "One?", ["yes", "no"], 0), new("b", "Two?", ["yes", "no"], 1), new("c", "Three?", ["yes", "no"], 0)], PassPercent: 100, MaxAttempts: 2), null));
        var media = grains.GetGrain<ISessionMediaGrain>(session);
        var sha = await _app.Services.GetRequiredService<MediaFiles>().StoreTextAsync("a recording", default);
        var recording = (await media.AddAsync(new MediaDraft(session, MediaKind.Recording, "Recording", MediaVisibility.Registrants, "r.webm", "video/webm",
            sha, 11) { LengthSeconds = 60 })).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        var pass = _app.Services.GetRequiredService<MediaPasses>().Issue(registration, recording);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = $"/recordings/{recording}/check?pass={Uri.EscapeDataString(pass)}";

        // Not played yet: no form, only the reason.
        var early = await client.GetStringAsync(page);
        Assert.Contains("Play at least 90% of the recording first", early, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"check-form\"", early, StringComparison.Ordinal);

        var view = grains.GetGrain<IRecordingViewGrain>(new Watcher(registration, null).GrainKey(recording));
        Assert.Equal(ProgressOutcome.Accepted, (await view.ReportAsync(new Watcher(registration, null), [new PlayedSpan(0, 60)], 60)).Outcome);
        Assert.Contains("This is attempt 1 of 2.", await client.GetStringAsync(page), StringComparison.Ordinal);

        var incomplete = await Forms.PostAsync(client, page, page, new() { ["attempt"] = "1", ["q-a"] = "0" });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("Answer every question: 2 are not answered.", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await Check(session).StandingAsync(registration))!.AttemptsUsed);

        var wrong = new Dictionary<string, string> { ["attempt"] = "1", ["q-a"] = "1", ["q-b"] = "1", ["q-c"] = "0" };
        Assert.Contains("Attempts left: 1.", await (await Forms.PostAsync(client, page, page, new(wrong))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var twice = await Forms.PostAsync(client, page, page, new(wrong));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("This attempt was already submitted.", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The last attempt's form, kept open in a second tab, is posted after that attempt was used.
        var token = Forms.AntiforgeryToken(await client.GetStringAsync(page));
        await Forms.PostAsync(client, page, page, new(wrong) { ["attempt"] = "2" });
        var beyond = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["attempt"] = "3", ["q-a"] = "0", ["q-b"] = "1", ["q-c"] = "0",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains("You have used all 2 attempts at this knowledge check.", await beyond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((2, false), ((await Check(session).StandingAsync(registration))!.AttemptsUsed, (await Check(session).StandingAsync(registration))!.Passed));
        Assert.Empty(await _app.Services.GetRequiredService<Silo.Certificates.CertificateStore>().ForPersonAsync("kim.nguyen@example.org", default));
    }

    private IKnowledgeCheckGrain Check(Guid session) => _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<IKnowledgeCheckGrain>(session);
}
