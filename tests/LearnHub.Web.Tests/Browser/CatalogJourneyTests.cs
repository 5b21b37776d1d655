using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium with JavaScript switched off: on a phone-sized window the site menu is a disclosure that opens from
/// the keyboard; the catalog is searched and filtered from the keyboard alone, the result is an address that shows the
/// same list when opened afresh, and the month view is reached the same way.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class CatalogJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly string _dataDirectory = databases.NewDirectory();
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory);
        var catalog = new GrainCatalog(_app.Services, _app.Clock);
        var now = _app.Clock.GetUtcNow();
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "Webinars.", ["youth"]), default);
        var trainings = await catalog.CreateSeriesAsync(new SeriesDraft("trauma-informed", "Trauma-Informed Approach", "Trainings.", ["forensic"]), default);
        foreach (var (id, kind, title, days, city) in new[]
        {
            (series, SessionKind.NationalWebinar, "Simulation Labs for Child Welfare Education", 3, (string?)null),
            (series, SessionKind.NationalWebinar, "Data Analytics for Decisions", 10, null),
            (trainings, SessionKind.InPersonTraining, "Trauma-Informed Care", 20, "Madison, WI"),
        })
        {
            await catalog.CreateSessionAsync(new SessionDraft(id, kind, title, "About it.", now.AddDays(days), now.AddDays(days).AddHours(2), "America/Chicago", 30, [],
                city is null ? null : "Learning Center", city), default);
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Presses Tab until the focused element's text is <paramref name="text"/> (failing after 20 presses).</summary>
    private static async Task TabToAsync(IPage page, string text)
    {
        for (var presses = 0; presses < 20; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if ((await page.EvaluateAsync<string>("() => document.activeElement?.textContent ?? ''")).Trim() == text)
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached \"{text}\".");
    }

    private async Task<IReadOnlyList<string>> CardsAsync(IPage page) => await page.Locator("#sessions .card-title").AllTextContentsAsync();

    [Fact]
    public async Task WithoutScript_TheMenuOpensFromTheKeyboard_AndTheCatalogIsFilteredByKeyboardIntoALinkableList()
    {
        await using var context = await browser.Browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_baseUrl + "/");

        // The menu is collapsed on a phone: its links are hidden until the disclosure is opened (Enter on "Menu").
        Assert.False(await page.Locator(".nav-links a[href='/signin']").IsVisibleAsync());
        await page.FocusAsync(".nav-menu > summary");
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.Locator(".nav-links a[href='/signin']").IsVisibleAsync());
        Assert.Equal("true", await page.Locator(".nav-menu").GetAttributeAsync("open") is null ? "false" : "true");
        await page.Keyboard.PressAsync("Enter"); // and closes again
        Assert.False(await page.Locator(".nav-links a[href='/signin']").IsVisibleAsync());

        Assert.Equal(3, (await CardsAsync(page)).Count);
        await page.FocusAsync("#f-q");
        await page.Keyboard.TypeAsync("labs");
        await page.Keyboard.PressAsync("Tab"); // to Track
        await page.Keyboard.PressAsync("Tab"); // to Kind
        Assert.Equal("f-kind", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("ArrowDown"); // Any kind → National Webinar
        Assert.Equal("national-webinar", await page.InputValueAsync("#f-kind"));
        await TabToAsync(page, "Show sessions");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("q=labs", StringComparison.Ordinal) && url.Contains("kind=national-webinar", StringComparison.Ordinal));
        Assert.Equal(["Simulation Labs for Child Welfare Education"], await CardsAsync(page));
        Assert.Equal("labs", await page.InputValueAsync("#f-q")); // the form shows what is filtered

        // The address is the list: opened in a fresh page, it shows the same.
        var link = page.Url;
        var again = await context.NewPageAsync();
        await again.GotoAsync(link);
        Assert.Equal(["Simulation Labs for Child Welfare Education"], await CardsAsync(again));

        await again.GetByRole(AriaRole.Link, new() { Name = "Month", Exact = true }).FocusAsync();
        await again.Keyboard.PressAsync("Enter");
        await again.WaitForURLAsync(url => url.Contains("view=month", StringComparison.Ordinal));
        Assert.Equal("November 2026", await again.TextContentAsync("#results-heading"));
        Assert.Equal(1, await again.Locator("#month a[href^='/sessions/']").CountAsync());
        // (axe cannot run where script is off; the page sweep scans the catalog, its filters and its month.)
    }
}
