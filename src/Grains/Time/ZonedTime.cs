using System.Globalization;
namespace LearnHub.Grains.Time;

/// <summary>Formats session times in a given zone, one way for pages, emails and the API.</summary>
public static class ZonedTime
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

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

    /// <summary>"Tuesday, December 8, 2026, 2:00 PM – 3:30 PM" followed by the zone and its offset.</summary>
    public static string Range(DateTimeOffset starts, DateTimeOffset ends, string ianaId)
    {
        var s = In(starts, ianaId);
        var e = In(ends, ianaId);
        var end = s.Date == e.Date
            ? e.ToString("h:mm tt", English)
            : e.ToString("dddd, MMMM d, yyyy, h:mm tt", English);
        return $"{s.ToString("dddd, MMMM d, yyyy, h:mm tt", English)} – {end} {ZoneSuffix(starts, ianaId)}";
    }

    /// <summary>"Dec 8, 2026, 2:00 PM (America/New_York, UTC−05:00)": a compact start time for lists.</summary>
    public static string Start(DateTimeOffset starts, string ianaId) =>
        $"{In(starts, ianaId).ToString("MMM d, yyyy, h:mm tt", English)} {ZoneSuffix(starts, ianaId)}";

    /// <summary>The machine-readable value of a time element.</summary>
    public static string Iso(DateTimeOffset instant, string ianaId) => In(instant, ianaId).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string ZoneSuffix(DateTimeOffset at, string ianaId) =>
        $"({ianaId}, {FormatOffset(Zones.Get(ianaId).GetUtcOffset(at))})";

    /// <summary>"UTC−05:00", with a real minus sign.</summary>
    public static string FormatOffset(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "\u2212" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
