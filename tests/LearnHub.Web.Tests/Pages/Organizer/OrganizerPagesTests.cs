using System.Net;
using System.Net.Http.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace LearnHub.Web.Tests.Pages.Organizer;

/// <summary>The organizer pages on SQLite, the embedded default.</summary>
public sealed class SqliteOrganizerPagesTests(DatabaseFixture fixture) : OrganizerPagesTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same pages on PostgreSQL.</summary>
public sealed class PostgresOrganizerPagesTests(DatabaseFixture fixture) : OrganizerPagesTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>The organizer pages posted as a browser without JavaScript would.</summary>
[Collection(DatabaseCollection.Name)]
public abstract class OrganizerPagesTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        _app = new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString);
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private GrainCatalog Catalog => new(_app.Services, _app.Clock);

    private async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Fact]
    public async Task TheOrganizerList_ShowsTenSeriesAPage_WithLinksBetweenPages()
    {
        for (var i = 0; i < 12; i++)
        {
            await Catalog.CreateSeriesAsync(new SeriesDraft($"paged-{i:00}", $"Paged {i:00}", ""), default);
        }

        var first = await _organizer.GetStringAsync("/organizer/series");
        var second = await _organizer.GetStringAsync("/organizer/series?page=2");

        Assert.Contains("Page 1 of 2 (12 series)", first, StringComparison.Ordinal);
        Assert.Contains("Paged 09", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Paged 10", first, StringComparison.Ordinal);
        Assert.Contains("Paged 11", second, StringComparison.Ordinal);
        Assert.Contains("href=\"/organizer/series?page=1\" rel=\"prev\"", second, StringComparison.Ordinal);
    }

    /// <summary>Two series: a draft webinar left in the past with an exchange still linked to it; two in-person trainings; last month's webinar.</summary>
    private async Task<(Guid Alpha, Guid Beta)> AProgrammeAsync()
    {
        var now = _app.Clock.GetUtcNow();
        var alpha = await Catalog.CreateSeriesAsync(new SeriesDraft("alpha-list", "Alpha", ""), default);
        var beta = await Catalog.CreateSeriesAsync(new SeriesDraft("beta-list", "Beta", ""), default);
        Task<Guid> Session(Guid series, SessionKind kind, string title, DateTimeOffset starts, bool published = true, string? city = null, Guid? webinar = null) =>
            Catalog.CreateSessionAsync(new SessionDraft(series, kind, title, "", starts, starts.AddHours(2), "America/Chicago", 20, [],
                city is null ? null : "Community Center", city, webinar, Published: published), default);
        var oldDraft = await Session(alpha, SessionKind.NationalWebinar, "Old draft webinar", now.AddDays(-2), published: false);
        await Session(alpha, SessionKind.LearningExchange, "Exchange after the old draft", now.AddDays(5), webinar: oldDraft);
        await Session(beta, SessionKind.InPersonTraining, "Chicago training", now.AddDays(3), city: "Chicago");
        await Session(beta, SessionKind.InPersonTraining, "Denver training", now.AddDays(10), city: "Denver");
        await Session(beta, SessionKind.NationalWebinar, "Webinar of last month", now.AddDays(-30));
        return (alpha, beta);
    }

    private static int[] Positions(string html, params string[] titles) =>
        titles.Select(t => html.IndexOf($">{System.Net.WebUtility.HtmlEncode(t)}</a>", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task TheSessionList_PutsUpcomingFirst_ThenThePast_AndWarnsAboutDeadEnds()
    {
        await AProgrammeAsync();

        var html = await _organizer.GetStringAsync("/organizer");

        var at = Positions(html, "Chicago training", "Exchange after the old draft", "Denver training", "Old draft webinar", "Webinar of last month");
        Assert.All(at, p => Assert.True(p > 0));
        Assert.Equal(at.Order().ToArray(), at);
        Assert.Contains("Draft dated in the past: nobody can register.", html, StringComparison.Ordinal);
        Assert.Contains("Follows a draft webinar dated in the past (Old draft webinar).", html, StringComparison.Ordinal);
        // Until the organizer chooses a zone, every time names its own.
        Assert.Contains("<span class=\"meta\"> America/Chicago (UTC", html[html.IndexOf("<table", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionList_ShowsTheOrganizersOwnZone_InEveryBrowserTheySignInFrom()
    {
        await AProgrammeAsync();
        var email = await _app.AccountAsync(Role.Organizer);
        var laptop = await _app.SignedInClientAsync(email);

        var chosen = await Forms.PostAsync(laptop, "/timezone", "/timezone", new() { ["zone"] = "America/Denver", ["returnUrl"] = "/organizer" });
        var onTheLaptop = await laptop.GetStringAsync("/organizer");
        var onThePhone = await (await _app.SignedInClientAsync(email)).GetStringAsync("/organizer");

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Contains("<th scope=\"col\">Starts (America/Denver)</th>", onTheLaptop, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Starts (America/Denver)</th>", onThePhone, StringComparison.Ordinal);
        // Chicago training: November 25, 3 PM UTC = 8 AM in Denver.
        Assert.Contains(">Wed, Nov 25, 2026, 8:00 AM</time>", onThePhone, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?city=Denver", "Denver training")]
    [InlineData("?kind=learning-exchange", "Exchange after the old draft")]
    [InlineData("?state=past", "Old draft webinar,Webinar of last month")]
    [InlineData("?state=draft", "Old draft webinar")]
    [InlineData("?from=2026-11-25&to=2026-11-27", "Chicago training,Exchange after the old draft")]
    public async Task TheSessionList_Filters(string query, string expected)
    {
        await AProgrammeAsync();
        var all = new[] { "Chicago training", "Exchange after the old draft", "Denver training", "Old draft webinar", "Webinar of last month" };
        var wanted = expected.Split(',');

        var response = await _organizer.GetAsync("/organizer" + query);
        var html = await response.Content.ReadAsStringAsync();
        var csv = await _organizer.GetStringAsync("/organizer" + query.Replace("?", "?handler=csv&", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(wanted, t => Assert.Contains($">{System.Net.WebUtility.HtmlEncode(t)}</a>", html, StringComparison.Ordinal));
        Assert.All(all.Except(wanted), t => Assert.DoesNotContain($">{System.Net.WebUtility.HtmlEncode(t)}</a>", html, StringComparison.Ordinal));
        Assert.Equal(wanted.Length + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task TheSessionList_OfASeries_FiltersBySeries_AndOffersANewSessionInIt()
    {
        var (alpha, _) = await AProgrammeAsync();

        var html = await _organizer.GetStringAsync($"/organizer?series={alpha}");

        Assert.Contains($"href=\"/organizer/sessions/edit?series={alpha}\"", html, StringComparison.Ordinal);
        Assert.Contains(">Old draft webinar</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Chicago training</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadFilter_IsNamedInTheErrorSummary_AndIgnored()
    {
        await AProgrammeAsync();

        var response = await _organizer.GetAsync("/organizer?kind=webinarish&from=tomorrow&state=7");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#f-kind\">Choose a kind from the list.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-from\">Enter the first day as a date, for example 2026-12-08.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-state\">Choose a state from the list.</a>", html, StringComparison.Ordinal);
        Assert.Contains(">Denver training</a>", html, StringComparison.Ordinal);
        Assert.Contains(">Webinar of last month</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionList_Pages25AtATime_KeepingItsFilters()
    {
        var series = await Catalog.CreateSeriesAsync(new SeriesDraft("many", "Many", ""), default);
        var starts = _app.Clock.GetUtcNow().AddDays(1);
        for (var i = 0; i < 27; i++)
        {
            await Catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, $"Webinar {i:00}", "", starts.AddDays(i), starts.AddDays(i).AddHours(1),
                "America/New_York", 50, []), default);
        }

        var first = await _organizer.GetStringAsync("/organizer?kind=national-webinar");
        var second = await _organizer.GetStringAsync("/organizer?kind=national-webinar&page=2");

        Assert.Contains("Page 1 of 2 (27 sessions)", first, StringComparison.Ordinal);
        Assert.Contains(">Webinar 24</a>", first, StringComparison.Ordinal);
        Assert.DoesNotContain(">Webinar 25</a>", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/organizer?kind=national-webinar&amp;page=2\" rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Contains(">Webinar 26</a>", second, StringComparison.Ordinal);
        Assert.Contains("href=\"/organizer?kind=national-webinar\" rel=\"prev\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatingASeries_StoresTheDescriptionSanitized_AndTheSeriesPageRendersOnlyThat()
    {
        var response = await Forms.PostAsync(_organizer, "/organizer/series/edit", "/organizer/series/edit", new()
        {
            ["Slug"] = "elder-justice",
            ["Title"] = "Elder Justice",
            ["Description"] = "## Why\n\nProtecting **older adults**. <script>alert(1)</script><img src=x onerror=alert(1)> [guide](javascript:alert(1))",
            ["Tracks"] = "older-adult",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var series = await Catalog.FindSeriesAsync("elder-justice", default);
        Assert.NotNull(series);
        Assert.Equal(["older-adult"], series.Tracks);
        Assert.Contains("<h2>Why</h2>", series.DescriptionHtml, StringComparison.Ordinal);
        Assert.Contains("<strong>older adults</strong>", series.DescriptionHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("script", series.DescriptionHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", series.DescriptionHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", series.DescriptionHtml, StringComparison.OrdinalIgnoreCase);

        var page = await _app.CreateClient().GetStringAsync("/series/elder-justice");
        Assert.Contains("<strong>older adults</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("Tracks: Older Adult", page, StringComparison.Ordinal);
        // The catalog card shows the words, not the Markdown.
        Assert.Contains("<p>Why Protecting older adults. guide</p>", await _app.CreateClient().GetStringAsync("/"), StringComparison.Ordinal);
        var created = Assert.Single(await _app.Services.GetRequiredService<LearnHub.Silo.Auditing.AuditLog>().ListAsync("series.created", null, 5, default));
        Assert.Equal(("series", series.Id.ToString(), "Elder Justice"), (created.ObjectType, created.ObjectId, created.ObjectTitle));
    }

    [Fact]
    public async Task ASeriesWithBadFields_IsRefusedWithAnErrorSummaryLinkedToEachField_AndNothingIsStored()
    {
        var response = await Forms.PostAsync(_organizer, "/organizer/series/edit", "/organizer/series/edit", new()
        {
            ["Slug"] = "Not A Slug!",
            ["Title"] = "",
            ["Description"] = new string('x', 210 * 1024),
            ["Tracks"] = "astrology",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var field in new[] { "slug", "title", "description", "tracks" })
        {
            Assert.Contains($"<a href=\"#f-{field}\">", html, StringComparison.Ordinal);
        }

        Assert.Contains("aria-describedby=\"err-title\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM series"));
    }

    [Fact]
    public async Task EditingASeries_ChangesTitleDescriptionAndTracks_ButNotItsSlug()
    {
        var (seriesId, _, _) = await _app.SeriesWithWebinarAsync();
        var response = await Forms.PostAsync(_organizer, $"/organizer/series/edit/{seriesId}", $"/organizer/series/edit/{seriesId}", new()
        {
            ["Slug"] = "hijacked",
            ["Title"] = "Mind the Gap, renewed",
            ["Description"] = "*New* text",
            ["Tracks"] = "youth",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var series = await Catalog.FindSeriesForOrganizersAsync(seriesId, default);
        Assert.Equal("Mind the Gap, renewed", series!.Title);
        Assert.Equal("<p><em>New</em> text</p>\n", series.DescriptionHtml);
        Assert.Equal(["youth"], series.Tracks);
        Assert.NotEqual("hijacked", series.Slug);
        var edited = Assert.Single(await _app.Services.GetRequiredService<LearnHub.Silo.Auditing.AuditLog>().ListAsync("series.edited", null, 5, default));
        Assert.Equal(("Mind the Gap, renewed", "changed: title, description, tracks"), (edited.ObjectTitle, edited.Detail));
    }

    [Fact]
    public async Task ANewSession_IsADraftOutOfTheCatalog_UntilPublished()
    {
        var (seriesId, _, _) = await _app.SeriesWithWebinarAsync();
        var response = await Forms.PostAsync(_organizer, $"/organizer/sessions/edit?series={seriesId}", $"/organizer/sessions/edit?series={seriesId}", new()
        {
            ["Form.Kind"] = "in-person-training",
            ["Form.Title"] = "Deaf-Accessible Crisis Response",
            ["Form.Description"] = "Hands-on. <iframe src=https://evil.example></iframe>",
            ["Form.TimeZone"] = "America/Chicago",
            ["Form.Starts"] = "2027-02-03T09:00",
            ["Form.Ends"] = "2027-02-03T16:00",
            ["Form.Capacity"] = "25",
            ["Form.Venue"] = "Community Center",
            ["Form.City"] = "Madison",
            ["Form.Presenters[0].Name"] = "Lee Park",
            ["Form.Presenters[0].Affiliation"] = "Deaf Services",
            ["Form.Presenters[0].Bio"] = "Lee is a **certified** interpreter.<script>alert(1)</script>",
        });

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var id = Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
        var session = await Catalog.FindSessionForOrganizersAsync(id, default);
        Assert.False(session!.Published);
        Assert.Equal(new DateTimeOffset(2027, 2, 3, 15, 0, 0, TimeSpan.Zero), session.StartsAt);
        var created = Assert.Single(await _app.Services.GetRequiredService<LearnHub.Silo.Auditing.AuditLog>().ListAsync("session.created", null, 5, default));
        Assert.Equal(("Deaf-Accessible Crisis Response", "In-person training in Mind the Gap"), (created.ObjectTitle, created.Detail));
        Assert.Equal("<p>Lee is a <strong>certified</strong> interpreter.</p>\n", session.Presenters[0].BioHtml);
        Assert.DoesNotContain("iframe", session.DescriptionHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.CreateClient().GetAsync($"/sessions/{id}")).StatusCode);
        // Knowing a draft's id is not enough to register for it.
        var early = await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{id}/registrations", new
        {
            name = "Pat Doe", email = "early@example.org", agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM registrations"));

        await Forms.PostAsync(_organizer, $"/organizer/sessions/{id}", $"/organizer/sessions/{id}?handler=Publish", new() { ["publish"] = "true" });
        await RegisterAsync(id, "early@example.org");

        var page = await _app.CreateClient().GetStringAsync($"/sessions/{id}");
        Assert.Contains("Lee is a <strong>certified</strong> interpreter.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionWithBadFields_IsRefusedFieldByField_AndNothingIsStored()
    {
        var (seriesId, _, _) = await _app.SeriesWithWebinarAsync();
        var before = await CountAsync("SELECT COUNT(*) FROM sessions");
        var response = await Forms.PostAsync(_organizer, $"/organizer/sessions/edit?series={seriesId}", $"/organizer/sessions/edit?series={seriesId}", new()
        {
            ["Form.Kind"] = "in-person-training",
            ["Form.Title"] = "Training",
            ["Form.TimeZone"] = "Mars/Olympus",
            ["Form.Capacity"] = "-1",
            ["Form.JoinUrl"] = "javascript:alert(1)",
            ["Form.Presenters[0].Affiliation"] = "No name given",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var field in new[] { "timeZone", "capacity", "joinUrl", "venue", "city", "presenter0-name" })
        {
            Assert.Contains($"<a href=\"#f-{field}\">", html, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM sessions"));
    }

    [Fact]
    public async Task Rescheduling_GoesThroughTheGrain_AndQueuesTheChangeMail()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await RegisterAsync(webinar, "pat@example.org");

        var response = await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Reschedule", new()
        {
            ["Starts"] = "2026-12-01T13:00",
            ["Ends"] = "2026-12-01T14:30",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = await Catalog.FindSessionAsync(webinar, default);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero), session!.StartsAt);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'session-changed' AND recipient = 'pat@example.org'"));
        Assert.Contains("1 registrant(s) are being emailed", await _organizer.GetStringAsync($"/organizer/sessions/{webinar}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rescheduling_ToAnEndBeforeTheStart_IsRefused_AndTheSessionStays()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var before = (await Catalog.FindSessionAsync(webinar, default))!.StartsAt;

        var response = await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Reschedule", new()
        {
            ["Starts"] = "2026-12-01T13:00",
            ["Ends"] = "2026-12-01T12:00",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#f-ends\">The session must end after it starts.</a>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await Catalog.FindSessionAsync(webinar, default))!.StartsAt);
    }

    [Fact]
    public async Task Cancelling_NeedsTheConfirmation_ThenTellsRegistrants()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await RegisterAsync(webinar, "pat@example.org");

        var unconfirmed = await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Cancel", new());
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.False((await Catalog.FindSessionAsync(webinar, default))!.Cancelled);

        var confirmed = await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Cancel", new() { ["Confirm"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.True((await Catalog.FindSessionAsync(webinar, default))!.Cancelled);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'session-cancelled'"));
    }

    [Fact]
    public async Task MessagingAllRegistrants_QueuesOneMailPerLiveRegistrant_Once()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        await RegisterAsync(webinar, "first@example.org");
        await RegisterAsync(webinar, "waiting@example.org");
        var fields = new Dictionary<string, string> { ["Subject"] = "Slides are up", ["Body"] = "Hello all,\nthe slides are on the session page." };

        var response = await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Message", new(fields));
        await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Message", new(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'organizer-message'"));
        var mail = await _app.EmailAsync("waiting@example.org", "Slides are up");
        Assert.Contains("the slides are on the session page.", mail.TextBody, StringComparison.Ordinal);
        var bad = await Forms.PostAsync(_organizer, $"/organizer/sessions/{webinar}", $"/organizer/sessions/{webinar}?handler=Message", new() { ["Subject"] = "", ["Body"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#f-subject\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-body\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionPage_ListsRegistrantsAndLinksTheAuditedCsv()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await RegisterAsync(webinar, "pat@example.org");

        var html = await _organizer.GetStringAsync($"/organizer/sessions/{webinar}");

        Assert.Contains("pat@example.org", html, StringComparison.Ordinal);
        Assert.Contains($"/organizer/sessions/{webinar}/registrants.csv", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRegistrantList_ShowsFiftyAPage_InArrivalOrder_AndAPageTooFarShowsTheLast()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 100);
        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        for (var i = 1; i <= 120; i++)
        {
            var person = Applicant.Validate($"Person {i:000}", $"person{i:000}@example.org", "DCF", "Caseworker", "America/Chicago", null).Applicant!;
            await grains.Session(webinar).RegisterAsync(person, false);
        }

        var first = await _organizer.GetStringAsync($"/organizer/sessions/{webinar}");
        var third = await _organizer.GetStringAsync($"/organizer/sessions/{webinar}?page=3");
        var beyond = await _organizer.GetStringAsync($"/organizer/sessions/{webinar}?page=99");

        Assert.Contains("Registrants 1–50 of 120", first, StringComparison.Ordinal);
        Assert.Contains("person050@example.org", first, StringComparison.Ordinal);
        Assert.DoesNotContain("person051@example.org", first, StringComparison.Ordinal);
        Assert.Contains($"href=\"/organizer/sessions/{webinar}?page=2#registrants-heading\" rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Contains("Registrants 101–120 of 120", third, StringComparison.Ordinal);
        Assert.Contains("person120@example.org", third, StringComparison.Ordinal);
        Assert.Contains("Waitlisted (20)", third, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", third, StringComparison.Ordinal);
        Assert.Contains("Registrants 101–120 of 120", beyond, StringComparison.Ordinal);
        // Everyone who holds or waits for a seat, not just this page, is counted for a message to all.
        Assert.Contains("(120 people)", first, StringComparison.Ordinal);
    }

    private async Task RegisterAsync(Guid session, string email)
    {
        var response = await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        });
        response.EnsureSuccessStatusCode();
    }
}
