using System.Globalization;
using System.Resources;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;

namespace LearnHub.Silo.Messaging;

/// <summary>
/// The resource class of every piece of mail text (subjects, paragraphs, buttons, footers, invite wording): translations
/// in src/Silo/Resources/MailResource.es.resx and .zh-Hans.resx, keyed by the English text itself, as the web's are.
/// </summary>
public sealed class MailResource
{
    private MailResource()
    {
    }
}

/// <summary>
/// Mail text in one recipient's language. Mail is composed off-request, at delivery from the outbox, so the language is
/// always named explicitly, never taken from a thread's or request's culture. English is the key itself; a key a
/// translation lacks falls back to English rather than failing a delivery.
/// </summary>
public sealed class MailText
{
    private static readonly ResourceManager Resources = new("LearnHub.Silo.Resources.MailResource", typeof(MailResource).Assembly);
    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en-US");

    private MailText(string language, CultureInfo culture)
    {
        Language = language;
        Culture = culture;
    }

    /// <summary>English, the source text.</summary>
    public static MailText English { get; } = new(RegistrantLanguage.English, EnglishCulture);

    /// <summary>The language's tag ("en", "es", "zh-Hans"), for the HTML part's lang attribute.</summary>
    public string Language { get; }

    /// <summary>The culture numbers and dates are formatted in (US English for English, as mail always was).</summary>
    public CultureInfo Culture { get; }

    /// <summary>True for English (the keys are the text).</summary>
    public bool IsEnglish => Language == RegistrantLanguage.English;

    /// <summary>The text in <paramref name="language"/> (a stored tag; null or unknown: English).</summary>
    public static MailText For(string? language) => RegistrantLanguage.OrEnglish(language) switch
    {
        RegistrantLanguage.English => English,
        var tag => new MailText(tag, CultureInfo.GetCultureInfo(tag)),
    };

    /// <summary>The translation of <paramref name="key"/>.</summary>
    public string this[string key] => Lookup(key);

    /// <summary>The translation of <paramref name="key"/> with its placeholders filled in, formatted in this language's culture.</summary>
    public string this[string key, params object?[] arguments] => string.Format(Culture, Lookup(key), arguments);

    /// <summary>The translation, or null when this language has none (a test checks every key has one).</summary>
    public string? Find(string key)
    {
        if (IsEnglish)
        {
            return key;
        }

        try
        {
            // Only the culture's own set: a missing key must not be looked for in a neutral set (there is none).
            return Resources.GetResourceSet(Culture, createIfNotExists: true, tryParents: false)?.GetString(key);
        }
        catch (MissingManifestResourceException)
        {
            return null;
        }
    }

    private string Lookup(string key) => Find(key) ?? key;

    /// <summary><paramref name="text"/> with its first letter a capital in this language ("an administrator" opening a sentence).</summary>
    public string Capitalized(string text) => text.Length == 0 ? text : char.ToUpper(text[0], Culture) + text[1..];

    /// <summary>
    /// A session's time range in this language. English is <see cref="ZonedTime.Range"/> exactly; the others use the
    /// culture's long date and short time patterns, with the same zone suffix.
    /// </summary>
    /// <remarks>TODO(issue 19): replace with ZonedTime.Range(starts, ends, zone, culture) once the lead's culture-aware ZonedTime lands.</remarks>
    public string Range(DateTimeOffset starts, DateTimeOffset ends, string zone)
    {
        if (IsEnglish)
        {
            return ZonedTime.Range(starts, ends, zone);
        }

        var s = ZonedTime.In(starts, zone);
        var e = ZonedTime.In(ends, zone);
        var patterns = Culture.DateTimeFormat;
        var dateAndTime = $"{patterns.LongDatePattern} {patterns.ShortTimePattern}";
        var end = s.Date == e.Date ? e.ToString(patterns.ShortTimePattern, Culture) : e.ToString(dateAndTime, Culture);
        return $"{s.ToString(dateAndTime, Culture)} – {end} ({zone}, {ZonedTime.FormatOffset(Zones.Get(zone).GetUtcOffset(starts))})";
    }

    /// <summary>
    /// A calendar date written into a queued row in English ("Monday, March 2, 2026", or ISO "2026-03-02"), in this
    /// language's long date; anything else unchanged.
    /// </summary>
    public string Date(string? written)
    {
        if (written is null || IsEnglish)
        {
            return written ?? "";
        }

        return DateOnly.TryParseExact(written, ["dddd, MMMM d, yyyy", "yyyy-MM-dd"], EnglishCulture, DateTimeStyles.None, out var date)
            ? date.ToString(Culture.DateTimeFormat.LongDatePattern, Culture)
            : written;
    }
}
