using System.Globalization;
using System.Text.RegularExpressions;

namespace LearnHub.Web.Localization;

/// <summary>
/// Calendar dates as a page writes them in the request's culture (follow-ups, mentorships, certificates), from the
/// culture's own patterns, so English keeps its "December 22, 2026" while Spanish reads "22 de diciembre de 2026" and
/// Chinese "2026年12月22日". Machine-readable dates (datetime attributes, CSV, form values) stay invariant elsewhere.
/// </summary>
public static partial class DayDates
{
    /// <summary>With the day of the week: "Tuesday, December 22, 2026" (the culture's long date).</summary>
    public static string WithWeekday(DateOnly date) => date.ToString("D", CultureInfo.CurrentCulture);

    /// <summary>"December 22, 2026": the long date without its day of the week.</summary>
    public static string Long(DateOnly date) => date.ToString(LongWithoutWeekday(CultureInfo.CurrentCulture), CultureInfo.CurrentCulture);

    /// <summary>"Dec 22, 2026": the same with the month abbreviated.</summary>
    public static string Short(DateOnly date) =>
        date.ToString(LongWithoutWeekday(CultureInfo.CurrentCulture).Replace("MMMM", "MMM", StringComparison.Ordinal), CultureInfo.CurrentCulture);

    /// <summary>"December 22": month and day (the culture's month-day pattern).</summary>
    public static string MonthDay(DateOnly date) => date.ToString("M", CultureInfo.CurrentCulture);

    /// <summary>"Dec 2026": month and year, the month abbreviated where the culture writes it in words.</summary>
    public static string MonthYear(DateOnly date) =>
        date.ToString(CultureInfo.CurrentCulture.DateTimeFormat.YearMonthPattern.Replace("MMMM", "MMM", StringComparison.Ordinal), CultureInfo.CurrentCulture);

    private static string LongWithoutWeekday(CultureInfo culture) =>
        Weekday().Replace(culture.DateTimeFormat.LongDatePattern, " ").Trim();

    // The weekday and the comma or spaces that join it to the rest ("dddd, " in English, a trailing "dddd" in Chinese).
    [GeneratedRegex(@"\s*,?\s*dddd\s*,?\s*")]
    private static partial Regex Weekday();
}
