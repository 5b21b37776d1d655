using LearnHub.Grains.Content;

namespace LearnHub.Grains.Tests.Content;

/// <summary>The text a calendar invite shows for a description: no Markdown syntax, no tags, the links' addresses kept.</summary>
public sealed class RichTextAsTextTests
{
    private static readonly RichTextPolicy Policy = new();

    [Fact]
    public void Markdown_BecomesLinesOfText_WithoutSyntaxOrTags()
    {
        var html = Policy.RenderMarkdown("## Agenda\n\nWe cover **trauma-informed** _practice_.<script>xss()</script>\n\n- [Slides](https://example.org/slides)\n- Q&A\n\n| Who | When |\n|---|---|\n| Dana | 10:00 |");

        Assert.Equal("Agenda\n\nWe cover trauma-informed practice.\n\n- Slides (https://example.org/slides)\n- Q&A\n\nWho When\nDana 10:00", RichTextAsText.From(html));
    }

    [Fact]
    public void ALinkWhoseTextIsItsAddress_IsWrittenOnce() =>
        Assert.Equal("See https://example.org/a", RichTextAsText.From(Policy.RenderMarkdown("See https://example.org/a")));

    [Fact]
    public void MarkdownWithoutHtml_WritesEveryAngleBracketAsAnEntity_AndKeepsTheRest() =>
        Assert.Equal("**Bold** &lt;script>xss()&lt;/script> > quoted", RichTextAsText.MarkdownWithoutHtml("**Bold** <script>xss()</script> > quoted"));
}
