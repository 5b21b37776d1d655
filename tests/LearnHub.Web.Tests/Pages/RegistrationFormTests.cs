using System.Net;
using LearnHub.Silo.Registrations;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages;

/// <summary>The session page's form without JavaScript: plain HTML posts, as a screen-reader or no-script user sends them.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class RegistrationFormTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();


    private async Task<(HttpClient Client, string Token)> OpenFormAsync(Guid session)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var html = await client.GetStringAsync($"/sessions/{session}");
        return (client, Forms.AntiforgeryToken(html));
    }

    [Fact]
    public async Task AValidPost_RedirectsToTheConfirmation_AndRemembersTheChosenZone()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var (client, token) = await OpenFormAsync(session);

        var response = await client.PostAsync($"/sessions/{session}", Forms.Registration(token, "pat@example.org"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/confirmation", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lh_tz=America%2FDenver", StringComparison.Ordinal));
        var confirmation = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("America/Denver", confirmation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidPost_ShowsEveryProblem_KeepsWhatWasTyped_AndWritesNothing()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var (client, token) = await OpenFormAsync(session);

        var response = await client.PostAsync($"/sessions/{session}", Forms.Registration(token, "not-an-email", name: ""));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-email\">Enter an email address in the form name@example.org.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-name\">Enter your name.</a>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"not-an-email\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"err-email\"", html, StringComparison.Ordinal);
        Assert.Equal(0, (await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(session, default)).Values.Sum());
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_IsRefused_AndWritesNothing()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var (client, _) = await OpenFormAsync(session);

        var response = await client.PostAsync($"/sessions/{session}", Forms.Registration("", "pat@example.org"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(session, default)).Values.Sum());
    }

    [Fact]
    public async Task PagesForUnknownThings_Answer404_WithAPage()
    {
        var client = _app.CreateClient();

        var session = await client.GetAsync($"/sessions/{Guid.NewGuid()}");
        var series = await client.GetAsync("/series/no-such-series");

        Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
        Assert.Contains("Page not found", await session.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, series.StatusCode);
    }

    [Fact]
    public async Task ARecordedSession_SaysSo_AndAsksAboutTheRecording_WithNeitherAnswerChosen()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);

        var html = await _app.CreateClient().GetStringAsync($"/sessions/{session}");

        Assert.Contains("id=\"recording-notice\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"recording-form-notice\"", html, StringComparison.Ordinal);
        Assert.Contains("<legend>Do you consent to appearing in the recording? (required)</legend>", html, StringComparison.Ordinal);
        Assert.Contains("I do not consent — I will keep my camera and microphone off", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.DoesNotContain("checked", System.Text.RegularExpressions.Regex.Match(html, "<fieldset class=\"choices stacked\"[\\s\\S]*?</fieldset>").Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionNotRecorded_ShowsNoRecordingNotice_AndNoQuestion()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();

        var html = await _app.CreateClient().GetStringAsync($"/sessions/{session}");

        Assert.DoesNotContain("recording-notice", html, StringComparison.Ordinal);
        Assert.DoesNotContain("f-recordingConsent", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnAnswerAboutTheRecording_TheErrorSummaryLinksToTheQuestion_AndNothingIsStored()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);
        var (client, token) = await OpenFormAsync(session);

        var response = await client.PostAsync($"/sessions/{session}", Forms.Registration(token, "pat@example.org"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#f-recordingConsent\">", html, StringComparison.Ordinal);
        Assert.Contains("id=\"err-recordingConsent\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"hint-recordingConsent err-recordingConsent\"", html, StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<RegistrationReader>().ForSessionAsync(session, default));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task EitherAnswerAboutTheRecording_Registers_AndIsStoredWithTheRegistration(string posted, bool stored)
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);
        var (client, token) = await OpenFormAsync(session);

        var response = await client.PostAsync($"/sessions/{session}", Forms.Registration(token, "pat@example.org", recordingConsent: posted));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(stored, Assert.Single(await _app.Services.GetRequiredService<RegistrationReader>().ForSessionAsync(session, default)).RecordingConsent);
    }
}
