using System.Net;
using System.Net.Http.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Organizer;

/// <summary>
/// An organizer's registrant forms posted as a browser without JavaScript would (SQLite; the grain's behaviour on both
/// engines is specified in the silo's tests): every refusal names its field and changes nothing, a forged move to
/// another series' session is refused, and new sessions start from a duplicate or as a webinar's Learning Exchange.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RegistrantPageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;

    public async Task InitializeAsync()
    {
        _app = new LearnHubWebFactory(fixture.NewDirectory());
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private RegistrationReader Registrations => _app.Services.GetRequiredService<RegistrationReader>();

    private static string SessionPage(Guid id) => $"/organizer/sessions/{id}";

    private static string Page(Guid session, Guid registration) => $"/organizer/sessions/{session}/registrants/{registration}";

    private async Task<Guid> RegisterAsync(Guid session, string name, string email)
    {
        var response = await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name, email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        });
        response.EnsureSuccessStatusCode();
        return (await Registrations.ForSessionAsync(session, default)).Single(r => r.Email == email).Id;
    }

    private async Task<(long Capacity, long Confirmed, long Waitlisted)> SeatsAsync(Guid session)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT capacity, confirmed_count, waitlisted_count FROM sessions WHERE id = @id", new { id = session.ToString() });
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task AddingARegistrant_WithFieldsMissing_NamesEachField_AndAddsNobody()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 5);

        var response = await Forms.PostAsync(_organizer, SessionPage(webinar), $"{SessionPage(webinar)}?handler=Add", new()
        {
            ["Add.Name"] = "", ["Add.Email"] = "not-an-address", ["Add.Agency"] = "", ["Add.JobRole"] = "Caseworker", ["Add.TimeZone"] = "America/Chicago",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await HtmlAsync(response);
        Assert.Contains("error-summary", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-name\">Enter their name", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-email\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-agency\">", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"err-agency\"", html, StringComparison.Ordinal);
        Assert.Empty(await Registrations.ForSessionAsync(webinar, default));
    }

    [Fact]
    public async Task AddingARegistrant_SeatsThem_AndTheListLinksToTheirPage()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 5);

        var response = await Forms.PostAsync(_organizer, SessionPage(webinar), $"{SessionPage(webinar)}?handler=Add", new()
        {
            ["Add.Name"] = "Ana Ruiz", ["Add.Email"] = "ana.ruiz@example.org", ["Add.Agency"] = "County DCF", ["Add.JobRole"] = "Caseworker",
            ["Add.TimeZone"] = "America/Chicago",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ana = Assert.Single(await Registrations.ForSessionAsync(webinar, default));
        var page = await _organizer.GetStringAsync(SessionPage(webinar));
        Assert.Contains("Added Ana Ruiz: they hold a seat", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{Page(webinar, ana.Id)}\">Ana Ruiz</a>", page, StringComparison.Ordinal);
        Assert.Equal((5L, 1L, 0L), await SeatsAsync(webinar));
    }

    [Fact]
    public async Task Cancelling_WithoutTheConfirmationBox_IsRefused_AndChangesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 5);
        var ana = await RegisterAsync(webinar, "Ana Ruiz", "ana@example.org");

        var response = await Forms.PostAsync(_organizer, Page(webinar, ana), $"{Page(webinar, ana)}?handler=Cancel", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#f-confirm\">Tick the box to confirm that Ana Ruiz", await HtmlAsync(response), StringComparison.Ordinal);
        Assert.Equal((5L, 1L, 0L), await SeatsAsync(webinar));
    }

    [Fact]
    public async Task AForgedMove_ToASessionOfAnotherSeries_IsRefused_AndChangesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 5);
        var (_, otherSeriesWebinar, _) = await _app.SeriesWithWebinarAsync(capacity: 5);
        var ana = await RegisterAsync(webinar, "Ana Ruiz", "ana@example.org");

        var response = await Forms.PostAsync(_organizer, Page(webinar, ana), $"{Page(webinar, ana)}?handler=Move", new() { ["TargetId"] = otherSeriesWebinar.ToString() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#f-targetId\">Choose one of this series' other upcoming sessions.", await HtmlAsync(response), StringComparison.Ordinal);
        Assert.Equal((5L, 1L, 0L), await SeatsAsync(webinar));
        Assert.Equal((5L, 0L, 0L), await SeatsAsync(otherSeriesWebinar));
    }

    [Fact]
    public async Task PromotingIntoAFullSession_NeedsTheOverrideBox_AndWithItTheSessionGainsASeat()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        await RegisterAsync(webinar, "Ana Ruiz", "ana@example.org");
        var bo = await RegisterAsync(webinar, "Bo Li", "bo@example.org");
        Assert.Contains("id=\"f-override\"", await _organizer.GetStringAsync(Page(webinar, bo)), StringComparison.Ordinal);

        var refused = await Forms.PostAsync(_organizer, Page(webinar, bo), $"{Page(webinar, bo)}?handler=Promote", []);
        var refusedHtml = await HtmlAsync(refused);
        var seatsAfterRefusal = await SeatsAsync(webinar);
        var overridden = await Forms.PostAsync(_organizer, Page(webinar, bo), $"{Page(webinar, bo)}?handler=Promote", new() { ["Override"] = "true" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("<a href=\"#f-override\">Every seat is taken.", refusedHtml, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 1L), seatsAfterRefusal);
        Assert.Equal(HttpStatusCode.Redirect, overridden.StatusCode);
        Assert.Equal((2L, 2L, 0L), await SeatsAsync(webinar));
        Assert.Contains("Holds a seat", await _organizer.GetStringAsync(Page(webinar, bo)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistrantOfAnotherSession_IsNotFound_UnderThisSession()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 5);
        var (_, other, _) = await _app.SeriesWithWebinarAsync(capacity: 5);
        var ana = await RegisterAsync(other, "Ana Ruiz", "ana@example.org");

        Assert.Equal(HttpStatusCode.NotFound, (await _organizer.GetAsync(Page(webinar, ana))).StatusCode);
    }

    [Fact]
    public async Task Duplicating_PrefillsTheNewSessionForm_AWeekLater_AndAddingTheExchange_FollowsTheWebinar()
    {
        var (series, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 40);
        var original = (await new GrainCatalog(_app.Services, _app.Clock).FindSessionForOrganizersAsync(webinar, default))!;
        var sessionPage = await _organizer.GetStringAsync(SessionPage(webinar));
        Assert.Contains("id=\"add-exchange-link\"", sessionPage, StringComparison.Ordinal);

        var duplicate = WebUtility.HtmlDecode(await _organizer.GetStringAsync($"/organizer/sessions/edit?series={series}&duplicate={webinar}"));
        var exchange = WebUtility.HtmlDecode(await _organizer.GetStringAsync($"/organizer/sessions/edit?series={series}&exchangeFor={webinar}"));

        var weekLater = Grains.Time.ZonedTime.In(original.StartsAt, original.TimeZone).AddDays(7).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("A copy of “Simulation Labs for Child Welfare Education”", duplicate, StringComparison.Ordinal);
        Assert.Contains("value=\"Simulation Labs for Child Welfare Education\"", duplicate, StringComparison.Ordinal);
        Assert.Contains($"value=\"{weekLater}\"", duplicate, StringComparison.Ordinal);
        Assert.Contains("value=\"40\"", duplicate, StringComparison.Ordinal);
        Assert.Contains("value=\"Dana Ruiz\"", duplicate, StringComparison.Ordinal);
        Assert.Contains("<option value=\"learning-exchange\" selected=\"selected\">", exchange, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{webinar}\" selected=\"selected\">", exchange, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _organizer.GetAsync($"/organizer/sessions/edit?series={series}&duplicate={Guid.NewGuid()}")).StatusCode);
    }
}
