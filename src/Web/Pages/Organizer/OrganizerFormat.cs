using System.Globalization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Dates and numbers the organizer's pages format themselves, in the request's culture. English keeps the exact
/// patterns the pages always used (tests and organizers' habits read them); Spanish and Chinese get their culture's
/// standard patterns, because an English pattern such as "MMM d, yyyy" reads wrong in them even with translated names.
/// </summary>
public static class OrganizerFormat
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    private static bool IsEnglish => Culture.TwoLetterISOLanguageName == "en" || Equals(Culture, CultureInfo.InvariantCulture);

    /// <summary>A weekday, date and time in a table ("Tue, Dec 8, 2026, 2:00 PM"; "mar. 08/12/2026 14:00").</summary>
    public static string DayAndTime(DateTime local) => IsEnglish
        ? local.ToString("ddd, MMM d, yyyy, h:mm tt", English)
        : $"{Culture.DateTimeFormat.GetAbbreviatedDayName(local.DayOfWeek)} {local.ToString("g", Culture)}";

    /// <summary>A local wall-clock time (as <c>ZonedTime.In</c> gives it) with its weekday.</summary>
    public static string DayAndTime(DateTimeOffset local) => DayAndTime(local.DateTime);

    /// <summary>A date with an abbreviated month ("Dec 8, 2026"; the culture's short date elsewhere).</summary>
    public static string Day(DateTime day) => IsEnglish ? day.ToString("MMM d, yyyy", English) : day.ToString("d", Culture);

    /// <summary>A date with an abbreviated month.</summary>
    public static string Day(DateOnly day) => Day(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>A whole percentage ("83%"; "83 %" where the culture spaces it).</summary>
    public static string Percent(double rate) => rate.ToString("P0", IsEnglish ? English : Culture);

    /// <summary>A one-decimal average ("4.5"; "4,5" in Spanish).</summary>
    public static string Average(double average) => average.ToString("0.0", IsEnglish ? English : Culture);

    /// <summary>A whole number with the culture's digit grouping.</summary>
    public static string Number(long n) => n.ToString("N0", IsEnglish ? English : Culture);
}
