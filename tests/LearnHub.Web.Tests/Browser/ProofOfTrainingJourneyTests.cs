using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Certificates;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// Acceptance 3 of attendance, evaluations and certificates, whole and in real Chromium: the organizer requires the
/// evaluation for the series' certificates, sets the session's CE hours and, after the session, imports the meeting
/// platform's participant report. The attendee follows the emailed evaluation link, answers it, then finds the
/// certificate on the transcript page, saves it as a PDF and sees its code verified. A registrant who joined for ten
/// minutes is not an attendee: no evaluation, no certificate, an empty transcript.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class ProofOfTrainingJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Organizer = "olu.organizer@example.org";
    private const string Attendee = "pat.doe@example.org";
    private const string Absentee = "kim.park@example.org";

    private readonly string _dataDirectory = databases.NewDirectory();
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex(@"/Type\s*/Page(?!s)")]
    private static partial Regex PdfPage();

    [Fact]
    public async Task AnAttendeeEvaluatesAndGetsTheCertificate_WhileANonAttendeeGetsNone()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        await accounts.CreateAsync(Organizer, "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        await accounts.CreateAsync(Attendee, "Pat Doe", LearnHubWebFactory.Password, [Role.Learner], default);
        await accounts.CreateAsync(Absentee, "Kim Park", LearnHubWebFactory.Password, [Role.Learner], default);
        // The webinar runs a week from the test clock's "now": Sunday 29 November 2026, 10:00–11:30 in New York.
        var (series, session, _) = await _app.SeriesWithWebinarAsync();
        using (var http = new HttpClient { BaseAddress = new Uri(_baseUrl) })
        {
            foreach (var (name, email) in new[] { ("Pat Doe", Attendee), ("Kim Park", Absentee) })
            {
                (await http.PostAsJsonAsync($"/api/sessions/{session}/registrations",
                    new { name, email, agency = "County DCF", jobRole = "Caseworker", timeZone = "America/New_York" })).EnsureSuccessStatusCode();
            }
        }

        await using var organizerContext = await browser.Browser.NewContextAsync();
        var organizer = await organizerContext.NewPageAsync();
        await BrowserFixture.SignInAsync(organizer, _baseUrl, Organizer, $"/organizer/series/edit/{series}");
        await organizer.CheckAsync("#f-evaluationRequired");
        await organizer.FillAsync("#f-certificateStatement", "Approved by the State Board of Social Work for 1.5 CE hours. Provider #1234.");
        await organizer.ClickAsync("button:has-text('Save series')");
        await organizer.WaitForURLAsync(new Regex("/organizer#series-"));
        await organizer.GotoAsync($"{_baseUrl}/organizer/sessions/edit/{session}");
        await organizer.FillAsync("#f-ceHours", "1.5");
        await organizer.ClickAsync("button:has-text('Save session')");
        await organizer.WaitForURLAsync($"{_baseUrl}/organizer/sessions/{session}");

        // The day after the session, the organizer imports Zoom's report: Pat dropped out once and rejoined (80 of 90
        // minutes, above the 75% threshold); Kim stayed ten minutes.
        // A week on, yesterday's sign-in has long ended (idle timeout and absolute lifetime): the organizer signs in
        // again and lands on the session's attendance page.
        _app.Clock.Advance(TimeSpan.FromDays(8));
        await BrowserFixture.SignInAsync(organizer, _baseUrl, Organizer, $"/organizer/sessions/{session}/attendance");
        await organizer.SetInputFilesAsync("#f-report", new FilePayload
        {
            Name = "participants.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("\uFEFFName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n"
                + "Pat Doe,PAT.DOE@example.org,11/29/2026 09:55:00 AM,11/29/2026 10:40:00 AM,45\r\n"
                + "\"Doe, Pat (phone)\",pat.doe@example.org,11/29/2026 10:50:00 AM,11/29/2026 11:30:00 AM,40\r\n"
                + "Kim Park,kim.park@example.org,11/29/2026 10:00:00 AM,11/29/2026 10:10:00 AM,10\r\n"),
        });
        await organizer.ClickAsync("button:has-text('Import')");
        await organizer.Locator("#notice").Filter(new LocatorFilterOptions { HasText = "2 registrant(s) matched" }).WaitForAsync();
        await browser.AssertAccessibleAsync(organizer, "attendance after import");

        // Pat is invited to evaluate; the certificate waits for it.
        var survey = await _app.EmailedLinkAsync(Attendee, "/evaluations/");
        var certificates = _app.Services.GetRequiredService<CertificateStore>();
        Assert.Empty(await certificates.ForPersonAsync(Attendee, default));

        await using var attendeeContext = await browser.Browser.NewContextAsync();
        var attendee = await attendeeContext.NewPageAsync();
        await attendee.GotoAsync(survey);
        await attendee.CheckAsync("#f-overall-5");
        await attendee.CheckAsync("#f-content-4");
        await attendee.CheckAsync("#f-presenters-5");
        await attendee.CheckAsync("#f-relevance-4");
        await attendee.CheckAsync("#q-recommend input[value='yes']");
        await attendee.FillAsync("#f-mostUseful", "The practice scenarios.");
        await attendee.ClickAsync("text=Send my evaluation");
        await attendee.WaitForSelectorAsync("#survey-status");

        // The certificate is issued in the evaluation's transaction and its link is mailed.
        var certificateLink = await _app.EmailedLinkAsync(Attendee, "/certificates/");
        await BrowserFixture.SignInAsync(attendee, _baseUrl, Attendee, "/my-learning");
        await attendee.ClickAsync("#transcript-link");
        Assert.Equal("1.50", await attendee.Locator("#total strong").TextContentAsync());
        await browser.AssertAccessibleAsync(attendee, "transcript");
        await attendee.ClickAsync("text=Simulation Labs for Child Welfare Education");
        Assert.Equal(certificateLink, attendee.Url);
        Assert.Equal("Pat Doe", await attendee.Locator("#certificate-person").TextContentAsync());
        Assert.Contains("Provider #1234", await attendee.ContentAsync(), StringComparison.Ordinal);
        var code = await attendee.Locator("#certificate-code").TextContentAsync();

        // Saved as a PDF from the print stylesheet: one page.
        await attendee.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Print });
        var pdf = await attendee.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        Assert.Single(PdfPage().Matches(Encoding.Latin1.GetString(pdf)));

        var verification = await attendeeContext.APIRequest.GetAsync($"{_baseUrl}/verify/{code}");
        Assert.Contains("data-outcome=\"valid\"", await verification.TextAsync(), StringComparison.Ordinal);

        // Kim registered but did not attend: no survey link, no certificate, nothing on the transcript.
        await using var absenteeContext = await browser.Browser.NewContextAsync();
        var absentee = await absenteeContext.NewPageAsync();
        await BrowserFixture.SignInAsync(absentee, _baseUrl, Absentee, "/my-learning/transcript");
        Assert.Equal("0.00", await absentee.Locator("#total strong").TextContentAsync());
        Assert.Equal(0, await absentee.Locator("a[href^='/certificates/']").CountAsync());
        await absentee.GotoAsync($"{_baseUrl}/evaluations/sessions/{session}");
        Assert.Equal(0, await absentee.Locator("text=Send my evaluation").CountAsync());
        Assert.Empty(await certificates.ForPersonAsync(Absentee, default));
        var kimsMail = Directory.GetFiles(Path.Combine(_dataDirectory, "mail"), "*.eml")
            .Select(file => MimeKit.MimeMessage.Load(file))
            .Where(m => m.To.Mailboxes.Any(to => to.Address.Equals(Absentee, StringComparison.OrdinalIgnoreCase)))
            .Select(m => m.Subject)
            .ToList();
        Assert.NotEmpty(kimsMail); // her confirmation, so the mailbox is the right one to look in
        Assert.DoesNotContain(kimsMail, subject => subject!.StartsWith("Your evaluation", StringComparison.Ordinal) || subject!.StartsWith("Your certificate", StringComparison.Ordinal));
    }
}
