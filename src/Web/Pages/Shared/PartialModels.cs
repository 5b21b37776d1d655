

namespace LearnHub.Web.Pages;

/// <summary>The "show times in" form: the zone in use, whether the visitor chose it, and where to come back.</summary>
public sealed record TimeZonePickerModel(string Shown, string? Chosen, DateTimeOffset At, string ReturnUrl);

/// <summary>The option list of a time-zone select.</summary>
public sealed record ZoneOptionsModel(string Selected, DateTimeOffset At);

/// <summary>Organizer rich text: the sanitized rendering stored with it, and its source for rows stored before rendering existed.</summary>
public sealed record RichTextModel(string SanitizedHtml, string Source, string CssClass = "");
