using System.Net;
using System.Text;
using LearnHub.Grains.Branding;

namespace LearnHub.Silo.Messaging;

/// <summary>A link in an email: what it says and where it goes.</summary>
public sealed record MailLink(string Label, string Url);

/// <summary>
/// What one email says, before it is laid out: the preheader (the line inbox lists show beside the subject), the
/// greeting, paragraphs, labelled facts, the one primary action (drawn as the email's only button), further links, and
/// why the person is getting it. <see cref="MailLayout"/> turns it into the HTML part and a plain-text part with the
/// same words and the same links.
/// </summary>
public sealed record MailContent(string Subject, string Preheader, string Greeting, IReadOnlyList<string> Paragraphs)
{
    /// <summary>A heading above the facts (a session's title).</summary>
    public string? Heading { get; init; }

    /// <summary>A line under the heading (kind and series).</summary>
    public string? Subheading { get; init; }

    /// <summary>Labelled facts ("When", "Where", "Join"); a fact whose value is a link carries it.</summary>
    public IReadOnlyList<(string Label, string Value, string? Url)> Facts { get; init; } = [];

    /// <summary>The primary action, shown as the one button.</summary>
    public MailLink? Action { get; init; }

    /// <summary>Further links, shown as plain links below the button.</summary>
    public IReadOnlyList<MailLink> Links { get; init; } = [];

    /// <summary>A closing line below the links (how long a link works, who reads the notes).</summary>
    public string? Note { get; init; }

    /// <summary>Why this person is getting this email, for the footer.</summary>
    public string Reason { get; init; } = "";

    /// <summary>The language the words are in (a BCP 47 tag), for the HTML part's lang attribute, so a screen reader speaks them in it.</summary>
    public string Language { get; init; } = "en";
}

/// <summary>An image carried inside the message and shown by its Content-ID (the logo), so no client fetches it.</summary>
public sealed record InlineImage(string ContentId, string ContentType, byte[] Content);

/// <summary>
/// Lays out every LearnHub email the same way: a table layout 600 px wide that narrows on phones, the organisation's
/// logo and name at the top, one button, a footer saying why the mail was sent. The CSS is written once as a style
/// sheet and moved inline by PreMailer.Net, since most mail clients drop style elements; the media query for narrow
/// screens stays in a style element for the clients that honour it. Every text is HTML-encoded.
/// </summary>
public static partial class MailLayout
{
    /// <summary>The Content-ID the logo is attached under.</summary>
    public const string LogoContentId = "logo@learnhub";

    private const string Css =
        """
        body { margin: 0; padding: 0; background: #eef1f5; color: #1a1f26; font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.5; }
        .outer { width: 100%; background: #eef1f5; }
        .frame { width: 100%; max-width: 600px; background: #ffffff; border: 1px solid #d5dbe3; border-radius: 8px; }
        .masthead { background: #0d2a4a; padding: 20px 28px; border-radius: 8px 8px 0 0; }
        .masthead img { display: block; max-height: 48px; width: auto; background: #ffffff; border-radius: 4px; padding: 4px; }
        .brand { color: #ffffff; font-size: 18px; font-weight: 700; margin: 8px 0 0; }
        .content { padding: 28px 28px 8px; }
        .content p { margin: 0 0 16px; }
        h1 { font-size: 22px; line-height: 1.3; margin: 0 0 4px; color: #1a1f26; }
        .subheading { color: #4b5563; font-size: 14px; margin: 0 0 16px; }
        .facts { width: 100%; border-collapse: collapse; margin: 0 0 20px; background: #f3f5f8; border-radius: 6px; }
        .facts th { text-align: left; vertical-align: top; padding: 8px 12px; font-size: 14px; color: #4b5563; width: 72px; }
        .facts td { padding: 8px 12px 8px 0; font-size: 15px; word-break: break-word; }
        a { color: #0b5cad; }
        .button-cell { border-radius: 6px; background: #0b5cad; }
        .button { display: inline-block; padding: 12px 22px; color: #ffffff; background: #0b5cad; border-radius: 6px; font-weight: 700; text-decoration: none; font-size: 16px; }
        .links { margin: 20px 0 0; font-size: 15px; }
        .links p { margin: 0 0 8px; }
        .note { color: #4b5563; font-size: 14px; }
        .footer { padding: 16px 28px 24px; color: #4b5563; font-size: 13px; border-top: 1px solid #d5dbe3; }
        .footer p { margin: 0 0 6px; }
        .preheader { display: none; max-height: 0; overflow: hidden; opacity: 0; color: #eef1f5; font-size: 1px; line-height: 1px; }
        """;

    // Kept as a style element (clients that support media queries narrow the padding on phones).
    private const string NarrowScreens =
        """
        @media only screen and (max-width: 480px) {
          .content { padding: 20px 16px 4px !important; }
          .masthead, .footer { padding-left: 16px !important; padding-right: 16px !important; }
          h1 { font-size: 20px !important; }
          .button { display: block !important; text-align: center !important; }
        }
        """;

    /// <summary>The HTML part (CSS inlined) and the text part of an email.</summary>
    public static (string Html, string Text) Render(MailContent content, Brand brand)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(brand);
        return (Html(content, brand), Text(content, brand));
    }

    /// <summary>The logo to attach inline, or null when the organisation has none.</summary>
    public static InlineImage? Logo(Brand brand) =>
        brand?.Logo is { } logo ? new InlineImage(LogoContentId, logo.ContentType, logo.Content) : null;

    // The layout with a {{name}} token wherever a value goes. Its shape (which parts there are, how many paragraphs,
    // facts and links) is the cache key: PreMailer parses and inlines each shape once, and every email of that shape is
    // then the cached result with its values put in, so inlining costs nothing per message (reminder waves send
    // thousands).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> InlinedShapes = new(StringComparer.Ordinal);

    private static string Html(MailContent c, Brand brand)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string Slot(string name, string encoded)
        {
            values[name] = encoded;
            return "{{" + name + "}}";
        }

        var shape = new StringBuilder()
            .Append(brand.Logo is null ? "-" : "L").Append(c.Paragraphs.Count).Append(c.Heading is null ? "-" : "H").Append(c.Subheading is null ? "-" : "S")
            .Append(string.Concat(c.Facts.Select(f => f.Url is null ? "f" : "u"))).Append(c.Action is null ? "-" : "A").Append(c.Links.Count).Append(c.Note is null ? "-" : "N")
            .ToString();
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(Slot("lang", E(c.Language))).Append("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"color-scheme\" content=\"light\"><title>").Append(Slot("subject", E(c.Subject))).Append("</title>")
            .Append("<style>").Append(Css).Append("</style><style>").Append(NarrowScreens).Append("</style></head><body>")
            .Append("<div class=\"preheader\">").Append(Slot("preheader", E(c.Preheader))).Append("</div>")
            .Append("<table role=\"presentation\" class=\"outer\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" style=\"padding:24px 8px\">")
            .Append("<table role=\"presentation\" class=\"frame\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\">")
            .Append("<tr><td class=\"masthead\">");
        if (brand.Logo is { } logo)
        {
            var height = Math.Min(48, logo.Height);
            var width = (int)Math.Round(logo.Width * (height / (double)Math.Max(1, logo.Height)));
            html.Append("<img src=\"cid:").Append(LogoContentId).Append("\" alt=\"").Append(Slot("organisation-alt", E(brand.OrganisationName)))
                .Append("\" width=\"").Append(Slot("logo-width", width.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append("\" height=\"").Append(Slot("logo-height", height.ToString(System.Globalization.CultureInfo.InvariantCulture))).Append("\">");
        }

        html.Append("<p class=\"brand\">").Append(Slot("organisation", E(brand.OrganisationName))).Append("</p></td></tr>")
            .Append("<tr><td class=\"content\">")
            .Append("<p>").Append(Slot("greeting", E(c.Greeting))).Append("</p>");
        for (var i = 0; i < c.Paragraphs.Count; i++)
        {
            html.Append("<p>").Append(Slot($"p{i}", E(c.Paragraphs[i]).ReplaceLineEndings("<br>"))).Append("</p>");
        }

        if (c.Heading is not null)
        {
            html.Append("<h1>").Append(Slot("heading", E(c.Heading))).Append("</h1>");
            if (c.Subheading is not null)
            {
                html.Append("<p class=\"subheading\">").Append(Slot("subheading", E(c.Subheading))).Append("</p>");
            }
        }

        if (c.Facts.Count > 0)
        {
            html.Append("<table role=\"presentation\" class=\"facts\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">");
            for (var i = 0; i < c.Facts.Count; i++)
            {
                var (label, value, url) = c.Facts[i];
                html.Append("<tr><th scope=\"row\">").Append(Slot($"fact{i}", E(label))).Append("</th><td>")
                    .Append(url is null
                        ? Slot($"value{i}", E(value).ReplaceLineEndings("<br>"))
                        : $"<a href=\"{Slot($"url{i}", E(url))}\">{Slot($"value{i}", E(value))}</a>")
                    .Append("</td></tr>");
            }

            html.Append("</table>");
        }

        if (c.Action is { } action)
        {
            // A "bulletproof" button: a table cell with the colour, so clients that ignore padding on links still show it.
            html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"button-cell\">")
                .Append("<a class=\"button\" href=\"").Append(Slot("action-url", E(action.Url))).Append("\">").Append(Slot("action", E(action.Label))).Append("</a>")
                .Append("</td></tr></table>");
        }

        if (c.Links.Count > 0)
        {
            html.Append("<div class=\"links\">");
            for (var i = 0; i < c.Links.Count; i++)
            {
                html.Append("<p><a href=\"").Append(Slot($"link-url{i}", E(c.Links[i].Url))).Append("\">").Append(Slot($"link{i}", E(c.Links[i].Label))).Append("</a></p>");
            }

            html.Append("</div>");
        }

        if (c.Note is not null)
        {
            html.Append("<p class=\"note\">").Append(Slot("note", E(c.Note))).Append("</p>");
        }

        html.Append("</td></tr><tr><td class=\"footer\">")
            .Append("<p>").Append(Slot("reason", E(c.Reason))).Append("</p>")
            .Append("<p>").Append(Slot("organisation-footer", E(brand.OrganisationName))).Append("</p>")
            .Append("</td></tr></table></td></tr></table></body></html>");
        var skeleton = html.ToString();
        var inlined = InlinedShapes.GetOrAdd(shape, _ => PreMailer.Net.PreMailer.MoveCssInline(skeleton, removeStyleElements: true, preserveMediaQueries: true).Html);
        // One pass: a value that itself contains "{{…}}" is never read as a token.
        return Token().Replace(inlined, m => values[m.Groups[1].Value]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{([a-z0-9-]+)\}\}")]
    private static partial System.Text.RegularExpressions.Regex Token();

    private static string Text(MailContent c, Brand brand)
    {
        // Chinese sentences take full-width punctuation, the label's colon included.
        var colon = c.Language.StartsWith("zh", StringComparison.Ordinal) ? "：" : ": ";
        var text = new StringBuilder();
        text.Append(c.Greeting).Append("\n\n");
        foreach (var paragraph in c.Paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }

        if (c.Heading is not null)
        {
            text.Append(c.Heading).Append('\n');
            if (c.Subheading is not null)
            {
                text.Append(c.Subheading).Append('\n');
            }
        }

        foreach (var (label, value, url) in c.Facts)
        {
            text.Append(label).Append(colon).Append(url is null || url == value ? value.ReplaceLineEndings(", ") : $"{value} {url}").Append('\n');
        }

        if (c.Heading is not null || c.Facts.Count > 0)
        {
            text.Append('\n');
        }

        if (c.Action is { } action)
        {
            text.Append(action.Label).Append(colon).Append(action.Url).Append("\n\n");
        }

        foreach (var link in c.Links)
        {
            text.Append(link.Label).Append(colon).Append(link.Url).Append('\n');
        }

        if (c.Links.Count > 0)
        {
            text.Append('\n');
        }

        if (c.Note is not null)
        {
            text.Append(c.Note).Append("\n\n");
        }

        text.Append("-- \n").Append(c.Reason).Append('\n').Append(brand.OrganisationName).Append('\n');
        return text.ToString();
    }

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
}
