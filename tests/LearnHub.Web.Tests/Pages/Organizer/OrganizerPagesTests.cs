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

        var first = await _organizer.GetStringAsync("/organizer");
        var second = await _organizer.GetStringAsync("/organizer?page=2");

        Assert.Contains("Page 1 of 2 (12 series)", first, StringComparison.Ordinal);
        Assert.Contains("Paged 09", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Paged 10", first, StringComparison.Ordinal);
        Assert.Contains("Paged 11", second, StringComparison.Ordinal);
        Assert.Contains("href=\"/organizer?page=1\" rel=\"prev\"", second, StringComparison.Ordinal);
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
