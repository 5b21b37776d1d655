using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Organizer;

/// <summary>
/// Accommodation requests answered on the organizer's session page, the registration window set on the session form,
/// and reminder lead times on the series form, as a browser without JavaScript would use them (SQLite; the stores are
/// covered on both engines in the silo's tests).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AccommodationPagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;

    public async Task InitializeAsync()
    {
        _app = new LearnHubWebFactory(fixture.NewDirectory(), DatabaseProvider.Sqlite, null);
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpResponseMessage> RegisterAsync(Guid session, string email, string accommodations) =>
        await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name = "Robin Diaz", email, agency = "County DCF", jobRole = "Supervisor", timeZone = "America/Chicago", accommodations,
        });

    [Fact]
    public async Task Organizer_MarksARequestArrangedWithANote_TheCountsTableAndCsvFollow_AndTheRegistrantReadsIt()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var registered = await RegisterAsync(webinar, "robin@example.org", "ASL interpreter");
        registered.EnsureSuccessStatusCode();
        var body = await registered.Content.ReadFromJsonAsync<JsonElement>();
        var registrationId = body.GetProperty("registrationId").GetGuid();
        var manage = new Uri(body.GetProperty("manageUrl").GetString()!).PathAndQuery;
        (await RegisterAsync(webinar, "lee@example.org", "")).EnsureSuccessStatusCode();
        var page = $"/organizer/sessions/{webinar}";
        Assert.Contains("1 request: 1 open.", WebUtility.HtmlDecode(await _organizer.GetStringAsync(page)), StringComparison.Ordinal);

        var refused = await Forms.PostAsync(_organizer, page, $"{page}?handler=Accommodation&registrationId={registrationId}",
            new() { ["state"] = "maybe", ["note"] = "" });
        var saved = await Forms.PostAsync(_organizer, page, $"{page}?handler=Accommodation&registrationId={registrationId}",
            new() { ["state"] = "arranged", ["note"] = "An interpreter is booked for the whole session." });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("error-summary", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = WebUtility.HtmlDecode(await _organizer.GetStringAsync(page));
        Assert.Contains("1 request: 1 arranged.", after, StringComparison.Ordinal);
        var csv = await _organizer.GetStringAsync($"{page}/registrants.csv");
        Assert.EndsWith("accommodation_state,accommodation_note", csv.Split("\r\n")[0], StringComparison.Ordinal);
        Assert.Contains("arranged,An interpreter is booked for the whole session.", csv, StringComparison.Ordinal);
        var mine = WebUtility.HtmlDecode(await _app.CreateClient().GetStringAsync(manage));
        Assert.Contains("Your accommodation request: <strong>arranged</strong>.", mine, StringComparison.Ordinal);
        Assert.Contains("An interpreter is booked for the whole session.", mine, StringComparison.Ordinal);
        var audit = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("registration.accommodation", null, 10, default));
        Assert.Equal("Robin Diaz", audit.ObjectTitle);
    }

    [Fact]
    public async Task SessionForm_AWindowClosingAfterTheEnd_IsNamedAndChangesNothing_AndARegistrationBeforeItOpensIsRefused()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var catalog = new GrainCatalog(_app.Services, _app.Clock);
        var s = (await catalog.FindSessionForOrganizersAsync(webinar, default))!;
        var form = LearnHub.Web.Pages.Organizer.SessionForm.From(s);
        Dictionary<string, string> Fields(string opens, string closes) => new()
        {
            ["Form.Kind"] = form.Kind!, ["Form.Title"] = form.Title!, ["Form.Description"] = form.Description ?? "",
            ["Form.Capacity"] = form.Capacity!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Form.JoinUrl"] = "",
            ["Form.Presenters[0].Name"] = "Dana Ruiz", ["Form.RegistrationOpens"] = opens, ["Form.RegistrationCloses"] = closes,
        };
        var edit = $"/organizer/sessions/edit/{webinar}";
        var local = (DateTimeOffset at) => Grains.Time.ZonedTime.In(at, s.TimeZone).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var tooLate = await Forms.PostAsync(_organizer, edit, edit, Fields("", local(s.EndsAt.AddHours(1))));
        var saved = await Forms.PostAsync(_organizer, edit, edit, Fields(local(_app.Clock.GetUtcNow().AddDays(2)), local(s.StartsAt.AddHours(-1))));

        Assert.Equal(HttpStatusCode.BadRequest, tooLate.StatusCode);
        Assert.Contains("href=\"#f-registrationCloses\"", await tooLate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var refused = await RegisterAsync(webinar, "early@example.org", "");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Registration for this session opens", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Registration opens", WebUtility.HtmlDecode(await _app.CreateClient().GetStringAsync($"/sessions/{webinar}")), StringComparison.Ordinal);
        Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("session.registration-window", null, 10, default));
    }

    [Fact]
    public async Task SeriesForm_RefusesTooManyLeadTimes_AndSavesAndAuditsValidOnes()
    {
        var (series, _, _) = await _app.SeriesWithWebinarAsync();
        var edit = $"/organizer/series/edit/{series}";
        Dictionary<string, string> Fields(string leads) => new()
        {
            ["Title"] = "Mind the Gap", ["Description"] = "A webinar series.", ["AttendanceThresholdPercent"] = "75", ["CertificateStatement"] = "",
            ["ReminderLeadTimes"] = leads,
        };

        var refused = await Forms.PostAsync(_organizer, edit, edit, Fields("1d, 2d, 3d, 4d, 5d, 6d"));
        var saved = await Forms.PostAsync(_organizer, edit, edit, Fields("7 days, 1 day, 1 hour"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("href=\"#f-reminderLeadTimes\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("value=\"7 days, 1 day, 1 hour\"", await _organizer.GetStringAsync(edit), StringComparison.Ordinal);
        var audit = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("series.reminders", null, 10, default));
        Assert.Equal("Mind the Gap", audit.ObjectTitle);
    }
}
