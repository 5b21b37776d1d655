using System.Text.RegularExpressions;
using Ical.Net;
using LearnHub.Grains.Catalog;
using LearnHub.Testing;
using LearnHub.Web.Registrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// A registrant without an account, in real Chromium, from mails in the pickup directory: they lost their manage link
/// and get it back from the catalog's "email me my registrations"; on the manage page they add the session to their
/// calendar (the downloaded .ics read by Ical.Net), correct their details, and ten minutes before the start (pinned clock) join with the
/// "Join" button; then they create an account by an emailed link and find the registration in My learning. axe-core
/// scans each new page.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class RegistrantSelfServiceJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string JoinUrl = "https://meet.example/j/4242";
    private LearnHubWebFactory _app = null!;
    private IBrowserContext _context = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { TimezoneId = "America/Chicago", Locale = "en-US", AcceptDownloads = true });
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"https?://\S+/registrations/[A-Za-z0-9_\-]+")]
    private static partial Regex ManageLink();

    [Fact]
    public async Task ARegistrantWithoutAnAccount_RecoversTheirLink_AddsTheSessionToACalendar_EditsTheirDetails_JoinsTenMinutesBeforeTheStart_AndCreatesAnAccount()
    {
        var catalog = new GrainCatalog(_app.Services, _app.Clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "A webinar series."), default);
        var starts = _app.Clock.GetUtcNow().AddDays(7);
        var webinar = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs for Child Welfare Education",
            "How simulation labs train new workers.", starts, starts.AddMinutes(90), "America/New_York", 100, [new Presenter("Dana Ruiz", "State university")],
            JoinUrl: JoinUrl), default);
        await _app.Services.GetRequiredService<RegistrationDesk>().RegisterAsync(webinar,
            new RegistrationRequest("Robin Ellis", "robin.ellis@example.org", "County DCF", "Caseworker", "America/Chicago", ""), default);
        var page = await _context.NewPageAsync();

        // The confirmation mail is lost; the catalog's form mails the list, with the same answer for any address.
        await page.GotoAsync(_baseUrl + "/");
        await page.FocusAsync("#email-mine-catalog-address");
        await page.Keyboard.TypeAsync("robin.ellis@example.org");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#notice");
        Assert.Equal(LearnHub.Web.Pages.Registrations.EmailMineModel.Sent, await page.TextContentAsync("#notice"));
        await browser.AssertAccessibleAsync(page, "email-my-registrations");
        var list = await _app.EmailAsync("robin.ellis@example.org", "Your LearnHub registrations");
        var manage = ManageLink().Match(list.TextBody ?? "").Value;

        await page.GotoAsync(manage);
        Assert.Equal("Your registration", await page.TextContentAsync("h1"));
        // A week ahead the link is there, but the Join button is not yet.
        Assert.Equal(JoinUrl, await page.GetAttributeAsync(".join-link a", "href"));
        Assert.Equal(0, await page.Locator(".join-now").CountAsync());
        await browser.AssertAccessibleAsync(page, "manage-with-access");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".add-to-calendar a[download]").ClickAsync());
        var calendar = Calendar.Load(await File.ReadAllTextAsync(await download.PathAsync()))!;
        var added = Assert.Single(calendar.Events);
        Assert.Equal("Simulation Labs for Child Welfare Education", added.Summary);
        Assert.Equal(starts, new DateTimeOffset(added.DtStart!.AsUtc, TimeSpan.Zero));
        Assert.Equal("America/New_York", added.DtStart.TzId);
        Assert.Equal(JoinUrl, added.Location);
        var google = await page.GetAttributeAsync(".add-to-calendar a[href^='https://calendar.google.com/']", "href");
        Assert.Contains($"dates={starts.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}/", google, StringComparison.Ordinal);
        Assert.StartsWith("webcal://", await page.GetAttributeAsync("#feed-webcal", "href"), StringComparison.Ordinal);

        // They correct their details and accommodation request; the organizers' list shows the change, marked.
        await page.Locator("#edit-details").ClickAsync();
        await page.WaitForURLAsync("**/details");
        await browser.AssertAccessibleAsync(page, "change-details");
        await page.FillAsync("#f-name", "Robin Ellis-Park");
        await page.FillAsync("#f-jobRole", "Supervisor");
        await page.Locator("#f-timeZone").SelectOptionAsync("America/Denver");
        await page.FillAsync("#f-accommodations", "An ASL interpreter, please");
        await page.FocusAsync("#f-accommodations");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#notice");
        Assert.Equal(manage, page.Url);
        Assert.Contains("Robin Ellis-Park", await page.TextContentAsync("#details-heading + dl"), StringComparison.Ordinal);
        var listed = Assert.Single(await _app.Services.GetRequiredService<LearnHub.Silo.Registrations.RegistrationReader>().ForSessionAsync(webinar, default));
        Assert.Equal(("Robin Ellis-Park", "Supervisor", "America/Denver", "An ASL interpreter, please"), (listed.Name, listed.JobRole, listed.TimeZone, listed.Accommodations));
        Assert.NotNull(listed.EditedAt);

        // Ten minutes before the start the page leads with a Join button, reached by keyboard.
        _app.Clock.SetUtcNow(starts.AddMinutes(-10));
        await page.ReloadAsync();
        var join = page.Locator(".join-now a.join");
        Assert.Equal(JoinUrl, await join.GetAttributeAsync("href"));
        await page.Keyboard.PressAsync("Tab");
        for (var presses = 0; presses < 30 && !await join.EvaluateAsync<bool>("e => e === document.activeElement"); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.True(await join.EvaluateAsync<bool>("e => e === document.activeElement"), "The Join button is not reachable by keyboard.");
        await browser.AssertAccessibleAsync(page, "manage-join-now");

        // Last, they create the account they never had, from the sign-in page, proving the address by the emailed link;
        // My learning then holds the registration made without one.
        await page.GotoAsync(_baseUrl + "/signin");
        await page.ClickAsync("#sign-up-link");
        await page.WaitForURLAsync("**/signup");
        await browser.AssertAccessibleAsync(page, "sign-up");
        await page.FillAsync("#f-email", "robin.ellis@example.org");
        await page.PressAsync("#f-email", "Enter");
        await page.WaitForSelectorAsync("#notice");
        await page.GotoAsync(await _app.EmailedLinkAsync("robin.ellis@example.org", "/signup/"));
        await browser.AssertAccessibleAsync(page, "complete-sign-up");
        await page.FillAsync("#f-displayName", "Robin Ellis-Park");
        await page.FillAsync("#f-password", "violet kettle harbour lamp");
        await page.ClickAsync("button:has-text('Create my account')");
        await page.WaitForURLAsync("**/my-learning");
        Assert.Contains("Simulation Labs for Child Welfare Education", await page.TextContentAsync("main"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(page, "my-learning-after-sign-up");
    }
}
