using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace LearnHub.Grains.Content;

/// <summary>
/// The plain text of a sanitized description, for places that show no HTML: a calendar invite's DESCRIPTION, which
/// calendar apps print as it is (so neither Markdown syntax nor tags may reach it). Paragraphs, headings and list items
/// become lines, a link keeps its address after its text, and everything else is its text. It reads only what
/// <see cref="RichTextPolicy"/> produced, so the source's raw HTML and Markdown never get here.
/// </summary>
public static class RichTextAsText
{
    /// <summary>
    /// An organizer's Markdown source, safe to hand out as text: every "&lt;" is written as the entity, so a consumer that
    /// renders it as Markdown shows any raw HTML in it as text instead of running it. Everything else is the source.
    /// </summary>
    public static string MarkdownWithoutHtml(string source) =>
        string.IsNullOrEmpty(source) ? "" : source.Replace("<", "&lt;", StringComparison.Ordinal);

    /// <summary>The text of <paramref name="sanitizedHtml"/>, with blank lines between blocks.</summary>
    public static string From(string sanitizedHtml)
    {
        if (string.IsNullOrWhiteSpace(sanitizedHtml))
        {
            return "";
        }

        var text = new StringBuilder();
        using var document = new HtmlParser().ParseDocument(sanitizedHtml);
        Write(document.Body?.ChildNodes ?? Enumerable.Empty<INode>(), text);
        var lines = text.ToString().Split('\n').Select(line => string.Join(' ', line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            result.Append(line);
            blank = 0;
        }

        return result.ToString();
    }

    private static void Write(IEnumerable<INode> nodes, StringBuilder text)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case IText t:
                    text.Append(t.Data.Replace('\n', ' '));
                    break;
                case IElement { LocalName: "br" }:
                    text.Append('\n');
                    break;
                case IElement { LocalName: "li" or "tr" } line:
                    // A list item reads as a dash line; a table row as a line of its cells.
                    text.Append(line.LocalName == "li" ? "\n- " : "\n");
                    Write(line.ChildNodes, text);
                    break;
                case IElement { LocalName: "a" } link:
                    var before = text.Length;
                    Write(link.ChildNodes, text);
                    var href = link.GetAttribute("href");
                    if (!string.IsNullOrEmpty(href) && text.ToString(before, text.Length - before).Trim() != href)
                    {
                        text.Append(" (").Append(href).Append(')');
                    }

                    break;
                case IElement { LocalName: "img" } image:
                    text.Append(image.GetAttribute("alt"));
                    break;
                case IElement { LocalName: "p" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "ul" or "ol" or "blockquote" or "pre" or "table" or "div" } block:
                    text.Append("\n\n");
                    Write(block.ChildNodes, text);
                    text.Append("\n\n");
                    break;
                case IElement { LocalName: "td" or "th" } cell:
                    Write(cell.ChildNodes, text);
                    text.Append("  ");
                    break;
                case IElement element:
                    Write(element.ChildNodes, text);
                    break;
            }
        }
    }
}
