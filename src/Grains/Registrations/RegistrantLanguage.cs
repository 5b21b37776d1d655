namespace LearnHub.Grains.Registrations;

/// <summary>
/// The languages LearnHub writes to people in (the interface languages: English, Spanish, Simplified Chinese), as the
/// BCP 47 tags stored with a registration and a learner's preferences. Kept here rather than in the web project because
/// the session grain stores the tag and the silo composes mail in it; the web's <c>Languages</c> lists the same tags.
/// </summary>
public static class RegistrantLanguage
{
    /// <summary>English: the source text, and the language of a registration that names none (stored as null).</summary>
    public const string English = "en";

    /// <summary>Every tag accepted, in the picker's order.</summary>
    public static IReadOnlyList<string> Tags { get; } = [English, "es", "zh-Hans"];

    /// <summary>The tag as LearnHub spells it (case-insensitive match, so "ZH-hans" is "zh-Hans"), or null when it is not one LearnHub speaks.</summary>
    public static string? Normalize(string? tag) =>
        tag is null ? null : Tags.FirstOrDefault(t => string.Equals(t, tag.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The sentence for a language LearnHub does not speak, naming the ones it does (the API's "language" error).</summary>
    public static string Problem(string tag) =>
        $"'{(tag.Length <= 32 ? tag : tag[..32] + "…")}' is not a language LearnHub writes in; use \"en\" (English), \"es\" (Spanish) or \"zh-Hans\" (Simplified Chinese).";

    /// <summary>The language mail to a person is written in: a stored tag, or English when none (or an unknown one) is stored.</summary>
    public static string OrEnglish(string? tag) => Normalize(tag) ?? English;
}
