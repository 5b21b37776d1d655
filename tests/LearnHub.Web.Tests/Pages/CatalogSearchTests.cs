using System.Text.RegularExpressions;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Testing;
using LearnHub.Web.Registrations;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages;

/// <summary>
/// The catalog's search and filters, read from the query string as a browser without script sends the form: every
/// filtered list or month is a link. The clock stands at Sunday 2026-11-22 15:00 UTC.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class CatalogSearchTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());
    private HttpClient _visitor = null!;

    public async Task InitializeAsync()
    {
        var catalog = new GrainCatalog(_app.Services, _app.Clock);
        var now = _app.Clock.GetUtcNow();
        var webinars = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "Webinars.", ["youth"]), default);
        var trainings = await catalog.CreateSeriesAsync(new SeriesDraft("trauma-informed", "Trauma-Informed Approach", "Trainings.", ["forensic"]), default);
        async Task<Guid> SessionAsync(Guid series, SessionKind kind, string title, int days, int seats = 40, string? city = null, bool published = true, string presenter = "Dana Ruiz")
        {
            var starts = now.AddDays(days);
            return await catalog.CreateSessionAsync(new SessionDraft(series, kind, title, "About it.", starts, starts.AddHours(2), "America/New_York", seats,
                [new Presenter(presenter, "State university")], city is null ? null : "Learning Center", city, Published: published)
            { VenueAddress = city is null ? null : "1202 Northport Dr" }, default);
        }

        await SessionAsync(webinars, SessionKind.NationalWebinar, "Simulation Labs", 3);
        await SessionAsync(webinars, SessionKind.NationalWebinar, "Data Analytics for Decisions", 10, presenter: "Kim Park");
        var full = await SessionAsync(webinars, SessionKind.NationalWebinar, "Worker Retention", 12, seats: 1);
        await SessionAsync(webinars, SessionKind.NationalWebinar, "Already Happened", -2);
        await SessionAsync(webinars, SessionKind.NationalWebinar, "Still a Draft", 5, published: false);
        await SessionAsync(trainings, SessionKind.InPersonTraining, "Trauma-Informed Care in Madison", 20, city: "Madison, WI");
        await SessionAsync(trainings, SessionKind.InPersonTraining, "Trauma-Informed Care in Denver", 40, city: "Denver, CO");
        await _app.Services.GetRequiredService<RegistrationDesk>().RegisterAsync(full,
            new RegistrationRequest("Pat Doe", "pat@example.org", "County", "Caseworker", "America/New_York", ""), default);
        _visitor = _app.CreateClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The titles of the session cards, in order.</summary>
    private async Task<IReadOnlyList<string>> CardsAsync(string query)
    {
        var html = await _visitor.GetStringAsync(query);
        var list = html[html.IndexOf("id=\"results\"", StringComparison.Ordinal)..html.IndexOf("id=\"series-heading\"", StringComparison.Ordinal)];
        return CardTitle().Matches(list).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    [Fact]
    public async Task TheDefaultView_ListsUpcomingPublishedSessionsAcrossAllSeries_SoonestFirst() =>
        Assert.Equal(["Simulation Labs", "Data Analytics for Decisions", "Worker Retention", "Trauma-Informed Care in Madison", "Trauma-Informed Care in Denver"],
            await CardsAsync("/"));

    [Theory]
    [InlineData("/?q=analytics", "Data Analytics for Decisions")]
    [InlineData("/?q=kim+park", "Data Analytics for Decisions")]
    [InlineData("/?q=madison", "Trauma-Informed Care in Madison")]
    [InlineData("/?kind=in-person-training&city=Denver%2C+CO", "Trauma-Informed Care in Denver")]
    [InlineData("/?track=forensic&to=2026-12-31", "Trauma-Informed Care in Madison")]
    [InlineData("/?from=2026-12-01&to=2026-12-03&kind=national-webinar", "Data Analytics for Decisions")]
    public async Task EachFilter_NarrowsTheList(string query, string only) => Assert.Equal([only], await CardsAsync(query));

    [Fact]
    public async Task TheList_FollowsTheClock_ThoughNothingInTheCatalogChanged()
    {
        // The catalog keeps its answers while nothing changes; a session that starts meanwhile must still leave the list.
        _app.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(10));
        Assert.Equal("Simulation Labs", (await CardsAsync("/"))[0]);
        Assert.Equal("Simulation Labs", (await CardsAsync("/"))[0]);

        _app.Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(["Data Analytics for Decisions", "Worker Retention", "Trauma-Informed Care in Madison", "Trauma-Informed Care in Denver"],
            await CardsAsync("/"));
    }

    [Fact]
    public async Task HasSeats_LeavesOutFullSessions() =>
        Assert.DoesNotContain("Worker Retention", await CardsAsync("/?seats=1&kind=national-webinar"));

    [Fact]
    public async Task NonsenseInTheQueryString_IsIgnored_NotAnError() =>
        Assert.Equal(5, (await CardsAsync("/?kind=bogus&track=nope&from=yesterday&seats=maybe&view=week")).Count);

    [Fact]
    public async Task AnInPersonCard_ShowsTheVenueAddressAndAMapLink()
    {
        var html = await _visitor.GetStringAsync("/?city=Madison%2C+WI");

        Assert.Matches(@"<address>Learning Center\s*<br />\s*1202 Northport Dr\s*<br />\s*Madison, WI</address>", html);
        Assert.Contains("href=\"https://www.openstreetmap.org/search?query=1202%20Northport%20Dr%2C%20Madison%2C%20WI\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMonthView_ShowsThatMonthsSessionsByDay_AndItsLinksKeepTheFilters()
    {
        var html = await _visitor.GetStringAsync("/?view=month&month=2026-12&kind=national-webinar");

        Assert.Contains("<h2 id=\"results-heading\">December 2026</h2>", html, StringComparison.Ordinal);
        Assert.Contains(">Wed, Dec 2</time>", html, StringComparison.Ordinal);
        Assert.Contains("Data Analytics for Decisions</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Trauma-Informed Care in Madison</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/?kind=national-webinar&amp;view=month&amp;month=2027-01\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/?kind=national-webinar\"", html, StringComparison.Ordinal); // back to the list, filters kept
    }

    [GeneratedRegex("<h3 class=\"card-title\"><a href=\"/sessions/[^\"]+\">([^<]+)</a>")]
    private static partial Regex CardTitle();
}
