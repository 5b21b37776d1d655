using System.Globalization;
using Dapper;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Mentoring;

/// <summary>
/// One month of follow-ups that fell due: how many were logged, skipped, missed (the mentorship ended first) or are
/// still open. The completion rate is the logged share of all of them.
/// </summary>
public sealed record MonthCompletion(string Month, int Done, int Skipped, int Missed, int Open)
{
    /// <summary>Follow-ups that fell due in the month.</summary>
    public int FellDue => Done + Skipped + Missed + Open;

    /// <summary>Logged ÷ fell due, 0 to 1; null when none fell due.</summary>
    public double? Rate => FellDue == 0 ? null : (double)Done / FellDue;
}

/// <summary>An overdue follow-up, for the coordinator: who, and since when (no notes).</summary>
public sealed record OverdueFollowUp(Guid MentorshipId, int Number, DateOnly DueOn, int DaysOverdue, string MentorName, string MentorEmail, string MenteeName);

/// <summary>A mentor's load: active mentees against capacity, and how many of their follow-ups are overdue.</summary>
public sealed record MentorLoad(string Name, string Email, int ActiveMentees, int Capacity, bool Active, int Overdue);

/// <summary>
/// A row of the follow-up export: dates, states and modes only, never notes or next steps. States and modes are the
/// domain's own types, so the CSV names them with the same labels as the pages.
/// </summary>
public sealed record FollowUpExportRow(Guid MentorshipId, string MentorEmail, string MenteeEmail, MentorshipStatus MentorshipStatus, DateOnly AssignedOn, int Number,
    DateOnly ScheduledOn, DateOnly DueOn, FollowUpState State, string? Reason, DateOnly? HeldOn, FollowUpMode? Mode, int? DurationMinutes);

/// <summary>The coordinator's overview and export, each a few set-based queries.</summary>
public sealed class MentoringReports(LearnHubDatabase database, MentoringStore mentoring, LearnHubClock clock)
{
    /// <summary>Completion by due month for the <paramref name="months"/> months up to and including the current one (UTC).</summary>
    public async Task<IReadOnlyList<MonthCompletion>> CompletionByMonthAsync(int months, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var first = thisMonth.AddMonths(1 - months);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string month, string state, long count)>(new CommandDefinition(
            """
            SELECT substr(due_on, 1, 7) AS month, state, COUNT(*) AS count
            FROM follow_ups
            WHERE due_on >= @first AND due_utc_ms <= @now AND state <> 'cancelled'
            GROUP BY substr(due_on, 1, 7), state
            """, new { first = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        var counts = rows.ToLookup(r => r.month);
        return Enumerable.Range(0, months).Select(i =>
        {
            var month = first.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            int Count(string state) => (int)counts[month].Where(r => r.state == state).Sum(r => r.count);
            return new MonthCompletion(month, Count("done"), Count("skipped"), Count("missed"), Count("pending"));
        }).ToList();
    }

    /// <summary>Pending follow-ups whose date has passed in the mentor's zone, longest overdue first.</summary>
    public async Task<IReadOnlyList<OverdueFollowUp>> OverdueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OverdueRow>(new CommandDefinition(
            """
            SELECT f.mentorship_id, f.number, f.due_on, m.mentor_time_zone, a.display_name AS mentor_name, a.email AS mentor_email, b.display_name AS mentee_name
            FROM follow_ups f JOIN mentorships m ON m.id = f.mentorship_id JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.mentee_id
            WHERE f.state = 'pending' AND f.due_utc_ms <= @now
            ORDER BY f.due_on, a.display_name
            """, new { now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.Select(r =>
            {
                var today = DateOnly.FromDateTime(ZonedTime.In(now, r.mentor_time_zone).DateTime);
                var due = DateOnly.ParseExact(r.due_on, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                return new OverdueFollowUp(Guid.Parse(r.mentorship_id), (int)r.number, due, today.DayNumber - due.DayNumber, r.mentor_name, r.mentor_email, r.mentee_name);
            })
            .Where(o => o.DaysOverdue > 0)
            .ToList();
    }

    /// <summary>Every mentor's load, fullest first.</summary>
    public async Task<IReadOnlyList<MentorLoad>> LoadAsync(IReadOnlyList<OverdueFollowUp> overdue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overdue);
        var late = overdue.GroupBy(o => o.MentorEmail).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return (await mentoring.ProfilesAsync(cancellationToken))
            .Select(p => new MentorLoad(p.Name, p.Email, p.ActiveMentees, p.Profile.Capacity, p.Profile.Active, late.GetValueOrDefault(p.Email)))
            .OrderByDescending(l => l.Capacity == 0 ? l.ActiveMentees : (double)l.ActiveMentees / l.Capacity)
            .ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Every follow-up with its mentorship and, when logged, the log's date, mode and duration — never its notes.</summary>
    public async Task<IReadOnlyList<FollowUpExportRow>> ExportAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // The columns are named one by one: notes and next steps never leave the database through this query.
        var rows = await connection.QueryAsync<ExportRow>(new CommandDefinition(
            """
            SELECT f.mentorship_id, a.email AS mentor_email, b.email AS mentee_email, m.status, m.assigned_on, f.number, f.scheduled_on, f.due_on, f.state, f.reason,
                   l.held_on, l.mode, l.duration_minutes
            FROM follow_ups f JOIN mentorships m ON m.id = f.mentorship_id JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.mentee_id
            LEFT JOIN follow_up_logs l ON l.id = f.log_id
            ORDER BY m.assigned_on, f.mentorship_id, f.number
            """, cancellationToken: cancellationToken));
        static DateOnly Day(string d) => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return rows.Select(r => new FollowUpExportRow(Guid.Parse(r.mentorship_id), r.mentor_email, r.mentee_email, Enum.Parse<MentorshipStatus>(r.status, ignoreCase: true),
            Day(r.assigned_on), (int)r.number, Day(r.scheduled_on), Day(r.due_on), Enum.Parse<FollowUpState>(r.state, ignoreCase: true), r.reason,
            r.held_on is null ? null : Day(r.held_on), r.mode is null ? null : Enum.Parse<FollowUpMode>(r.mode), (int?)r.duration_minutes)).ToList();
    }

    private sealed class OverdueRow
    {
        public string mentorship_id { get; set; } = "";
        public long number { get; set; }
        public string due_on { get; set; } = "";
        public string mentor_time_zone { get; set; } = "";
        public string mentor_name { get; set; } = "";
        public string mentor_email { get; set; } = "";
        public string mentee_name { get; set; } = "";
    }

    private sealed class ExportRow
    {
        public string mentorship_id { get; set; } = "";
        public string mentor_email { get; set; } = "";
        public string mentee_email { get; set; } = "";
        public string status { get; set; } = "";
        public string assigned_on { get; set; } = "";
        public long number { get; set; }
        public string scheduled_on { get; set; } = "";
        public string due_on { get; set; } = "";
        public string state { get; set; } = "";
        public string? reason { get; set; }
        public string? held_on { get; set; }
        public string? mode { get; set; }
        public long? duration_minutes { get; set; }
    }
}
