using System.Net;
using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Pages.Registrations;
using LearnHub.Web.Registrations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Registrations;

/// <summary>
/// A lost manage link comes back: "email me my registrations" answers the same for any address and mails only an
/// address that has registrations (once per window), and registering again sends the manage link again.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class LostLinkTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task EmailMeMyRegistrations_AnswersTheSameForAnyAddress_AndQueuesOneListPerWindow_OnlyForAnAddressWithRegistrations(DatabaseProvider provider)
    {
        _app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await _app.Services.GetRequiredService<RegistrationDesk>().RegisterAsync(webinar,
            new RegistrationRequest("Robin Ellis", "Robin.Ellis@example.org", "County DCF", "Caseworker", "America/Chicago", ""), default);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // No antiforgery token: the form sits on cacheable public pages.
        var unknown = await PostAsync(client, "nobody@example.org");
        var known = await PostAsync(client, "robin.ellis@EXAMPLE.org");
        var again = await PostAsync(client, "robin.ellis@example.org");

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(unknown, known);
        Assert.Equal(known, again);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(EmailMineModel.Sent), known.Body, StringComparison.Ordinal);
        // Requests are handled in order after answering: once the known address's list is queued, the unknown one was seen.
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(10), async () => (await ListRowsAsync()).Count == 1));
        var list = await _app.EmailAsync("robin.ellis@example.org", "Your LearnHub registrations");
        var manage = System.Text.RegularExpressions.Regex.Match(list.TextBody ?? "", @"https?://\S+/registrations/[A-Za-z0-9_\-]+").Value;
        Assert.Contains("Upcoming: Simulation Labs for Child Welfare Education", list.TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(manage).PathAndQuery)).StatusCode);
        Assert.Equal(["robin.ellis@example.org"], await ListRowsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RegisteringAgainLater_SaysSo_ChangesNothing_AndEmailsTheManageLinkAgain_OncePerWindow(DatabaseProvider provider)
    {
        _app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var desk = _app.Services.GetRequiredService<RegistrationDesk>();
        var request = new RegistrationRequest("Robin Ellis", "robin.ellis@example.org", "County DCF", "Caseworker", "America/Chicago", "");
        await desk.RegisterAsync(webinar, request, default);
        // A second click right after the first is not a lost link: the confirmation has only just been sent.
        await desk.RegisterAsync(webinar, request, default);
        _app.Clock.Advance(LearnHub.Grains.Messaging.MailIntent.ResendWindow);

        var second = await desk.RegisterAsync(webinar, request with { Name = "Robin E." }, default);
        await desk.RegisterAsync(webinar, request, default);

        Assert.Equal(DeskOutcome.AlreadyRegistered, second.Outcome);
        Assert.Equal(RegistrationDesk.AlreadyRegisteredMessage("robin.ellis@example.org"), second.Message);
        var resent = await _app.EmailAsync("robin.ellis@example.org", "Your manage link");
        var link = System.Text.RegularExpressions.Regex.Match(resent.TextBody ?? "", @"https?://\S+/registrations/[A-Za-z0-9_\-]+").Value;
        var page = await _app.CreateClient().GetStringAsync(new Uri(link).PathAndQuery);
        Assert.Contains("Robin Ellis", page, StringComparison.Ordinal);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'manage-link-resent'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM registrations"));

        // In the next window it is sent once more.
        _app.Clock.Advance(LearnHub.Grains.Messaging.MailIntent.ResendWindow);
        await desk.RegisterAsync(webinar, request, default);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'manage-link-resent'"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string email)
    {
        var response = await client.PostAsync("/my-registrations", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> ListRowsAsync()
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return (await connection.QueryAsync<string>("SELECT recipient FROM outbox_messages WHERE purpose = 'registration-list' ORDER BY recipient")).ToList();
    }
}
