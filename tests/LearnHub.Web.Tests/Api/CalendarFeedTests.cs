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
    public async Task ALearnersPrivateFeed_ListsTheirRegistrations_AndATamperedTokenOpensNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var client = _app.CreateClient();
        var created = await (await client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "Pat Doe", email = "pat@example.org", agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).Content.ReadFromJsonAsync<JsonElement>();
        var manage = await client.GetStringAsync(new Uri(created.GetProperty("manageUrl").GetString()!).PathAndQuery);
        var feedPath = FeedLink().Match(manage).Groups[1].Value;

        var feed = Calendar.Load(await client.GetStringAsync(feedPath))!;
        var tampered = feedPath[..^8] + (feedPath[^8] == 'A' ? 'B' : 'A') + feedPath[^7..];

        Assert.Equal($"session-{webinar}@learnhub", Assert.Single(feed.Events).Uid);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(tampered)).StatusCode);
    }
}
