using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Design;

/// <summary>
/// Puts every table of every page in its own horizontally scrolling box, so a wide table never makes the page scroll
/// sideways (WCAG 1.4.10 Reflow) whatever its content. The box is a named, focusable region: a keyboard user can reach
/// it and scroll it with the arrow keys, and a screen reader announces it by the table's own name: the element its
/// aria-labelledby names, else its aria-label, else its caption, else "Table" in the visitor's language. A table marked
/// lh-bare (a printed sheet) is left as it is.
/// </summary>
[HtmlTargetElement("table")]
public sealed partial class ScrollingTableTagHelper(IStringLocalizer<SharedResource> text) : TagHelper
{
    /// <summary>Leaves the table unwrapped.</summary>
    [HtmlAttributeName("lh-bare")]
    public bool Bare { get; set; }

    /// <inheritdoc />
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Bare)
        {
            return;
        }

        if (output.Attributes.TryGetAttribute("aria-labelledby", out var labelledBy) && labelledBy.Value?.ToString() is { Length: > 0 } ids)
        {
            output.PreElement.SetHtmlContent($"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{WebUtility.HtmlEncode(ids)}\">");
            output.PostElement.SetHtmlContent("</div>");
            return;
        }

        var content = (await output.GetChildContentAsync()).GetContent();
        var caption = Caption().Match(content);
        var name = output.Attributes.TryGetAttribute("aria-label", out var label) && label.Value?.ToString() is { Length: > 0 } labelText ? labelText
            : caption.Success ? WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(caption.Groups[1].Value, " "), " ").Trim())
            : text["Table"].Value;
        output.PreElement.SetHtmlContent($"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{WebUtility.HtmlEncode(name)}\">");
        output.PostElement.SetHtmlContent("</div>");
    }

    [GeneratedRegex(@"<caption\b[^>]*>(.*?)</caption>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Caption();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
