using System.Text;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;

namespace LearnHub.Grains.Content;

/// <summary>
/// LearnHub's one rich-text policy: what organizer-authored HTML and Markdown may keep (headings, lists, links,
/// emphasis, tables, https images) once HtmlSanitizer has removed everything that can run script or load active content.
/// </summary>
/// <remarks>
/// An allow-list, never a deny-list: anything not named here goes, so a tag or attribute browsers add later is refused
/// until someone decides otherwise. No <c>style</c> or <c>class</c> attribute survives at all, which closes CSS-based
/// script (expression(), behaviours, url(javascript:)) and page-spoofing overlays in one stroke. One instance is safe to
/// share between threads: every setting is made in the constructor, and HtmlSanitizer documents Sanitize as
/// thread-safe on an instance that is no longer being configured.
/// </remarks>
public sealed class RichTextPolicy
{
    /// <summary>The default size cap: 200 KB of UTF-8, far above any real description and bio.</summary>
    public const int DefaultMaxBytes = 200 * 1024;

    private static readonly string[] Tags =
    [
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp",
        "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "cite", "q",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "span", "div",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    ];

    private static readonly string[] Attributes =
    [
        "href", "title", "alt", "src", "width", "height", "colspan", "rowspan", "scope", "start", "reversed", "lang",
        "dir", "cite", "datetime", "align",
    ];

    // Elements whose content is either code (script, style), another document (iframe, object, template) or markup
    // that browsers parse differently from AngleSharp (noscript, xmp, plaintext): when they go, their content goes too.
    // Other refused elements (font, center, section …) go but keep their text, which is what pasted Word HTML needs.
    private static readonly HashSet<string> DropWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
        "noembed", "noframes", "xmp", "plaintext", "textarea", "select", "option", "svg", "math", "title", "head",
        "meta", "base", "link", "form", "button", "input", "video", "audio", "source", "track", "canvas", "portal",
        "param", "listing",
    };

    private readonly HtmlSanitizer _sanitizer;
    private readonly MarkdownPipeline _markdown;

    /// <summary>A policy with the default size cap.</summary>
    public RichTextPolicy()
        : this(DefaultMaxBytes)
    {
    }

    /// <summary>A policy with its own size cap, in bytes of UTF-8.</summary>
    public RichTextPolicy(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        MaxBytes = maxBytes;
        var options = HtmlSanitizerOptions.Empty();
        options.AllowedTags.UnionWith(Tags);
        options.AllowedAttributes.UnionWith(Attributes);
        options.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        options.UriAttributes.UnionWith(["href", "src", "cite"]);
        _sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        _sanitizer.RemovingTag += (_, e) =>
        {
            if (DropWithContent.Contains(e.Tag.LocalName))
            {
                e.Tag.TextContent = "";
            }
        };
        _sanitizer.FilterUrl += (_, e) =>
        {
            // Images load without a click, so they must come over https from somewhere absolute: no http (mixed
            // content), no relative or protocol-relative paths that would reach this site's own endpoints.
            if (e.Tag.LocalName == "img" && e.SanitizedUrl is { } url
                && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                e.SanitizedUrl = null;
            }
        };
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link)
            {
                // A link to elsewhere must not hand the opened page a handle on ours (window.opener) or our URL.
                if (link.HasAttribute("href"))
                {
                    link.SetAttribute("rel", "noopener noreferrer");
                }
                else
                {
                    link.RemoveAttribute("rel");
                }
            }
        };

        // Tables, strikethrough and bare-URL links are what organizers write; raw HTML inside Markdown is allowed
        // because the sanitizer runs over Markdig's output either way.
        _markdown = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoLinks().Build();
    }

    /// <summary>The size cap, in bytes of UTF-8, checked before anything is parsed.</summary>
    public int MaxBytes { get; }

    /// <summary>True when the text is within the size cap (a form can say so before calling Sanitize).</summary>
    public bool Fits(string text) => text is not null && Encoding.UTF8.GetByteCount(text) <= MaxBytes;

    /// <summary>The sanitized copy of an HTML fragment. Refuses input over the size cap without parsing it.</summary>
    /// <exception cref="RichTextTooLargeException">The input is over <see cref="MaxBytes"/>.</exception>
    public string Sanitize(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        Refuse(html);
        return _sanitizer.Sanitize(html);
    }

    /// <summary>Renders Markdown (Markdig) and sanitizes the result with the same policy.</summary>
    /// <exception cref="RichTextTooLargeException">The Markdown or its rendering is over <see cref="MaxBytes"/>.</exception>
    public string RenderMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        Refuse(markdown);
        return Sanitize(Markdown.ToHtml(markdown, _markdown));
    }

    private void Refuse(string text)
    {
        // Counting bytes is linear and allocation-free; parsing a megabyte of hostile nesting is neither.
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxBytes)
        {
            throw new RichTextTooLargeException(bytes, MaxBytes);
        }
    }
}

/// <summary>Rich text over the policy's size cap, refused before parsing.</summary>
public sealed class RichTextTooLargeException(int bytes, int maxBytes)
    : ArgumentException($"The text is {bytes / 1024.0:0.#} KB; rich text is limited to {maxBytes / 1024} KB.")
{
    /// <summary>The size that was offered, in bytes of UTF-8.</summary>
    public int Bytes { get; } = bytes;

    /// <summary>The cap, in bytes of UTF-8.</summary>
    public int MaxBytes { get; } = maxBytes;
}
