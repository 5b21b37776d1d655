using System.Globalization;
namespace LearnHub.Grains.Time;

/// <summary>
/// Formats session times in a given zone, one way for pages, emails and the API, in the reader's language: English,
/// Spanish or Chinese by the culture given (a mail's recipient) or else the current one (a page's visitor); any other
/// culture, including the invariant culture of a background job, reads English.
/// </summary>
public static class ZonedTime
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>How one language writes a full date and time, a time alone, and a compact date and time for lists.</summary>
    private sealed record Patterns(CultureInfo Culture, string Full, string Time, string Compact);

    private static readonly Patterns EnglishPatterns = new(English, "dddd, MMMM d, yyyy, h:mm tt", "h:mm tt", "MMM d, yyyy, h:mm tt");

    // Spanish and Chinese write the 24-hour clock; the day-month order and the words around them are the culture's own
    // (its day and month names come from the culture passed, so es-MX and es-US read alike).
    private static Patterns For(CultureInfo? culture)
    {
        culture ??= CultureInfo.CurrentCulture;
        return culture.TwoLetterISOLanguageName switch
        {
            "es" => new(culture, "dddd, d 'de' MMMM 'de' yyyy, H:mm", "H:mm", "d MMM yyyy, H:mm"),
            "zh" => new(culture, "yyyy年M月d日dddd HH:mm", "HH:mm", "yyyy年M月d日 HH:mm"),
            _ => EnglishPatterns,
        };
    }

    /// <summary>
    /// The instant of a local date and time in a zone. A time skipped by a daylight-saving change moves to the first
    /// time that exists after it; a repeated one is the first of the two: each local time has exactly one instant.
    /// </summary>
    public static DateTimeOffset AtLocal(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        // Inside a spring-forward gap: walk forward to the first local time that exists (gaps are at most hours long).
        for (var step = 0; zone.IsInvalidTime(local) && step < 24 * 60; step++)
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The instant as a local time in the zone, with the zone's offset.</summary>
    public static DateTimeOffset In(DateTimeOffset instant, string ianaId) => TimeZoneInfo.ConvertTime(instant, Zones.Get(ianaId));

    /// <summary>
    /// "Tuesday, December 8, 2026, 2:00 PM – 3:30 PM" followed by the zone and its offset ("martes, 8 de diciembre de
    /// 2026, 14:00 – 15:30", "2026年12月8日星期二 14:00 – 15:30" in Spanish and Chinese).
    /// </summary>
    public static string Range(DateTimeOffset starts, DateTimeOffset ends, string ianaId, CultureInfo? culture = null)
    {
        var p = For(culture);
        var s = In(starts, ianaId);
        var e = In(ends, ianaId);
        var end = s.Date == e.Date ? e.ToString(p.Time, p.Culture) : e.ToString(p.Full, p.Culture);
        return $"{s.ToString(p.Full, p.Culture)} – {end} {ZoneSuffix(starts, ianaId)}";
    }

    /// <summary>"Dec 8, 2026, 2:00 PM (America/New_York, UTC−05:00)": a compact start time for lists.</summary>
    public static string Start(DateTimeOffset starts, string ianaId, CultureInfo? culture = null)
    {
        var p = For(culture);
        return $"{In(starts, ianaId).ToString(p.Compact, p.Culture)} {ZoneSuffix(starts, ianaId)}";
    }

    /// <summary>"2:00 PM" (or "14:00"): the local time of day alone, for a calendar's day list.</summary>
    public static string TimeOfDay(DateTimeOffset instant, string ianaId, CultureInfo? culture = null)
    {
        var p = For(culture);
        return In(instant, ianaId).ToString(p.Time, p.Culture);
    }

    /// <summary>The machine-readable value of a time element.</summary>
    public static string Iso(DateTimeOffset instant, string ianaId) => In(instant, ianaId).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string ZoneSuffix(DateTimeOffset at, string ianaId) =>
        $"({ianaId}, {FormatOffset(Zones.Get(ianaId).GetUtcOffset(at))})";

    /// <summary>"UTC−05:00", with a real minus sign.</summary>
    public static string FormatOffset(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "\u2212" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
