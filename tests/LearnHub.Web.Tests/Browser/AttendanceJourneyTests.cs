using System.Net.Http.Json;
using System.Text;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium: an organizer imports a participant report from the session page, reads what it found, checks a
/// person in with the keyboard alone, and prints the sign-in sheet — every page passing axe.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AttendanceJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnOrganizerImportsTheReport_ChecksSomeoneInByKeyboard_AndPrintsTheSignInSheet()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync("olu.organizer@example.org", "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        using (var http = new HttpClient { BaseAddress = new Uri(_baseUrl) })
        {
            foreach (var (name, email) in new[] { ("Pat Doe", "pat@example.org"), ("Kim Park", "kim@example.org") })
            {
                (await http.PostAsJsonAsync($"/api/sessions/{session}/registrations",
                    new { name, email, agency = "County DCF", jobRole = "Caseworker", timeZone = "America/New_York" })).EnsureSuccessStatusCode();
            }
        }

        _app.Clock.Advance(TimeSpan.FromDays(8)); // the webinar is over: attendance can be recorded
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, _baseUrl, "olu.organizer@example.org");

        await page.GotoAsync($"{_baseUrl}/organizer/sessions/{session}");
        await page.ClickAsync("a[href$='/attendance']");
        await browser.AssertAccessibleAsync(page, "attendance");
        await page.SetInputFilesAsync("#f-report", new FilePayload
        {
            Name = "participants.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n"
                + "Pat Doe,pat@example.org,11/29/2026 10:00:00 AM,11/29/2026 11:30:00 AM,90\r\n"
                + "Someone Else,else@example.org,11/29/2026 10:00:00 AM,11/29/2026 11:30:00 AM,90\r\n"),
        });
        await page.ClickAsync("button:has-text('Import')");
        await page.Locator("#notice").Filter(new LocatorFilterOptions { HasText = "1 registrant(s) matched" }).WaitForAsync();
        Assert.Contains("else@example.org", await page.TextContentAsync("#import-set-aside"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(page, "attendance after import");

        // Kim came in person: the organizer tabs to her button and presses Enter.
        await page.Locator("#checkin button", new PageLocatorOptions { HasText = "Check in Kim Park" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#notice").Filter(new LocatorFilterOptions { HasText = "Kim Park is checked in." }).WaitForAsync();
        Assert.Contains("by Olu Organizer", await page.TextContentAsync("#checkin tbody tr:has-text('Kim Park')"), StringComparison.Ordinal);

        await page.ClickAsync("a[href$='/sign-in-sheet']");
        await browser.AssertAccessibleAsync(page, "sign-in sheet");
        Assert.True(await page.IsVisibleAsync(".screen-only"));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Print });
        Assert.False(await page.IsVisibleAsync(".screen-only"));
        Assert.Equal(2 + LearnHub.Web.Pages.Organizer.SignInSheetModel.BlankLines, await page.Locator("#sign-in tbody tr").CountAsync());
    }
}
