using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace LearnHub.Web.Pages;

/// <summary>The "show times in" form: the zone in use, whether the visitor chose it, and where to come back.</summary>
public sealed record TimeZonePickerModel(string Shown, string? Chosen, DateTimeOffset At, string ReturnUrl);

/// <summary>The option list of a time-zone select.</summary>
public sealed record ZoneOptionsModel(string Selected, DateTimeOffset At);

/// <summary>Organizer rich text: the sanitized rendering stored with it, and its source for rows stored before rendering existed.</summary>
/// <remarks>
/// It writes itself (a page writes <c>@(RichTextModel.Of(…))</c>): only the sanitized rendering is ever output as markup,
/// and a row stored before rendering existed shows its source as text. Not a partial view: a session page shows one per
/// presenter besides the description, and each partial costs a view lookup and its own view context.
/// </remarks>
public sealed partial record RichTextModel(string SanitizedHtml, string Source, string CssClass = "") : IHtmlContent
{
    /// <summary>The text's own language when it differs from the page's (an untranslated original), else null.</summary>
    public string? Lang { get; init; }

    /// <summary>Organizer content as <see cref="Localization.LocalizedContent"/> picked it for the reader.</summary>
    public static RichTextModel Of(Localization.Shown html, string source, string cssClass = "") =>
        new(html.Text, html.Lang is null && html.Text.Length > 0 ? "" : source, cssClass) { Lang = html.Lang };

    /// <inheritdoc />
    public void WriteTo(TextWriter writer, HtmlEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(encoder);
        var markup = !string.IsNullOrEmpty(SanitizedHtml);
        if (!markup && string.IsNullOrWhiteSpace(Source))
        {
            return;
        }

        writer.Write(markup ? "<div class=\"rich-text" : "<p class=\"");
        if (CssClass.Length > 0)
        {
            writer.Write(markup ? " " : "");
            encoder.Encode(writer, CssClass);
        }

        writer.Write('"');
        if (Lang is not null)
        {
            writer.Write(" lang=\"");
            encoder.Encode(writer, Lang);
            writer.Write('"');
        }

        writer.Write('>');
        if (markup)
        {
            writer.Write(SanitizedHtml);
            writer.Write("</div>");
        }
        else
        {
            encoder.Encode(writer, Source);
            writer.Write("</p>");
        }
    }

    /// <summary>The words of the rich text without its markup, for a catalog card (Razor encodes them again).</summary>
    public static string PlainText(string sanitizedHtml, string source) => string.IsNullOrEmpty(sanitizedHtml)
        ? source
        : System.Net.WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(BlockTags().Replace(sanitizedHtml, " "), ""), " ")).Trim();

    // Block boundaries become spaces ("Why" and "Protecting" stay two words); inline tags vanish ("adults</strong>.").
    [System.Text.RegularExpressions.GeneratedRegex(@"</?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|caption|div|blockquote|pre|figure|figcaption|br|hr)\b[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex BlockTags();

    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex Tags();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Whitespace();
}

/// <summary>
/// The registration form's question about the recording: the answer so far (null: none), the error when it was left
/// out, and the sentence that says which session records and what that means.
/// </summary>
public sealed record RecordingConsentQuestionModel(bool? Answer, string? Error, string Context)
{
    /// <summary>What a recorded session's notice says the recording is for.</summary>
    public const string WhatRecordedMeans = "The recording is published to everyone registered for the session, to watch afterwards.";
}

/// <summary>
/// The series' registration questions on the registration form: the questions, what was answered so far (question id to
/// values, to fill the form again after an error) and the errors keyed by field (<c>answers.{id}</c>).
/// </summary>
public sealed record RegistrationQuestionsModel(
    IReadOnlyList<Grains.Catalog.RegistrationQuestion> Questions,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Answers,
    IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>The series' translations, whose questions' texts are shown in the reader's language where given.</summary>
    public IReadOnlyList<Grains.Catalog.ContentTranslation> SeriesTranslations { get; init; } = [];

    /// <summary>The values given for a question so far.</summary>
    public IReadOnlyList<string> ValuesOf(string questionId) => Answers.GetValueOrDefault(questionId) ?? [];

    /// <summary>The aria-describedby of a question's control: its hint and its error, when it has them.</summary>
    public string? DescribedBy(Grains.Catalog.RegistrationQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var ids = new List<string>();
        if (!string.IsNullOrWhiteSpace(question.Hint))
        {
            ids.Add($"hint-{question.Field}");
        }

        if (Errors.ContainsKey(question.Field))
        {
            ids.Add($"err-{question.Field}");
        }

        return ids.Count == 0 ? null : string.Join(' ', ids);
    }
}
