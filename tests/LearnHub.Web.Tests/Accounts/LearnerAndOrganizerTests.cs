using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

[Collection(DatabaseCollection.Name)]
public sealed class LearnerAndOrganizerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();


    private async Task<Guid> RegisterAsync(Guid session, string email)
    {
        var body = await (await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("registrationId").GetGuid();
    }

    [Fact]
    public async Task MyLearning_ShowsOnlyMyRegistrations_AndCancelsOnlyMine()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var me = await _app.AccountAsync(Role.Learner);
        var mine = await RegisterAsync(webinar, me);
        var theirs = await RegisterAsync(webinar, "someone.else@example.org");
        var client = await _app.SignedInClientAsync(me);

        var page = await client.GetStringAsync("/my-learning");
        var token = Forms.AntiforgeryToken(page);
        var stealing = await client.PostAsync("/my-learning?handler=Cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["registrationId"] = theirs.ToString(),
        }));
        var own = await client.PostAsync("/my-learning?handler=Cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["registrationId"] = mine.ToString(),
        }));

        Assert.Contains("Simulation Labs for Child Welfare Education", page, StringComparison.Ordinal);
        Assert.DoesNotContain("someone.else", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, stealing.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        var statuses = (await _app.Services.GetRequiredService<RegistrationReader>().ForSessionAsync(webinar, default)).ToDictionary(r => r.Id, r => r.Status);
        Assert.Equal((RegistrationStatus.Cancelled, RegistrationStatus.Confirmed), (statuses[mine], statuses[theirs]));
    }

    [Fact]
    public async Task Organizers_ExportRegistrants_AsSafeCsv_AndLearnersCannot()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await RegisterAsync(webinar, "pat@example.org");
        await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "=HYPERLINK(\"x\")", email = "formula@example.org", agency = "A, with comma", jobRole = "R", timeZone = "UTC",
        });
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));

        var bytes = await organizer.GetByteArrayAsync($"/organizer/sessions/{webinar}/registrants.csv");
        var csv = System.Text.Encoding.UTF8.GetString(bytes);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // so spreadsheet programs read UTF-8
        Assert.StartsWith("name,email,agency", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("pat@example.org", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv, StringComparison.Ordinal);
        Assert.Contains("\"A, with comma\"", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await organizer.GetAsync("/organizer")).StatusCode);
        var exports = await _app.Services.GetRequiredService<LearnHub.Silo.Auditing.AuditLog>().ListAsync("registrants.exported", null, 10, default);
        Assert.Equal(webinar.ToString(), Assert.Single(exports).ObjectId);
        Assert.Equal(HttpStatusCode.Redirect, (await learner.GetAsync("/organizer")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await learner.GetAsync($"/organizer/sessions/{webinar}/registrants.csv")).StatusCode);
    }
}
