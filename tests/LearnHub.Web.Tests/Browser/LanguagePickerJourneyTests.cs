using LearnHub.Testing;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium on a phone: a browser set to Spanish gets the catalog in Spanish; its visitor picks Chinese from the
/// footer by keyboard, stays on the same search, and keeps Chinese on the next page. Each language is scanned by axe-core
/// with its lang, and neither scrolls sideways at 390 px or at 1,280 px (the translated menu is longer than English).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class LanguagePickerJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
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
    public async Task ASpanishBrowser_GetsSpanish_AndTheVisitorPicksChineseByKeyboard_WhichStays()
    {
        await using var context = await browser.Browser.NewContextAsync(new() { Locale = "es-ES", ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{_baseUrl}/?q=labs");
        Assert.Equal("es", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Catálogo", await page.TextContentAsync("nav.site-nav a[href='/']"));
        await browser.AssertAccessibleAsync(page, "catalog in Spanish");
        await AssertNoSidewaysScrollAsync(page);

        await page.FocusAsync("nav.language-picker a[lang='zh-Hans']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'zh-Hans'");
        Assert.Equal($"{_baseUrl}/?q=labs", page.Url);
        Assert.Equal("课程目录", await page.TextContentAsync("nav.site-nav a[href='/']"));
        Assert.Equal("true", await page.GetAttributeAsync("nav.language-picker a[lang='zh-Hans']", "aria-current"));
        await browser.AssertAccessibleAsync(page, "catalog in Chinese");
        await AssertNoSidewaysScrollAsync(page);

        await page.GotoAsync($"{_baseUrl}/verify");
        Assert.Equal("zh-Hans", await page.GetAttributeAsync("html", "lang"));
    }

    // At the phone's width and again at a desktop's, the page is no wider than the window.
    private static async Task AssertNoSidewaysScrollAsync(Microsoft.Playwright.IPage page)
    {
        foreach (var width in new[] { 390, 1280 })
        {
            await page.SetViewportSizeAsync(width, 844);
            var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
            Assert.True(scroll <= client, $"{await page.GetAttributeAsync("html", "lang")} at {width} px scrolls sideways: {scroll} > {client}.");
        }

        await page.SetViewportSizeAsync(390, 844);
    }
}
