using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LearnHub.Web.Tests.Pages.Evaluations;

/// <summary>The evaluation survey, reached from the emailed link (or signed in) and posted as a browser without JavaScript would.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SurveyTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Ann attended the webinar; the path of the survey link she was emailed once it had ended.</summary>
    private async Task<(Guid Session, Guid Registration, string SurveyPath)> AnnAttendedAsync(string email = "ann.lee@example.org")
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var ann = await Attendees.RegisterAsync(_app, webinar, "Ann Lee", email);
        _app.Clock.Advance(TimeSpan.FromDays(8)); // the webinar (a week from "now") is over: the survey mail is due
        await Attendees.RecordAsync(_app, webinar, (ann, true));
        var link = await _app.EmailedLinkAsync(email, "/evaluations/");
        return (webinar, ann, new Uri(link).PathAndQuery);
    }

    [Fact]
    public async Task TheEmailedLink_OpensTheSurvey_AndSubmittingItRecordsTheAnswersOnce()
    {
        var (_, ann, path) = await AnnAttendedAsync();
        var mail = await _app.EmailAsync("ann.lee@example.org", "Your evaluation: Simulation Labs for Child Welfare Education");
        var client = Browser();
        var form = await client.GetStringAsync(path);
        var token = Forms.AntiforgeryToken(form);

        var fields = Attendees.Answers(overall: "5", mostUseful: "The role play");
        fields["__RequestVerificationToken"] = token;
        var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        var thanks = await client.GetStringAsync(response.Headers.Location);
        var second = Attendees.Answers(overall: "1");
        second["__RequestVerificationToken"] = token;
        var again = await client.PostAsync(path, new FormUrlEncodedContent(second));
        var refusal = await again.Content.ReadAsStringAsync();

        Assert.Matches($"<a class=\"button\" href=\"http://localhost:5080{System.Text.RegularExpressions.Regex.Escape(path)}\"[^>]*>Answer the evaluation</a>", mail.HtmlBody);
        Assert.Contains("you can answer anonymously", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<legend>The training overall", form, StringComparison.Ordinal);
        Assert.Contains("<label for=\"f-overall-5\">5 – Excellent</label>", form, StringComparison.Ordinal);
        Assert.Contains("Would you recommend this training to a colleague?", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(path, response.Headers.Location!.OriginalString);
        Assert.Contains("Your evaluation of Simulation Labs for Child Welfare Education has been recorded.", thanks, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("cannot be answered again", refusal, StringComparison.Ordinal);
        Assert.Equal(1, await Attendees.CountAsync(_app, "SELECT COUNT(*) FROM evaluation_responses"));
        Assert.Equal(1, await Attendees.CountAsync(_app,
            "SELECT COUNT(*) FROM evaluation_responses WHERE registration_id = @r AND rating_overall = 5 AND most_useful = 'The role play'", new { r = ann.ToString() }));
    }

    public static TheoryData<string, string, string> BadAnswers => new()
    {
        { "OverallRating", "", "Choose a rating from 1 to 5 for &quot;The training overall&quot;." },
        { "ContentRating", "6", "The rating for &quot;The content&quot; must be a whole number from 1 to 5." },
        { "RelevanceRating", "0", "The rating for &quot;Relevance to my work&quot; must be a whole number from 1 to 5." },
        { "Recommend", "definitely", "Choose yes, maybe or no for whether you would recommend this training." },
        { "Suggestions", new string('x', 2001), "Keep &quot;what could be better&quot; to 2,000 characters (it has 2,001)." },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task ABadAnswer_IsShownInTheErrorSummary_AndChangesNothing(string field, string value, string message)
    {
        var (_, _, path) = await AnnAttendedAsync();
        var fields = Attendees.Answers();
        fields[field] = value;

        var response = await Forms.PostAsync(Browser(), path, path, fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("class=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Equal(0, await Attendees.CountAsync(_app, "SELECT COUNT(*) FROM evaluation_responses"));
        Assert.Equal(0, await Attendees.CountAsync(_app, "SELECT COUNT(*) FROM evaluation_invitations WHERE completed_utc_ms IS NOT NULL"));
    }

    [Fact]
    public async Task ATamperedLink_SaysItIsNotValid_With404_AndAPostToItStoresNothing()
    {
        var (_, _, path) = await AnnAttendedAsync();
        var tampered = path[..^1] + (path[^1] == 'A' ? 'B' : 'A');
        var client = Browser();

        var page = await client.GetAsync(tampered);
        var post = await Forms.PostAsync(client, path, tampered, Attendees.Answers());

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("This evaluation link is not valid", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, await Attendees.CountAsync(_app, "SELECT COUNT(*) FROM evaluation_responses"));
    }

    [Fact]
    public async Task ASignedInLearner_AnswersTheSurveyOfTheirOwnEmail_Anonymously_AndNobodyElseCanOpenIt()
    {
        var email = await _app.AccountAsync(Role.Learner);
        var (session, ann, _) = await AnnAttendedAsync(email);
        var learner = await _app.SignedInClientAsync(email);
        var stranger = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));

        var list = await learner.GetStringAsync("/evaluations");
        var foreign = await stranger.GetAsync($"/evaluations/sessions/{session}");
        var response = await Forms.PostAsync(learner, $"/evaluations/sessions/{session}", $"/evaluations/sessions/{session}", Attendees.Answers(anonymous: true));

        Assert.Contains($"href=\"/evaluations/sessions/{session}\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await Attendees.CountAsync(_app, "SELECT COUNT(*) FROM evaluation_responses WHERE registration_id IS NULL"));
        Assert.Equal(1, await Attendees.CountAsync(_app,
            "SELECT COUNT(*) FROM evaluation_invitations WHERE registration_id = @r AND completed_utc_ms IS NOT NULL", new { r = ann.ToString() }));
        Assert.Equal(HttpStatusCode.Redirect, (await Browser().GetAsync($"/evaluations/sessions/{session}")).StatusCode); // to sign-in
    }

    [Fact]
    public async Task CheckedInWhileTheSessionRuns_TheSurveyAndTheCertificateWaitForItsEnd()
    {
        // A learner checked in at the door sees their survey listed with the time it opens, cannot answer it, and has
        // no certificate on their transcript until the session is over; then both are there.
        var email = await _app.AccountAsync(Role.Learner);
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var ann = await Attendees.RegisterAsync(_app, webinar, "Ann Lee", email);
        _app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(10)); // ten minutes into the 90-minute webinar
        await Attendees.RecordAsync(_app, webinar, (ann, true));
        var learner = await _app.SignedInClientAsync(email);
        var survey = $"/evaluations/sessions/{webinar}";

        var list = await learner.GetStringAsync("/evaluations");
        var page = await learner.GetStringAsync(survey);
        var early = await Forms.PostAsync(learner, "/my-learning", survey, Attendees.Answers());
        var transcript = await learner.GetStringAsync("/my-learning/transcript");
        _app.Clock.Advance(TimeSpan.FromMinutes(80)); // the end
        var transcriptAfter = await learner.GetStringAsync("/my-learning/transcript");
        var answered = await Forms.PostAsync(learner, survey, survey, Attendees.Answers());

        Assert.Contains("opens when the session ends", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"{survey}\"", list, StringComparison.Ordinal);
        Assert.Contains("The evaluation opens when the session ends", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("No certificates yet", transcript, StringComparison.Ordinal);
        Assert.Contains("Simulation Labs for Child Welfare Education", transcriptAfter, StringComparison.Ordinal);
        Assert.DoesNotContain("No certificates yet", transcriptAfter, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Equal(1, await Attendees.CountAsync(_app, "SELECT COUNT(*) FROM evaluation_responses"));
    }
}
