using LearnHub.Grains.Content;
using LearnHub.Testing.Content;

namespace LearnHub.Grains.Tests.Content;

public sealed class RichTextPolicyTests
{
    private static readonly RichTextPolicy Policy = new();

    public static TheoryData<string> HostileHtml() => new(Testing.Content.HostileHtml.Html);

    public static TheoryData<string> HostileMarkdown() => new(Testing.Content.HostileHtml.Markdown);

    private const string Description =
        """
        <h2>What you will learn</h2>
        <p>Trauma-informed <strong>interviewing</strong> with <em>older adults</em>, and <a href="https://example.org/guide">the guide</a>.</p>
        <ul><li>Before the visit</li><li>During <code>the</code> visit</li></ul>
        <ol start="3"><li>Three</li></ol>
        <table><caption>Hours</caption><thead><tr><th scope="col">Part</th><th>Hours</th></tr></thead><tbody><tr><td>Webinar</td><td>1.5</td></tr></tbody></table>
        <p><img src="https://example.org/speaker.jpg" alt="The speaker"> <a href="mailto:team@example.org">Write to us</a></p>
        <blockquote>A quote</blockquote>
        """;

    [Fact]
    public void Sanitize_KeepsOrdinaryFormatting()
    {
        var clean = Policy.Sanitize(Description);

        foreach (var kept in new[]
        {
            "<h2>What you will learn</h2>", "<strong>interviewing</strong>", "<em>older adults</em>", "<li>Before the visit</li>",
            "<ol start=\"3\">", "<caption>Hours</caption>", "<th scope=\"col\">Part</th>", "<td>1.5</td>",
            "<img src=\"https://example.org/speaker.jpg\" alt=\"The speaker\">", "<blockquote>A quote</blockquote>", "<code>the</code>",
        })
        {
            Assert.Contains(kept, clean, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sanitize_GivesEveryLinkNoopenerNoreferrer()
    {
        var clean = Policy.Sanitize("<a href=\"https://example.org/guide\" rel=\"opener\" target=\"_blank\">guide</a> <a href=\"mailto:a@example.org\">mail</a>");

        Assert.Equal(
            "<a href=\"https://example.org/guide\" rel=\"noopener noreferrer\">guide</a> <a href=\"mailto:a@example.org\" rel=\"noopener noreferrer\">mail</a>",
            clean);
    }

    [Theory]
    [InlineData("<img src=\"http://example.org/a.png\" alt=\"a\">")]
    [InlineData("<img src=\"//example.org/a.png\" alt=\"a\">")]
    [InlineData("<img src=\"/api/series\" alt=\"a\">")]
    [InlineData("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"a\">")]
    public void Sanitize_DropsImageSources_ThatAreNotAbsoluteHttps(string html) =>
        Assert.Equal("<img alt=\"a\">", Policy.Sanitize(html));

    [Fact]
    public void Sanitize_DropsScriptWithItsContent_ButKeepsTheTextOfHarmlessUnknownTags()
    {
        Assert.Equal("<p>ab</p>", Policy.Sanitize("<p>a<script>xss()</script>b</p>"));
        Assert.Equal("<p>old <b>word</b></p>", Policy.Sanitize("<p><font face=\"Arial\">old <b>word</b></font></p>"));
    }

    [Fact]
    public void Sanitize_RemovesStyleAttributesAndElements()
    {
        Assert.Equal("<div>bg</div>", Policy.Sanitize("<div style=\"background:url(javascript:xss())\" class=\"x\">bg</div><style>p{}</style>"));
    }

    [Theory]
    [MemberData(nameof(HostileHtml))]
    public void Sanitize_IsIdempotent_ForHostileHtml(string html)
    {
        var once = Policy.Sanitize(html);
        Assert.Equal(once, Policy.Sanitize(once));
    }

    [Theory]
    [MemberData(nameof(HostileHtml))]
    public void Sanitize_LeavesNoScriptBearingMarkup_InHostileHtml(string html)
    {
        Assert.Empty(ScriptBearing(Policy.Sanitize(html)));
    }

    [Theory]
    [MemberData(nameof(HostileMarkdown))]
    public void RenderMarkdown_IsIdempotentAndScriptFree_ForHostileMarkdown(string markdown)
    {
        var html = Policy.RenderMarkdown(markdown);
        Assert.Equal(html, Policy.Sanitize(html));
        Assert.Empty(ScriptBearing(html));
    }

    [Fact]
    public void RenderMarkdown_RendersHeadingsListsTablesAndLinks()
    {
        var html = Policy.RenderMarkdown("## Agenda\n\n- **One**\n- *Two*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee https://example.org/more and [the guide](https://example.org/guide).");

        Assert.Contains("<h2>Agenda</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<li><strong>One</strong></li>", html, StringComparison.Ordinal);
        Assert.Contains("<td>1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/guide\" rel=\"noopener noreferrer\">the guide</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/more\" rel=\"noopener noreferrer\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_RefusesInputOverTheCap_BeforeParsing()
    {
        var policy = new RichTextPolicy(maxBytes: 1024);
        // Deep nesting that would be costly to parse: refused on its length alone.
        var huge = string.Concat(Enumerable.Repeat("<div>", 300));

        var refused = Assert.Throws<RichTextTooLargeException>(() => policy.Sanitize(huge));

        Assert.Equal(1500, refused.Bytes);
        Assert.Contains("limited to 1 KB", refused.Message, StringComparison.Ordinal);
        Assert.False(policy.Fits(huge));
        Assert.True(policy.Fits("<p>short</p>"));
    }

    [Fact]
    public void Sanitize_CountsTheCapInUtf8Bytes()
    {
        var policy = new RichTextPolicy(maxBytes: 10);
        Assert.Equal("ééééé", policy.Sanitize("ééééé"));
        Assert.Throws<RichTextTooLargeException>(() => policy.Sanitize("éééééé"));
    }

    // Parsed the way a browser parses it, not searched as text: escaped text inside an attribute value is harmless,
    // while an element or attribute outside the allow-list is a finding whatever its spelling.
    private static List<string> ScriptBearing(string html)
    {
        var allowedTags = new HashSet<string>(StringComparer.Ordinal)
        {
            "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "strong", "b", "em",
            "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "cite", "q", "ul", "ol", "li", "dl", "dt", "dd",
            "a", "img", "figure", "figcaption", "span", "div", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        };
        var urlAttributes = new HashSet<string>(StringComparer.Ordinal) { "href", "src", "cite" };
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<!doctype html><body>" + html);
        var findings = new List<string>();
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            if (!allowedTags.Contains(element.LocalName))
            {
                findings.Add($"element <{element.LocalName}>");
            }

            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || attribute.Name is "style" or "srcset" or "srcdoc" or "formaction" or "action")
                {
                    findings.Add($"attribute {attribute.Name} on <{element.LocalName}>");
                }

                // A path such as /signin parses as file:///signin on Unix; only a written scheme counts here.
                if (urlAttributes.Contains(attribute.Name) && !attribute.Value.TrimStart().StartsWith('/')
                    && Uri.TryCreate(attribute.Value.Trim(), UriKind.Absolute, out var uri)
                    && uri.Scheme is not ("http" or "https" or "mailto"))
                {
                    findings.Add($"{attribute.Name}={attribute.Value} on <{element.LocalName}>");
                }

                if (element.LocalName == "img" && attribute.Name == "src" && !attribute.Value.StartsWith("https://", StringComparison.Ordinal))
                {
                    findings.Add($"img src={attribute.Value}");
                }
            }
        }

        return findings;
    }
}
