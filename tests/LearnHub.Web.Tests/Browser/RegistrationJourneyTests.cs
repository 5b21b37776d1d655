using LearnHub.Testing;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// A registrant's whole journey in real Chromium against the real app on Kestrel, with the keyboard only: catalog,
/// session, time zone, register, confirmation in the chosen zone, manage link, cancel after confirming. axe-core scans each page.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RegistrationJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly BrowserFixture _browser = browser;
    private LearnHubWebFactory _app = null!;
    private IBrowserContext _context = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        // The browser says it is in Los Angeles; the visitor will choose Chicago, and the pages must follow the choice.
        _context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { TimezoneId = "America/Los_Angeles", Locale = "en-US" });
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ARegistrant_RegistersWithTheKeyboard_SeesTheirZone_AndCancelsThroughTheManageLink()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 40, withExchange: true, exchangeCapacity: 12);
        var page = await _context.NewPageAsync();

        // Catalog: the first Tab reaches the skip link; then on to the series.
        await page.GotoAsync(_baseUrl + "/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to main content", await page.EvaluateAsync<string>("document.activeElement.textContent.trim()"));
        await AssertAccessibleAsync(page, "catalog");
        await TabToAsync(page, "a[href^='/series/']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/series/**");

        await TabToAsync(page, $"a[href='/sessions/{webinar}']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/sessions/{webinar}");
        // No zone chosen yet: the script preselects the browser's zone, while the page names the session's own.
        Assert.Equal("America/Los_Angeles", await page.InputValueAsync("#tz-picker-zone"));
        Assert.Contains("America/New_York", await page.TextContentAsync("#session-when"), StringComparison.Ordinal);

        await TabToAsync(page, "#tz-picker-zone");
        await page.Locator("#tz-picker-zone").SelectOptionAsync("America/Chicago");
        await TabToAsync(page, ".tz-picker button");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator(".tz-note strong").Filter(new LocatorFilterOptions { HasText = "America/Chicago" }).WaitForAsync();
        Assert.Equal("America/Chicago (UTC\u221206:00)", await page.TextContentAsync(".tz-note strong"));
        Assert.Contains("Sunday, November 29, 2026, 9:00 AM – 10:30 AM (America/Chicago", await page.TextContentAsync("#session-when"), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "session");

        await TabToAsync(page, "#f-name");
        await page.Keyboard.TypeAsync("Robin Ellis");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("robin.ellis@example.org");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Waupaca County DHHS");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Child protective services worker");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("America/Chicago", await page.InputValueAsync("#f-timeZone"));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Captions, please");
        await TabToAsync(page, "#f-includeLearningExchange");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, ".register-form button[type=submit]");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/confirmation");
        Assert.Equal("You're registered", await page.TextContentAsync("h1"));
        var times = await page.Locator(".registration .when").AllTextContentsAsync();
        Assert.Equal(2, times.Count);
        Assert.StartsWith("Sunday, November 29, 2026, 9:00 AM", times[0], StringComparison.Ordinal);
        Assert.Contains("America/Chicago", times[0], StringComparison.Ordinal);
        Assert.StartsWith("Sunday, December 6, 2026, 9:00 AM", times[1], StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "confirmation");

        await TabToAsync(page, "#manage-link");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.EndsWith("/confirmation", StringComparison.Ordinal));
        Assert.Equal("Your registration", await page.TextContentAsync("h1"));
        await AssertAccessibleAsync(page, "manage");

        // Cancelling is a quiet link to a confirmation page, not a button that acts at once.
        await TabToAsync(page, ".registration a.cancel-link");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/cancel/**");
        Assert.Equal("Cancel your registration?", await page.TextContentAsync("h1"));
        await AssertAccessibleAsync(page, "cancel");
        await TabToAsync(page, "#confirm-cancel");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#notice");
        Assert.StartsWith("Cancelled:", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        var statuses = await page.Locator(".registration").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)");
        Assert.Equal(["cancelled", "confirmed"], statuses);
    }

    /// <summary>Presses Tab until the focused element matches; fails if it is not reached (not keyboard reachable).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 80; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector} on {page.Url}.");
    }

    private Task AssertAccessibleAsync(IPage page, string name) => _browser.AssertAccessibleAsync(page, name);
}
