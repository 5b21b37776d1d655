using System.Text.Encodings.Web;
using LearnHub.Web.Pages;

namespace LearnHub.Web.Tests.Pages;

/// <summary>
/// Organizer rich text as a page writes it: the sanitized rendering as markup, the source of a row stored before
/// rendering existed as text, and nothing at all when there is neither.
/// </summary>
public sealed class RichTextModelTests
{
    private static string Written(RichTextModel model)
    {
        using var writer = new StringWriter();
        model.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    [Fact]
    public void TheSanitizedRendering_IsWrittenAsMarkup_InItsClassAndLanguage()
    {
        Assert.Equal("<div class=\"rich-text bio\" lang=\"es\"><p>Hola <strong>mundo</strong></p></div>",
            Written(new RichTextModel("<p>Hola <strong>mundo</strong></p>", "ignored", "bio") { Lang = "es" }));
        Assert.Equal("<div class=\"rich-text\"><p>Plain</p></div>", Written(new RichTextModel("<p>Plain</p>", "")));
    }

    [Fact]
    public void AnOldRowsSource_IsWrittenAsText_NeverAsMarkup()
    {
        Assert.Equal("<p class=\"lede\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>",
            Written(new RichTextModel("", "<script>alert(1)</script> & more", "lede")));
        Assert.Equal("<p class=\"x&quot;onmouseover=&quot;y\">t</p>", Written(new RichTextModel("", "t", "x\"onmouseover=\"y")));
    }

    [Fact]
    public void NeitherRenderingNorSource_WritesNothing()
    {
        Assert.Equal("", Written(new RichTextModel("", "  ")));
        Assert.Equal("", Written(RichTextModel.Of(new LearnHub.Web.Localization.Shown("", null), "")));
    }
}
