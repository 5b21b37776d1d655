using System.Net;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Testing;
using LearnHub.Web.Registrations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Registrations;

/// <summary>The manage link's self-service posted as a browser without JavaScript would: changing details, cancelling after confirming.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ManageSelfServiceTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(Guid Session, string Manage, HttpClient Client)> RegisteredAsync(string email)
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var result = await _app.Services.GetRequiredService<RegistrationDesk>().RegisterAsync(webinar,
            new RegistrationRequest("Robin Ellis", email, "County DCF", "Caseworker", "America/Chicago", ""), default);
        return (webinar, $"/registrations/{result.ManageToken}", _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
    }

    [Fact]
    public async Task ChangingDetails_WithAnInvalidField_ShowsTheProblemByTheField_AndChangesNothing()
    {
        var (session, manage, client) = await RegisteredAsync("robin@example.org");

        var response = await Forms.PostAsync(client, $"{manage}/details", $"{manage}/details", new()
        {
            ["Form.Name"] = "", ["Form.Agency"] = "County DCF", ["Form.JobRole"] = "Supervisor", ["Form.TimeZone"] = "Mars/Olympus_Mons", ["Form.Accommodations"] = "",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#f-name\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-timeZone\">", html, StringComparison.Ordinal);
        var row = Assert.Single(await _app.Services.GetRequiredService<RegistrationReader>().ForSessionAsync(session, default));
        Assert.Equal(("Robin Ellis", "Caseworker", null), (row.Name, row.JobRole, row.EditedAt));
    }

    [Fact]
    public async Task Cancelling_AsksFirst_ThenCancels_AndARegistrationOfAnotherLinkIsNotFound()
    {
        var (session, manage, client) = await RegisteredAsync("robin@example.org");
        var (_, other, _) = await RegisteredAsync("lee@example.org");
        var registration = Assert.Single(await _app.Services.GetRequiredService<RegistrationReader>().ForSessionAsync(session, default)).Id;

        var asked = await client.GetAsync($"{manage}/cancel/{registration}");
        var stillConfirmed = (await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(session, default))[RegistrationStatus.Confirmed];
        var foreign = await client.GetAsync($"{other}/cancel/{registration}");
        var cancelled = await Forms.PostAsync(client, $"{manage}/cancel/{registration}", $"{manage}/cancel/{registration}", new());

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal(1, stillConfirmed);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(manage, cancelled.Headers.Location!.OriginalString);
        Assert.Equal(1, (await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(session, default))[RegistrationStatus.Cancelled]);
    }

    [Fact]
    public async Task TheAnswerAboutTheRecording_IsShownOnTheManagePage_AndChangedThroughTheDetailsForm()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);
        var result = await _app.Services.GetRequiredService<RegistrationDesk>().RegisterAsync(webinar,
            new RegistrationRequest("Robin Ellis", "robin@example.org", "County DCF", "Caseworker", "America/Chicago", "", RecordingConsent: true), default);
        var manage = $"/registrations/{result.ManageToken}";
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var details = new Dictionary<string, string>
        {
            ["Form.Name"] = "Robin Ellis", ["Form.Agency"] = "County DCF", ["Form.JobRole"] = "Caseworker", ["Form.TimeZone"] = "America/Chicago", ["Form.Accommodations"] = "",
        };

        var before = WebUtility.HtmlDecode(await client.GetStringAsync(manage));
        var form = await client.GetStringAsync($"{manage}/details");
        var unanswered = await Forms.PostAsync(client, $"{manage}/details", $"{manage}/details", details);
        details["Form.RecordingConsent"] = "false";
        var changed = await Forms.PostAsync(client, $"{manage}/details", $"{manage}/details", details);
        var after = WebUtility.HtmlDecode(await client.GetStringAsync(manage));

        Assert.Contains("This session is recorded. Your answer: <strong>Consents to appearing in the recording</strong>", before, StringComparison.Ordinal);
        Assert.Matches("id=\"f-recordingConsent\"[^>]*checked", form);
        Assert.Equal(HttpStatusCode.BadRequest, unanswered.StatusCode);
        Assert.Contains("<a href=\"#f-recordingConsent\">", await unanswered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Contains("Your answer: <strong>Does not consent to appearing in the recording", after, StringComparison.Ordinal);
        var row = Assert.Single(await _app.Services.GetRequiredService<RegistrationReader>().ForSessionAsync(webinar, default));
        Assert.Equal((false, true), (row.RecordingConsent, row.EditedAt is not null));
    }
}
