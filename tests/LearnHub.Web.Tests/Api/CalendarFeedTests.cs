using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ical.Net;
using LearnHub.Testing;

namespace LearnHub.Web.Tests.Api;

[Collection(DatabaseCollection.Name)]
public sealed partial class CalendarFeedTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("id=\"feed-link\" href=\"[^\"]*(/calendar/[^\"]+\\.ics)\"")]
    private static partial Regex FeedLink();

    [Fact]
    public async Task TheSeriesFeed_PublishesEverySession_WithStableUids()
    {
        var (_, webinar, exchange) = await _app.SeriesWithWebinarAsync(withExchange: true);
        var client = _app.CreateClient();
        var series = (await client.GetFromJsonAsync<JsonElement>("/api/series"))[0].GetProperty("slug").GetString();

        var response = await client.GetAsync($"/series/{series}/calendar.ics");

        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var calendar = Calendar.Load(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal(
            new[] { $"session-{webinar}@learnhub", $"session-{exchange}@learnhub" }.Order(StringComparer.Ordinal),
            calendar.Events.Select(e => e.Uid!).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/series/no-such-series/calendar.ics")).StatusCode);
    }

    [Fact]
    public async Task AManageLinksFeed_ShowsOnlyItsOwnRegistrations_EvenForAnEmailSomeoneElseUsed()
    {
        var (_, webinar, exchange) = await _app.SeriesWithWebinarAsync(withExchange: true);
        var client = _app.CreateClient();
        await RegisterAsync(client, webinar); // the victim's own registration
        var attackers = await RegisterAsync(client, exchange!.Value); // someone else typing the victim's address
        var manage = await client.GetStringAsync(new Uri(attackers.GetProperty("manageUrl").GetString()!).PathAndQuery);
        var feedPath = FeedLink().Match(manage).Groups[1].Value;

        var feed = Calendar.Load(await client.GetStringAsync(feedPath))!;
        var tampered = feedPath[..^8] + (feedPath[^8] == 'A' ? 'B' : 'A') + feedPath[^7..];

        Assert.Equal($"session-{exchange}@learnhub", Assert.Single(feed.Events).Uid);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(tampered)).StatusCode);
    }

    [Fact]
    public async Task ASignedInLearnersFeed_ListsEveryRegistrationOfTheirAccount()
    {
        var (_, webinar, exchange) = await _app.SeriesWithWebinarAsync(withExchange: true);
        var email = await _app.AccountAsync(LearnHub.Grains.Accounts.Role.Learner);
        var client = _app.CreateClient();
        await RegisterAsync(client, webinar, email);
        await RegisterAsync(client, exchange!.Value, email);
        var learner = await _app.SignedInClientAsync(email);

        var page = await learner.GetStringAsync("/my-learning");
        var feed = Calendar.Load(await learner.GetStringAsync(FeedLink().Match(page).Groups[1].Value))!;

        Assert.Equal(2, feed.Events.Count);
    }

    [Fact]
    public async Task AskingForANewPrivateLink_StopsEveryEarlierOne_FromTheManagePageAndFromMyLearning()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var email = await _app.AccountAsync(LearnHub.Grains.Accounts.Role.Learner);
        var client = _app.CreateClient();
        var manageUrl = new Uri((await RegisterAsync(client, webinar, email)).GetProperty("manageUrl").GetString()!).PathAndQuery;
        var learner = await _app.SignedInClientAsync(email);
        var fromManage = FeedLink().Match(await client.GetStringAsync(manageUrl)).Groups[1].Value;
        var fromMyLearning = FeedLink().Match(await learner.GetStringAsync("/my-learning")).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(fromManage)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await learner.GetAsync(fromMyLearning)).StatusCode);

        var answer = await Forms.PostAsync(client, manageUrl, $"{manageUrl}?handler=NewFeed", []);

        // The form answers with the manage page again (a redirect, followed), saying what happened.
        Assert.Contains("The old one no longer works", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var newLink = FeedLink().Match(await client.GetStringAsync(manageUrl)).Groups[1].Value;
        Assert.NotEqual(fromManage, newLink);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(newLink)).StatusCode);
        // The learner (by email) has one feed version: both earlier links stop, the manage page's and My learning's.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(fromManage)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await learner.GetAsync(fromMyLearning)).StatusCode);

        await Forms.PostAsync(learner, "/my-learning", "/my-learning?handler=NewFeed", []);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(newLink)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await learner.GetAsync(FeedLink().Match(await learner.GetStringAsync("/my-learning")).Groups[1].Value)).StatusCode);
    }

    private static async Task<JsonElement> RegisterAsync(HttpClient client, Guid session, string email = "pat@example.org") =>
        await (await client.PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).Content.ReadFromJsonAsync<JsonElement>();
}
