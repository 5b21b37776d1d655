using System.Text.Json;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Branding;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Media;
using LearnHub.Silo.Mentoring;
using LearnHub.Testing;
using LearnHub.Web.Pages.Organizer;
using LearnHub.Web.Registrations;
using LearnHub.Web.Tests.Media;
using LearnHub.Web.Tests.Pages.Certificates;
using LearnHub.Web.Tests.Pages.Evaluations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// The acceptance sweep of the design system: every page LearnHub serves, opened by the people who use it (the public,
/// a registrant through their private links, a learner, a mentor, a coordinator, an organizer and an admin, each signed
/// in), at 320, 390 and 1,280 px. At each width the page must not scroll sideways (WCAG 1.4.10 Reflow: the document is
/// no wider than the viewport), no two pieces of text may overlap, no text is under 12 px, it offers at most one
/// primary button, and axe-core finds no serious or critical violation; the dark scheme's contrast is checked once per
/// page, and the first 40 stops of its Tab order must each show a focus ring (WCAG 2.4.7). Each page loads once in one shared browser and is measured at the three
/// widths by resizing; a screenshot of each is kept under the test's output directory (sweep/) for review, with a
/// summary of every page's width.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class PageSweepTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly int[] Widths = [320, 390, 1280];

    /// <summary>Where the screenshots and the width summary go: beside the test binaries, never into the repository.</summary>
    private static readonly string Output = Path.Combine(AppContext.BaseDirectory, "sweep");

    // Measures the page as laid out now: the document's width against the viewport, the text boxes that overlap (text
    // nodes' line boxes from Range.getClientRects, skipping text that is hidden or visually hidden for screen readers
    // only), and the visible primary buttons.
    private const string Measure =
        """
        () => {
          const boxes = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
            { acceptNode: n => n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT });
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!el || el.closest('.visually-hidden, .skip-link, script, style, title, option')) continue;
            if (!el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) {
              if (r.width > 1 && r.height > 1) boxes.push({ node, r, text: node.nodeValue.trim().slice(0, 30) });
            }
          }
          // The smallest text anyone must read (chart labels included): at least 12 px.
          const small = boxes.map(b => ({ text: b.text, size: parseFloat(getComputedStyle(b.node.parentElement).fontSize) }))
            .filter(b => b.size < 12).slice(0, 3).map(b => `"${b.text}" (${b.size}px)`);
          const overlaps = [];
          for (let i = 0; i < boxes.length && overlaps.length < 5; i++) {
            for (let j = i + 1; j < boxes.length && overlaps.length < 5; j++) {
              const a = boxes[i], b = boxes[j];
              if (a.node === b.node) continue;
              const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
              const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
              if (x > 2 && y > 2) overlaps.push(`"${a.text}" and "${b.text}"`);
            }
          }
          const primaries = [...document.querySelectorAll('button.primary, .button.primary')].filter(e => e.checkVisibility()).length;
          // When the page is too wide, name the outermost elements that stick out, so a failure says where to look.
          const wide = [];
          if (document.documentElement.scrollWidth > window.innerWidth) {
            for (const el of document.body.querySelectorAll('*')) {
              if (wide.length >= 3) break;
              if (el.getBoundingClientRect().right > window.innerWidth + 1 && !wide.some(w => w.contains(el))) wide.push(el);
            }
          }
          const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
            + ` (${Math.round(el.getBoundingClientRect().width)}px)`;
          return { scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, overlaps, primaries, small, wide: wide.map(describe) };
        }
        """;

    private readonly string _dataDirectory = databases.NewDirectory();
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryPage_AtEveryWidth_ReflowsWithoutSidewaysScrolling_OverlapsNoText_AndPassesAxe()
    {
        var world = await SweepWorld.BuildAsync(_app, _baseUrl);
        if (Directory.Exists(Output))
        {
            Directory.Delete(Output, recursive: true);
        }

        Directory.CreateDirectory(Output);
        var failures = new List<string>();
        var widths = new List<string> { "role\tpage\t" + string.Join('\t', Widths.Select(w => $"{w}px")) };
        foreach (var visitor in world.Pages.GroupBy(p => p.Role))
        {
            await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = Widths[^1], Height = 900 } });
            // The machine has no network but its own: a frame of a video host or any other outside address is refused
            // here, before the browser looks it up.
            await context.RouteAsync(url => url.StartsWith("http", StringComparison.Ordinal) && !new Uri(url).IsLoopback, route => route.AbortAsync());
            var page = await context.NewPageAsync();
            if (world.Emails.GetValueOrDefault(visitor.Key) is { } email)
            {
                await BrowserFixture.SignInAsync(page, _baseUrl, email);
            }

            foreach (var (_, name, path, expectedStatus) in visitor)
            {
                await page.SetViewportSizeAsync(Widths[^1], 900);
                var response = await page.GotoAsync(_baseUrl + path);
                if (response?.Status != expectedStatus)
                {
                    failures.Add($"{visitor.Key} {name} ({path}): status {response?.Status}, expected {expectedStatus}");
                    continue;
                }

                failures.AddRange((await UnseenFocusAsync(page)).Select(f => $"{visitor.Key} {name}: keyboard focus on {f} is not visible"));
                await page.EvaluateAsync(browser.AxeSource);
                var row = new List<string> { visitor.Key, name };
                foreach (var width in Widths)
                {
                    await page.SetViewportSizeAsync(width, 900);
                    var measured = await page.EvaluateAsync<JsonElement>(Measure);
                    var scrollWidth = measured.GetProperty("scrollWidth").GetInt32();
                    row.Add(scrollWidth.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var at = $"{visitor.Key} {name} at {width}px";
                    if (scrollWidth > measured.GetProperty("viewport").GetInt32())
                    {
                        failures.Add($"{at}: scrolls sideways, the document is {scrollWidth}px wide; sticking out: {string.Join(", ", measured.GetProperty("wide").EnumerateArray())}");
                    }

                    if (measured.GetProperty("overlaps").GetArrayLength() > 0)
                    {
                        failures.Add($"{at}: text overlaps: {string.Join("; ", measured.GetProperty("overlaps").EnumerateArray())}");
                    }

                    if (measured.GetProperty("small").GetArrayLength() > 0)
                    {
                        failures.Add($"{at}: text under 12 px: {string.Join("; ", measured.GetProperty("small").EnumerateArray())}");
                    }

                    if (measured.GetProperty("primaries").GetInt32() > 1)
                    {
                        failures.Add($"{at}: {measured.GetProperty("primaries").GetInt32()} primary buttons (one per view)");
                    }

                    failures.AddRange((await SeriousViolationsAsync(page)).Select(v => $"{at}: axe: {v}"));
                    await page.ScreenshotAsync(new() { Path = Path.Combine(Output, visitor.Key, $"{name}-{width}.png"), FullPage = true });
                }

                // The dark scheme follows the system setting: its colours are checked for contrast too (once per page).
                await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
                failures.AddRange((await SeriousViolationsAsync(page, contrastOnly: true))
                    .Select(v => $"{visitor.Key} {name} in the dark scheme: axe: {v}"));
                await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
                widths.Add(string.Join('\t', row));
            }
        }

        await File.WriteAllLinesAsync(Path.Combine(Output, "widths.tsv"), widths);
        Assert.True(world.Pages.Count >= 50, $"The sweep covers only {world.Pages.Count} pages.");
        Assert.True(failures.Count == 0, $"{failures.Count} problem(s):\n{string.Join('\n', failures)}");
    }

    /// <summary>
    /// The first stops of the Tab order (up to 40) that show no focus: off screen with no size, or with neither an outline
    /// nor a ring. A date field's parts take focus inside the browser's own shadow tree, where the field's
    /// :focus-visible does not apply; this walk found that.
    /// </summary>
    private static async Task<IReadOnlyList<string>> UnseenFocusAsync(IPage page)
    {
        var unseen = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await page.EvaluateAsync<string?>(
                """
                () => {
                  const e = document.activeElement;
                  if (!e || e === document.body) return null;
                  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                  return r.width > 0 && r.height > 0 && ring ? '' : e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
                }
                """);
            if (focus is null)
            {
                break;
            }

            if (focus.Length > 0 && !unseen.Contains(focus))
            {
                unseen.Add(focus);
            }
        }

        return unseen;
    }

    /// <summary>axe-core's serious and critical violations on the page as it is now (all rules, or colour contrast only).</summary>
    private static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, bool contrastOnly = false)
    {
        // A framed video player belongs to another site (and is refused here): axe checks our pages, not its frames.
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async contrastOnly => (await axe.run(document, contrastOnly
                    ? { runOnly: ['color-contrast'], resultTypes: ['violations'], iframes: false }
                    : { resultTypes: ['violations'], iframes: false })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)
            """, contrastOnly);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
