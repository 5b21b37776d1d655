using System.Collections.Concurrent;
using LearnHub.Grains.Content;
using LearnHub.Testing.Content;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// The hostile corpus, sanitized by LearnHub's policy and rendered in real Chromium inside a page that records any
/// script that runs: <c>xss()</c> is a Playwright binding present in every frame, alert/confirm/prompt/print call it,
/// and any dialog counts too. A negative control renders the raw corpus in the same page to show the recorder works.
/// </summary>
public sealed class SanitizedRichTextTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    // A made-up https origin the test itself serves, so relative URLs resolve and every other request is refused
    // at once (an image that fails fires onerror straight away instead of waiting on the closed network).
    private const string Origin = "https://sandbox.learnhub.test";

    private static readonly RichTextPolicy Policy = new();

    private const string Prelude =
        """
        <!doctype html><html><head><meta charset="utf-8"><title>rich text</title>
        <script>
          for (const name of ['alert', 'confirm', 'prompt', 'print']) { window[name] = () => { window.__xss = true; xss(); }; }
        </script></head><body><main id="content">
        """;

    // What the rendered DOM may hold, checked through the browser's own parsing of tags, attributes and URLs, so that
    // handlers only a click or a hover would fire are caught as surely as those that fire on load.
    private const string StructureCheck =
        """
        () => {
          const tags = new Set(['h1','h2','h3','h4','h5','h6','p','br','hr','blockquote','pre','code','kbd','samp','strong','b',
            'em','i','u','s','del','ins','mark','small','sub','sup','abbr','cite','q','ul','ol','li','dl','dt','dd','a','img',
            'figure','figcaption','span','div','table','caption','thead','tbody','tfoot','tr','th','td']);
          const findings = [];
          for (const el of document.getElementById('content').querySelectorAll('*')) {
            if (!tags.has(el.localName)) findings.push('element ' + el.localName);
            for (const a of el.attributes) {
              if (a.name.startsWith('on') || a.name === 'style' || a.name === 'srcset' || a.name === 'srcdoc') findings.push('attribute ' + a.name);
              if (['href', 'src', 'cite', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data'].includes(a.name)) {
                let protocol;
                try { protocol = new URL(a.value, document.baseURI).protocol; } catch { protocol = 'unparseable'; }
                if (!['http:', 'https:', 'mailto:'].includes(protocol)) findings.push(a.name + ' ' + protocol);
                if (el.localName === 'img' && protocol !== 'https:') findings.push('img over ' + protocol);
              }
            }
          }
          if (window.__xss) findings.push('window.__xss set');
          return findings;
        }
        """;

    [Fact]
    public async Task NoHostileInput_RunsScript_OnceSanitizedAndRendered()
    {
        await using var sandbox = await Sandbox.OpenAsync(browser.Browser);
        var failures = new List<string>();
        var corpus = Testing.Content.HostileHtml.Html.Select(h => (Input: h, Clean: Policy.Sanitize(h)))
            .Concat(Testing.Content.HostileHtml.Markdown.Select(m => (Input: m, Clean: Policy.RenderMarkdown(m))));
        var count = 0;
        foreach (var (input, clean) in corpus)
        {
            count++;
            Assert.Equal(clean, Policy.Sanitize(clean));
            var (runs, error) = await sandbox.RenderAsync(clean);
            var findings = error is null ? await sandbox.Page.EvaluateAsync<string[]>(StructureCheck) : [error];
            if (runs > 0 || findings.Length > 0)
            {
                failures.Add($"{input} => {clean}: {runs} script runs; {string.Join(", ", findings)}");
            }
        }

        output.WriteLine($"{count} hostile inputs sanitized and rendered");
        Assert.True(count >= 100, $"only {count} hostile inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task TheRecorder_SeesScriptRun_WhenTheSameInputsAreRenderedRaw()
    {
        // The negative control: without the sanitizer, many inputs must be caught running, or the test above proves nothing.
        await using var sandbox = await Sandbox.OpenAsync(browser.Browser);
        var ran = 0;
        foreach (var input in Testing.Content.HostileHtml.Html)
        {
            if ((await sandbox.RenderAsync(input)).Runs > 0)
            {
                ran++;
            }
        }

        output.WriteLine($"{ran} of {Testing.Content.HostileHtml.Html.Count} raw inputs ran script without a click");
        Assert.True(ran >= 40, $"only {ran} raw inputs were seen running script");
    }

    [Fact]
    public async Task OrdinaryFormatting_SurvivesAndRenders()
    {
        await using var sandbox = await Sandbox.OpenAsync(browser.Browser);
        var clean = Policy.RenderMarkdown(
            "## Agenda\n\nWe cover **safety planning** and *engagement*.\n\n1. Welcome\n2. Case study\n\n| Part | Hours |\n|---|---|\n| Webinar | 1.5 |\n\n" +
            "![Presenter](https://example.org/p.jpg)\n\n[Handbook](https://example.org/handbook) or [write](mailto:team@example.org).");

        Assert.Equal((0, null), await sandbox.RenderAsync(clean));
        var page = sandbox.Page;
        Assert.Equal("Agenda", await page.TextContentAsync("#content h2"));
        Assert.Equal("safety planning", await page.TextContentAsync("#content strong"));
        Assert.Equal(2, await page.Locator("#content ol li").CountAsync());
        Assert.Equal("1.5", await page.TextContentAsync("#content td:nth-child(2)"));
        Assert.Equal("https://example.org/p.jpg", await page.GetAttributeAsync("#content img", "src"));
        Assert.Equal("noopener noreferrer", await page.GetAttributeAsync("#content a[href='https://example.org/handbook']", "rel"));
        Assert.Equal(1, await page.Locator("#content a[href='mailto:team@example.org']").CountAsync());
    }

    /// <summary>One page whose every script run, in any frame, is counted.</summary>
    private sealed class Sandbox : IAsyncDisposable
    {
        private readonly IBrowserContext _context;
        private readonly ConcurrentQueue<string> _runs = new();
        private string _body = "";

        private Sandbox(IBrowserContext context, IPage page)
        {
            _context = context;
            Page = page;
        }

        public IPage Page { get; }

        public static async Task<Sandbox> OpenAsync(IBrowser browser)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
            var sandbox = new Sandbox(context, await context.NewPageAsync());
            await context.ExposeBindingAsync("xss", (BindingSource source) => sandbox._runs.Enqueue(source.Frame.Url));
            sandbox.Page.Dialog += async (_, dialog) =>
            {
                sandbox._runs.Enqueue("dialog " + dialog.Message);
                await dialog.DismissAsync();
            };
            await context.RouteAsync("**/*", async route =>
            {
                if (route.Request.Url == Origin + "/")
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html; charset=utf-8", Body = sandbox._body });
                }
                else
                {
                    await route.AbortAsync();
                }
            });
            return sandbox;
        }

        /// <summary>
        /// Renders the fragment as a page of this origin would; answers how many script runs were seen, and the error
        /// when the page did not stay put (a raw input may navigate it away).
        /// </summary>
        public async Task<(int Runs, string? Error)> RenderAsync(string fragment)
        {
            _runs.Clear();
            _body = Prelude + fragment + "</main></body></html>";
            try
            {
                await Page.GotoAsync(Origin + "/", new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 15_000 });
                // Give handlers that fire after load (autofocus, toggle, marquee start, failed loads) two frames and a
                // timer turn; then a round trip through the page, which arrives after any binding call made before it.
                await Page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))");
            }
            catch (PlaywrightException e)
            {
                return (_runs.Count, "the page did not stay put: " + e.Message.Split('\n')[0]);
            }

            return (_runs.Count, null);
        }

        public async ValueTask DisposeAsync() => await _context.DisposeAsync();
    }
}
