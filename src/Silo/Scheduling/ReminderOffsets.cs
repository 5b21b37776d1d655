using System.Globalization;

namespace LearnHub.Silo.Scheduling;

/// <summary>A series' reminder lead times as stored: whole minutes, comma-separated ("1440,60").</summary>
public static class ReminderOffsets
{
    /// <summary>The default: 24 hours and 1 hour before.</summary>
    public static readonly IReadOnlyList<TimeSpan> Default = [TimeSpan.FromHours(24), TimeSpan.FromHours(1)];

    /// <summary>Reads the stored form; anything that is not a positive whole number of minutes is ignored.</summary>
    public static IReadOnlyList<int> Parse(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes : 0)
            .Where(minutes => minutes > 0)
            .Distinct()
            .ToList();

    /// <summary>Writes lead times in the stored form; refuses leads that are not whole positive minutes.</summary>
    public static string Format(IEnumerable<TimeSpan> leads)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var minutes = leads.Select(lead => lead > TimeSpan.Zero && lead.Ticks % TimeSpan.TicksPerMinute == 0
            ? (int)lead.TotalMinutes
            : throw new ArgumentOutOfRangeException(nameof(leads), lead, "A reminder lead time must be a positive whole number of minutes."));
        return string.Join(",", minutes.Distinct().Select(m => m.ToString(CultureInfo.InvariantCulture)));
    }
}
