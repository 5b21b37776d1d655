using LearnHub.Testing;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven by Playwright (never Playwright's own browser download), and axe-core from npm
/// for accessibility scans. ./test.sh installs both; the messages below say so when either is missing.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    /// <summary>The running browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>axe-core's source, to evaluate in a page.</summary>
    public string AxeSource { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run ./test.sh, which installs Debian's chromium package.");
        }

        var axe = Environment.GetEnvironmentVariable("LEARNHUB_AXE_PATH") ?? Path.Combine(Repository.Root, ".tools", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
        {
            throw new InvalidOperationException($"axe-core is missing at {axe}: run ./test.sh, which installs it from npm.");
        }

        AxeSource = await File.ReadAllTextAsync(axe);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Without the background-networking flags Chromium floods this machine's closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// Signs <paramref name="email"/> in with the tests' password through the sign-in form and waits to land on
    /// <paramref name="returnUrl"/> (a path); a journey that tests the sign-in itself fills the form on its own.
    /// </summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string email, string returnUrl = "/")
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(returnUrl == "/" ? $"{baseUrl}/signin" : $"{baseUrl}/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("#f-email", email);
        await page.FillAsync("#f-password", LearnHubWebFactory.Password);
        await page.ClickAsync("form:not([action*='Link']) >> text=Sign in");
        await page.WaitForURLAsync($"{baseUrl}{returnUrl}");
    }

    /// <summary>Runs axe-core on the page and fails on any serious or critical violation.</summary>
    public async Task AssertAccessibleAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.EvaluateAsync(AxeSource);
        var violations = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            """
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }))
            """);
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => v.ToString())
            .ToList();
        Assert.True(serious.Count == 0, $"axe found serious or critical violations on the {name} page: {string.Join("; ", serious)}");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
