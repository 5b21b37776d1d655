using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Organizer;

/// <summary>
/// The attendance page posted as a browser without JavaScript would. The webinar runs 10:00–11:30 in New York on
/// 29 November 2026 (a week after the factory's "now"); 75% of 90 minutes is 68.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AttendancePageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;
    private Guid _session;

    private const string Report =
        "\uFEFFName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n"
        + "\"Doe, Pat\",pat@example.org,11/29/2026 09:58:00 AM,11/29/2026 11:00:00 AM,62\r\n"
        + "\"Doe, Pat\",pat@example.org,11/29/2026 10:55:00 AM,11/29/2026 11:31:00 AM,36\r\n"
        + "Sam Roe,sam@example.org,11/29/2026 10:00:00 AM,11/29/2026 10:40:00 AM,40\r\n"
        + "Stranger,stranger@example.org,11/29/2026 10:00:00 AM,11/29/2026 11:30:00 AM,90\r\n"
        + "Phone caller,,11/29/2026 10:00:00 AM,11/29/2026 11:30:00 AM,90\r\n";

    public async Task InitializeAsync()
    {
        _app = new LearnHubWebFactory(fixture.NewDirectory());
        (_, _session, _) = await _app.SeriesWithWebinarAsync();
        foreach (var (name, email) in new[] { ("Pat Doe", "pat@example.org"), ("Sam Roe", "sam@example.org"), ("Kim Park", "kim@example.org") })
        {
            var response = await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{_session}/registrations",
                new { name, email, agency = "County DCF", jobRole = "Caseworker", timeZone = "America/New_York" });
            response.EnsureSuccessStatusCode();
        }

        // The webinar (29 November, 10:00–11:30 in New York) is over: attendance can be recorded.
        _app.Clock.Advance(TimeSpan.FromDays(8));
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string Page => $"/organizer/sessions/{_session}/attendance";

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, string tokenFrom)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(Forms.AntiforgeryToken(await client.GetStringAsync(tokenFrom))), "__RequestVerificationToken" },
            { new StringContent("America/New_York"), "TimeZone" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Report", "zoom-participants.csv");
        return await client.PostAsync($"{Page}?handler=Import", form);
    }

    private async Task<Guid> RegistrationAsync(string email)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return Guid.Parse(await connection.ExecuteScalarAsync<string>("SELECT id FROM registrations WHERE email_normalized = @email", new { email }) ?? "");
    }

    private static string PathOf(HttpResponseMessage response) => response.Headers.Location is not { } location ? ""
        : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    [Fact]
    public async Task AnOrganizerImportsAReport_AndSeesMinutesPerPersonAndTheRowsThatDidNotMatch()
    {
        var response = await UploadAsync(_organizer, Report, Page);

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var html = await _organizer.GetStringAsync(Page);
        Assert.Contains("<td>Pat Doe</td><td>pat@example.org</td><td>90</td><td>Yes</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Sam Roe</td><td>sam@example.org</td><td>40</td><td>No</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>5</td><td>Stranger</td><td>stranger@example.org</td><td>Unmatched", html, StringComparison.Ordinal);
        Assert.Contains("<td>6</td><td>Phone caller</td><td>(none)</td><td>Ambiguous", html, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM attendance"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.imported'"));
    }

    [Fact]
    public async Task AMalformedReport_IsShownWithItsLineNumbers_AndChangesNothing()
    {
        await UploadAsync(_organizer, Report, Page);
        var before = (await CountAsync("SELECT COUNT(*) FROM attendance_changes"), await CountAsync("SELECT COUNT(*) FROM attendance_imports"));

        var response = await UploadAsync(_organizer, "Name,User Email,Join Time,Leave Time\nSam Roe,sam@example.org,10:00 AM,11:30 AM\nPat Doe,pat@example.org,10:00 AM,after lunch\n", Page);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<tr><td>3</td><td>the leave time ", html, StringComparison.Ordinal);
        Assert.Contains("after lunch", html, StringComparison.Ordinal);
        Assert.Equal(before, (await CountAsync("SELECT COUNT(*) FROM attendance_changes"), await CountAsync("SELECT COUNT(*) FROM attendance_imports")));
        Assert.Equal(40, await CountAsync($"SELECT minutes FROM attendance WHERE registration_id = '{await RegistrationAsync("sam@example.org")}'"));
    }

    [Fact]
    public async Task LearnersAndAnonymousVisitors_AreTurnedAway_AndCannotImport()
    {
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var path in new[] { Page, $"/organizer/sessions/{_session}/sign-in-sheet", $"/organizer/sessions/{_session}/attendance.csv" })
        {
            var learnerAnswer = await learner.GetAsync(path);
            Assert.True(learnerAnswer.StatusCode == HttpStatusCode.Forbidden || PathOf(learnerAnswer).StartsWith("/denied", StringComparison.Ordinal),
                $"{path}: {(int)learnerAnswer.StatusCode}");
            Assert.StartsWith("/signin", PathOf(await anonymous.GetAsync(path)), StringComparison.Ordinal);
        }

        // A learner posting the form (with a token from a page they may see) gets nowhere.
        var posted = await UploadAsync(learner, Report, "/");
        Assert.True(posted.StatusCode == HttpStatusCode.Forbidden || PathOf(posted).StartsWith("/denied", StringComparison.Ordinal),
            $"{(int)posted.StatusCode} {posted.Headers.Location}");
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM attendance"));
    }

    [Fact]
    public async Task CheckingInByHand_WorksWithoutScript_AndChangingItAsksForAReason()
    {
        var kim = await RegistrationAsync("kim@example.org");

        var checkIn = await Forms.PostAsync(_organizer, Page, $"{Page}?handler=CheckIn", new() { ["registrationId"] = kim.ToString(), ["present"] = "true", ["reason"] = "" });
        var noReason = await Forms.PostAsync(_organizer, Page, $"{Page}?handler=CheckIn", new() { ["registrationId"] = kim.ToString(), ["present"] = "false", ["reason"] = "" });
        var withReason = await Forms.PostAsync(_organizer, Page, $"{Page}?handler=CheckIn",
            new() { ["registrationId"] = kim.ToString(), ["present"] = "false", ["reason"] = "Checked in the wrong Kim" });

        Assert.Equal(HttpStatusCode.Redirect, checkIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains($"<a href=\"#f-reason-{kim}\">Kim Park already has attendance recorded", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, withReason.StatusCode);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM attendance_changes"));
        Assert.Equal(0, await CountAsync("SELECT attended FROM attendance"));

        var csv = await _organizer.GetStringAsync($"/organizer/sessions/{_session}/attendance.csv");
        Assert.Contains("Kim Park,kim@example.org,County DCF,confirmed,0,no,check-in,", csv, StringComparison.Ordinal);
        Assert.Contains(",Test Person,Checked in the wrong Kim\r\n", csv, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.exported'"));

        var sheet = await _organizer.GetStringAsync($"/organizer/sessions/{_session}/sign-in-sheet");
        Assert.Contains("<td>Kim Park</td><td>County DCF</td><td class=\"sheet-signature\"></td>", sheet, StringComparison.Ordinal);
        Assert.Contains("Sunday, November 29, 2026, 10:00 AM", sheet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImport_LeavesACheckInByHandAsItIs_AndShowsItBesideTheReportsMinutes()
    {
        var sam = await RegistrationAsync("sam@example.org");
        await Forms.PostAsync(_organizer, Page, $"{Page}?handler=CheckIn", new() { ["registrationId"] = sam.ToString(), ["present"] = "true", ["reason"] = "Joined by phone" });

        var response = await UploadAsync(_organizer, Report, Page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await _organizer.GetStringAsync(Page);
        Assert.Contains("1 kept as recorded by hand; compare them below.", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td><a href=\"#checkin-{sam}\">Sam Roe</a><br><span class=\"hint\">sam@example.org</span></td><td>90 minutes, attended</td><td>Joined by phone</td><td>40</td><td>No</td></tr>",
            html, StringComparison.Ordinal);
        Assert.Equal(90, await CountAsync($"SELECT minutes FROM attendance WHERE registration_id = '{sam}' AND source = 'check-in'"));
    }

    [Fact]
    public async Task ACancelledSession_RefusesTheImportAndCheckIns_SayingWhy()
    {
        var kim = await RegistrationAsync("kim@example.org");
        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE sessions SET status = 'cancelled' WHERE id = @id", new { id = _session.ToString() });
        }

        var import = await UploadAsync(_organizer, Report, Page);
        var checkIn = await Forms.PostAsync(_organizer, Page, $"{Page}?handler=CheckIn", new() { ["registrationId"] = kim.ToString(), ["present"] = "true", ["reason"] = "" });

        Assert.Equal(HttpStatusCode.Conflict, import.StatusCode);
        Assert.Contains("was cancelled, so it has no attendance to import; nothing changed.", await import.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, checkIn.StatusCode);
        Assert.Contains("was cancelled, so nobody can be checked in or out; nothing changed.", await checkIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("This session was cancelled", await _organizer.GetStringAsync(Page), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM attendance") + await CountAsync("SELECT COUNT(*) FROM attendance_imports"));
    }

    [Fact]
    public async Task TheSignInSheet_NamesOnlyThePartsOfThePlaceThatAreKnown()
    {
        var sheet = new Dictionary<(string?, string?), string>();
        foreach (var (venue, city) in new[] { ("Community Hall", (string?)null), ("Community Hall", ""), (null, "Albany"), ("Community Hall", "Albany"), (null, null) })
        {
            await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
            {
                await connection.ExecuteAsync("UPDATE sessions SET venue = @venue, city = @city WHERE id = @id", new { venue, city, id = _session.ToString() });
            }

            var html = await _organizer.GetStringAsync($"/organizer/sessions/{_session}/sign-in-sheet");
            var when = html[html.IndexOf("<p class=\"sheet-when\">", StringComparison.Ordinal)..];
            sheet[(venue, city)] = WebUtility.HtmlDecode(when[..(when.IndexOf("</p>", StringComparison.Ordinal) + 4)]);
        }

        Assert.EndsWith(" · Community Hall</p>", sheet[("Community Hall", null)], StringComparison.Ordinal);
        Assert.EndsWith(" · Community Hall</p>", sheet[("Community Hall", "")], StringComparison.Ordinal);
        Assert.EndsWith(" · Albany</p>", sheet[(null, "Albany")], StringComparison.Ordinal);
        Assert.EndsWith(" · Community Hall, Albany</p>", sheet[("Community Hall", "Albany")], StringComparison.Ordinal);
        Assert.DoesNotContain(" · ", sheet[(null, null)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingTheRecording_AfterTheImport_EmailsAttendeesReady_AndTheOthersThatTheyMissedIt()
    {
        await UploadAsync(_organizer, Report, Page);
        var recording = (await _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(_session).AddAsync(
            new MediaDraft(_session, MediaKind.Recording, "Recording", MediaVisibility.Registrants, ExternalUrl: "https://video.example.org/r"))).MediaId!.Value;

        await Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}", $"/organizer/sessions/{_session}?handler=PublishRecording",
            new() { ["mediaId"] = recording.ToString() });

        Assert.Contains($"/recordings/{recording}", (await _app.EmailAsync("pat@example.org", "Recording ready:")).TextBody, StringComparison.Ordinal);
        Assert.Contains($"/recordings/{recording}", (await _app.EmailAsync("sam@example.org", "You missed it:")).TextBody, StringComparison.Ordinal);
        Assert.Contains("We missed you", (await _app.EmailAsync("kim@example.org", "You missed it:")).TextBody, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'recording-ready' AND recipient <> 'pat@example.org'"));
    }
}
