using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Privacy;

/// <summary>"Download my data" on My learning, and an admin's export of anyone (audited); a learner cannot use the admin's.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class PersonDataPageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task RegisterAsync(Guid session, string email) =>
        (await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago", accommodations = "Large print",
        })).EnsureSuccessStatusCode();

    [Fact]
    public async Task MyLearning_DownloadsMyDataOnly()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var me = await _app.AccountAsync(Role.Learner);
        await RegisterAsync(webinar, me);
        await RegisterAsync(webinar, "someone.else@example.org");
        var client = await _app.SignedInClientAsync(me);

        var page = await client.GetStringAsync("/my-learning");
        var response = await client.GetAsync("/my-learning?handler=Data");
        var data = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Contains("Download my data", page, StringComparison.Ordinal);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(me, data.GetProperty("email").GetString());
        Assert.Equal("Large print", data.GetProperty("registrations").EnumerateArray().Single().GetProperty("accommodations").GetString());
        Assert.DoesNotContain("someone.else", data.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admins_ExportAnyPerson_Audited_AndLearnersCannot()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await RegisterAsync(webinar, "guest@example.org");
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var token = Forms.AntiforgeryToken(await admin.GetStringAsync("/admin/people"));

        var response = await admin.PostAsync("/admin/people?handler=Export", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["exportEmail"] = "Guest@Example.org",
        }));
        var refused = await learner.PostAsync("/admin/people?handler=Export", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(await learner.GetStringAsync("/my-learning")), ["exportEmail"] = "guest@example.org",
        }));

        var data = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Single(data.GetProperty("registrations").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("account").ValueKind);
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden
            || (refused.StatusCode == HttpStatusCode.Redirect && refused.Headers.Location!.PathAndQuery.StartsWith("/denied", StringComparison.Ordinal)),
            $"A learner got {(int)refused.StatusCode} from the admin's export.");
        var exports = await _app.Services.GetRequiredService<AuditLog>().ListAsync("person.exported", null, 10, default);
        Assert.Contains("guest@example.org", Assert.Single(exports).Detail, StringComparison.Ordinal);
    }
}
