using System.Globalization;
using System.Text.RegularExpressions;

namespace LearnHub.Grains.Catalog;

/// <summary>
/// A series' reminder lead times as people write them ("7 days, 1 day, 1 hour"; the command line's "24h,1h" too) and
/// the rules they must meet: 1 to <see cref="Max"/> distinct leads, each a whole number of minutes from
/// <see cref="Shortest"/> to <see cref="Longest"/>. Every lead is one email to every registrant, so a handful is plenty.
/// </summary>
public static partial class ReminderLeads
{
    /// <summary>The most lead times a series may have.</summary>
    public const int Max = 5;

    /// <summary>The shortest lead: a reminder needs time to be read before the start.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromMinutes(5);

    /// <summary>The longest lead: further ahead it is an announcement, not a reminder.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(60);

    /// <summary>
    /// Reads "7 days, 1 day, 1 hour" (also "2d, 30m", "90 minutes"); returns the leads longest first, or the sentence
    /// saying what is wrong.
    /// </summary>
    public static (IReadOnlyList<TimeSpan>? Leads, string? Problem) Parse(string? text)
    {
        var parts = (text ?? "").Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return (null, "Enter at least one reminder lead time, for example \"1 day, 1 hour\".");
        }

        var leads = new List<TimeSpan>();
        foreach (var part in parts)
        {
            var match = Lead().Match(part);
            if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                return (null, $"\"{Shorten(part)}\" is not a lead time: write a number and days, hours or minutes, for example \"7 days\" or \"1 hour\".");
            }

            leads.Add(char.ToLowerInvariant(match.Groups["unit"].Value[0]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromMinutes(amount),
            });
        }

        return Problem(leads) is { } problem ? (null, problem) : (leads.OrderDescending().ToList(), null);
    }

    /// <summary>What is wrong with <paramref name="leads"/>, or null when a series may have them.</summary>
    public static string? Problem(IReadOnlyList<TimeSpan> leads)
    {
        ArgumentNullException.ThrowIfNull(leads);
        if (leads.Count == 0)
        {
            return "Enter at least one reminder lead time, for example \"1 day, 1 hour\".";
        }

        if (leads.Count > Max)
        {
            return $"Enter at most {Max} reminder lead times: each one is an email to every registrant.";
        }

        if (leads.Distinct().Count() != leads.Count)
        {
            return "Each reminder lead time may appear once.";
        }

        return leads.Any(l => l < Shortest || l > Longest || l.Ticks % TimeSpan.TicksPerMinute != 0)
            ? $"Each reminder lead time must be from {Format([Shortest])} to {Format([Longest])} before the start."
            : null;
    }

    /// <summary>Writes leads as people read them, longest first: "7 days, 1 day, 1 hour".</summary>
    public static string Format(IEnumerable<TimeSpan> leads)
    {
        ArgumentNullException.ThrowIfNull(leads);
        return string.Join(", ", leads.OrderDescending().Select(lead =>
        {
            var minutes = (long)lead.TotalMinutes;
            return minutes % 1440 == 0 ? Plural(minutes / 1440, "day")
                : minutes % 60 == 0 ? Plural(minutes / 60, "hour")
                : Plural(minutes, "minute");
        }));
    }

    private static string Plural(long n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex(@"^(?<n>\d{1,6})\s*(?<unit>d|days?|h|hrs?|hours?|m|mins?|minutes?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Lead();
}
