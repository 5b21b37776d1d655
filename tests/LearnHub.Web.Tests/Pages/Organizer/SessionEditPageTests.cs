using System.Net;
using System.Net.Http.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Organizer;

/// <summary>The edit page for an existing session, on SQLite.</summary>
public sealed class SqliteSessionEditPageTests(DatabaseFixture fixture) : SessionEditPageTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same page on PostgreSQL.</summary>
public sealed class PostgresSessionEditPageTests(DatabaseFixture fixture) : SessionEditPageTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>Editing an existing session's kind, seats and join link as a browser without JavaScript would.</summary>
[Collection(DatabaseCollection.Name)]
public abstract class SessionEditPageTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
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

    private static string Edit(Guid id) => $"/organizer/sessions/edit/{id}";

    private async Task<Dictionary<string, string>> FormOfAsync(Guid id)
    {
        var s = (await Catalog.FindSessionForOrganizersAsync(id, default))!;
        var form = LearnHub.Web.Pages.Organizer.SessionForm.From(s);
        return new Dictionary<string, string>
        {
            ["Form.Kind"] = form.Kind!, ["Form.Title"] = form.Title!, ["Form.Description"] = form.Description ?? "",
            ["Form.Capacity"] = form.Capacity!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Form.JoinUrl"] = form.JoinUrl ?? "",
            ["Form.WebinarId"] = form.WebinarId?.ToString() ?? "", ["Form.Presenters[0].Name"] = "Dana Ruiz",
        };
    }

    private async Task RegisterAsync(Guid session, string email) =>
        (await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).EnsureSuccessStatusCode();

    [Fact]
    public async Task TooFewSeats_AndAWebinarWithAnExchangeChangingKind_AreShownInTheErrorSummary_AndChangeNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 3, withExchange: true);
        await RegisterAsync(webinar, "a@example.org");
        await RegisterAsync(webinar, "b@example.org");
        var form = await FormOfAsync(webinar);
        form["Form.Capacity"] = "1";
        form["Form.Kind"] = SessionKind.InPersonTraining.ToWire();
        form["Form.Title"] = "Should not be saved";

        var response = await Forms.PostAsync(_organizer, Edit(webinar), Edit(webinar), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("error-summary", html, StringComparison.Ordinal);
        Assert.Contains("2 people already hold a confirmed seat", html, StringComparison.Ordinal);
        Assert.Contains("stays a national webinar", html, StringComparison.Ordinal);
        var unchanged = (await Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        Assert.Equal((3, SessionKind.NationalWebinar, "Simulation Labs for Child Welfare Education"), (unchanged.Capacity, unchanged.Kind, unchanged.Title));
    }

    [Fact]
    public async Task RaisingSeats_PromotesTheWaitlist_AndANewJoinLinkIsMailedToSeatHolders()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        await RegisterAsync(webinar, "a@example.org");
        await RegisterAsync(webinar, "b@example.org");
        var form = await FormOfAsync(webinar);
        form["Form.Capacity"] = "2";
        form["Form.JoinUrl"] = "https://meet.example/j/new";

        var response = await Forms.PostAsync(_organizer, Edit(webinar), Edit(webinar), form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = (await Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        Assert.Equal((2, 2, 0, "https://meet.example/j/new"), (session.Capacity, session.ConfirmedCount, session.WaitlistedCount, session.JoinUrl));
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        var mail = (await connection.QueryAsync<(string, string)>(
            "SELECT recipient, purpose FROM outbox_messages WHERE purpose IN ('promoted', 'join-link-changed') ORDER BY purpose, recipient")).ToList();
        Assert.Equal([("a@example.org", "join-link-changed"), ("b@example.org", "join-link-changed"), ("b@example.org", "promoted")], mail);
        var audit = await _app.Services.GetRequiredService<LearnHub.Silo.Auditing.AuditLog>().ListAsync("session.capacity", null, 5, default);
        Assert.Single(audit);
    }

    [Fact]
    public async Task AskingForRecordingConsent_WithoutRecording_IsShownAtTheConsentBox_AndChangesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var form = await FormOfAsync(webinar);
        form["Form.RecordingConsentRequired"] = "true";
        form["Form.Title"] = "Should not be saved";

        var response = await Forms.PostAsync(_organizer, Edit(webinar), Edit(webinar), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<a href=\"#f-recordingConsentRequired\">", html, StringComparison.Ordinal);
        Assert.Contains("only when the session is recorded", html, StringComparison.Ordinal);
        var unchanged = (await Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        Assert.Equal(("Simulation Labs for Child Welfare Education", false, false), (unchanged.Title, unchanged.Recorded, unchanged.RecordingConsentRequired));
    }

    [Fact]
    public async Task RecordedAndAskingForConsent_IsSaved_ShownOnTheSessionsPage_AndTickedWhenTheFormOpensAgain()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var form = await FormOfAsync(webinar);
        form["Form.Recorded"] = "true";
        form["Form.RecordingConsentRequired"] = "true";

        var response = await Forms.PostAsync(_organizer, Edit(webinar), Edit(webinar), form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = (await Catalog.FindSessionForOrganizersAsync(webinar, default))!;
        Assert.True(saved.Recorded && saved.RecordingConsentRequired);
        var page = WebUtility.HtmlDecode(await _organizer.GetStringAsync($"/organizer/sessions/{webinar}"));
        Assert.Contains("Recorded · registrants are asked for consent", page, StringComparison.Ordinal);
        var edit = await _organizer.GetStringAsync(Edit(webinar));
        Assert.Matches("id=\"f-recorded\"[^>]*checked", edit);
        Assert.Matches("id=\"f-recordingConsentRequired\"[^>]*checked", edit);
    }

    [Fact]
    public async Task AnExchangeRenamedAndReLinked_IsAuditedByTitle_AndTheAdminsLogLinksToIt()
    {
        var (series, webinar, exchange) = await _app.SeriesWithWebinarAsync(withExchange: true);
        var starts = _app.Clock.GetUtcNow().AddDays(10);
        var other = await Catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Family Finding Basics", "Second webinar.",
            starts, starts.AddHours(1), "America/New_York", 50, []), default);
        var form = await FormOfAsync(exchange!.Value);
        form["Form.Title"] = "Exchange: Family Finding";
        form["Form.WebinarId"] = other.ToString();

        var response = await Forms.PostAsync(_organizer, Edit(exchange.Value), Edit(exchange.Value), form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var log = _app.Services.GetRequiredService<LearnHub.Silo.Auditing.AuditLog>();
        var edited = Assert.Single(await log.ListAsync("session.edited", null, 5, default));
        Assert.Equal(("Exchange: Family Finding", "changed: title, webinar followed, presenters"), (edited.ObjectTitle, edited.Detail));
        var relinked = Assert.Single(await log.ListAsync("session.relinked", null, 5, default));
        Assert.Equal("Simulation Labs for Child Welfare Education → Family Finding Basics", relinked.Detail);
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/audit?Action=session.relinked"));
        Assert.Contains($"Session: <a href=\"/organizer/sessions/{exchange}\">Exchange: Family Finding</a>", page, StringComparison.Ordinal);
    }
}
