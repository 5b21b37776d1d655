using Dapper;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Mentoring;

/// <summary>A follow-up occurrence with the mentorship's people, for the mentor's dashboard and the coordinator's lists.</summary>
public sealed record FollowUpItem(FollowUp FollowUp, string MentorTimeZone, Guid MentorId, string MentorName, string MenteeName, string MenteeEmail)
{
    /// <summary>The mentorship's assignment date, from which every follow-up date is computed.</summary>
    public DateOnly AssignedOn { get; init; }

    /// <summary>The date the following month's follow-up is planned for (see <see cref="FollowUpSchedule.DueDate"/>).</summary>
    public DateOnly NextScheduledOn => FollowUpSchedule.DueDate(AssignedOn, FollowUp.Number + 1);
}

/// <summary>Follow-up occurrences: logging, moving, skipping, and ending a mentorship.</summary>
public sealed partial class MentoringStore
{
    private const string NotYours = "There is no such mentorship of yours.";
    private const string NotPending = "That follow-up is already logged, skipped or closed.";

    /// <summary>
    /// Logs a follow-up by the mentorship's own mentor and marks the follow-up it completes as done: the one numbered
    /// <paramref name="number"/>, or else the earliest pending one due within two weeks of the meeting
    /// (<see cref="FollowUp.CompletedBy"/>). Returns the problems, and writes nothing when there are any.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> LogAsync(Guid mentorshipId, Guid mentorId, FollowUpLog log, CancellationToken cancellationToken) =>
        await LogAsync(mentorshipId, mentorId, log, null, cancellationToken);

    /// <summary>Logs a follow-up as <see cref="LogAsync(Guid, Guid, FollowUpLog, CancellationToken)"/> does, completing follow-up <paramref name="number"/> when given.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LogAsync(Guid mentorshipId, Guid mentorId, FollowUpLog log, int? number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var (mentorship, pending) = await LockPendingAsync(scope, mentorshipId, cancellationToken);
        if (mentorship is null || mentorship.MentorId != mentorId)
        {
            return Problem("mentorship", NotYours);
        }

        var problems = log.Problems(Today(mentorship), mentorship.AssignedOn);
        if (problems.Count > 0)
        {
            return problems;
        }

        FollowUp? completes = null;
        if (number is { } n)
        {
            completes = pending.FirstOrDefault(f => f.Number == n);
            if (completes is null)
            {
                return Problem("followUp", NotPending);
            }
        }
        else if (mentorship.Status == MentorshipStatus.Active)
        {
            completes = FollowUp.CompletedBy(pending, log.HeldOn);
        }

        var now = clock.GetUtcNow();
        var logId = Guid.CreateVersion7(now).ToString();
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO follow_up_logs (id, mentorship_id, held_on, mode, duration_minutes, topics, notes, next_steps, logged_by, logged_utc_ms)
            VALUES (@id, @mentorship, @held, @mode, @minutes, @topics, @notes, @next, @by, @now)
            """,
            new
            {
                id = logId, mentorship = mentorshipId.ToString(), held = Day(log.HeldOn), mode = log.Mode.ToString(),
                minutes = log.DurationMinutes, topics = string.Join(",", log.Topics), notes = log.Notes, next = log.NextSteps, by = mentorId.ToString(),
                now = now.ToUnixTimeMilliseconds(),
            }, scope.Transaction, cancellationToken: cancellationToken));
        if (completes is not null)
        {
            completes.MarkDone();
            await UpdateFollowUpAsync(scope, completes, mentorship, now, cancellationToken, logId);
            await PlanSuccessorAsync(scope, mentorship, completes, now, cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return problems;
    }

    /// <summary>The mentor moves a pending follow-up to another date, with a reason; problems are returned and nothing changes on any.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RescheduleAsync(Guid mentorshipId, Guid mentorId, int number, DateOnly to, string? reason,
        CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var (mentorship, pending) = await LockPendingAsync(scope, mentorshipId, cancellationToken);
        if (mentorship is null || mentorship.MentorId != mentorId)
        {
            return Problem("mentorship", NotYours);
        }

        if (pending.FirstOrDefault(f => f.Number == number) is not { } followUp)
        {
            return Problem("followUp", NotPending);
        }

        var today = Today(mentorship);
        var problems = followUp.RescheduleProblems(to, reason, today);
        if (problems.Count > 0)
        {
            return problems;
        }

        followUp.Reschedule(to, reason!, today);
        await UpdateFollowUpAsync(scope, followUp, mentorship, clock.GetUtcNow(), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return problems;
    }

    /// <summary>The mentor skips a pending follow-up, with a reason; problems are returned and nothing changes on any.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SkipAsync(Guid mentorshipId, Guid mentorId, int number, string? reason, CancellationToken cancellationToken)
    {
        var problems = FollowUp.SkipProblems(reason);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var (mentorship, pending) = await LockPendingAsync(scope, mentorshipId, cancellationToken);
        if (mentorship is null || mentorship.MentorId != mentorId)
        {
            return Problem("mentorship", NotYours);
        }

        if (pending.FirstOrDefault(f => f.Number == number) is not { } followUp)
        {
            return Problem("followUp", NotPending);
        }

        followUp.Skip(reason!);
        var now = clock.GetUtcNow();
        await UpdateFollowUpAsync(scope, followUp, mentorship, now, cancellationToken);
        await PlanSuccessorAsync(scope, mentorship, followUp, now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return problems;
    }

    /// <summary>
    /// Ends a mentorship today (in the mentor's zone) as completed, withdrawn or reassigned, with a reason: its open
    /// follow-ups close (missed if they were due, cancelled if not) and no email is owed for any of them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> EndAsync(Guid mentorshipId, MentorshipStatus how, string? reason, CancellationToken cancellationToken)
    {
        if (how == MentorshipStatus.Active || !Enum.IsDefined(how))
        {
            return Problem("how", "Choose how it ended: completed, withdrawn or reassigned.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > FollowUp.MaxReason)
        {
            return Problem("reason", $"Give a reason (1 to {FollowUp.MaxReason} characters).");
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var (mentorship, pending) = await LockPendingAsync(scope, mentorshipId, cancellationToken);
        if (mentorship is null)
        {
            return Problem("mentorship", "There is no such mentorship.");
        }

        if (mentorship.Status != MentorshipStatus.Active)
        {
            return Problem("how", $"This mentorship has already ended ({mentorship.Status.ToString().ToLowerInvariant()}).");
        }

        var today = Today(mentorship);
        mentorship.End(how, today);
        var now = clock.GetUtcNow();
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mentorships SET status = @status, ended_on = @ended, end_reason = @reason WHERE id = @id",
            new { status = how.ToString().ToLowerInvariant(), ended = Day(today), reason = reason.Trim(), id = mentorshipId.ToString() },
            scope.Transaction, cancellationToken: cancellationToken));
        foreach (var followUp in pending)
        {
            followUp.CloseForEnd(today);
            await UpdateFollowUpAsync(scope, followUp, mentorship, now, cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return new Dictionary<string, string>();
    }

    /// <summary>Every follow-up occurrence of a mentorship, by number.</summary>
    public async Task<IReadOnlyList<FollowUp>> OccurrencesAsync(Guid mentorshipId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FollowUpRow>(new CommandDefinition(
            "SELECT mentorship_id, number, scheduled_on, due_on, state, reason FROM follow_ups WHERE mentorship_id = @id ORDER BY number",
            new { id = mentorshipId.ToString() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToFollowUp()).ToList();
    }

    /// <summary>The pending follow-ups of a mentor's active mentorships, earliest due first (the mentor's dashboard).</summary>
    public Task<IReadOnlyList<FollowUpItem>> PendingForMentorAsync(Guid mentorId, CancellationToken cancellationToken) =>
        PendingAsync("m.mentor_id = @mentor", mentorId.ToString(), cancellationToken);

    /// <summary>One pending follow-up of an active mentorship, or null.</summary>
    public async Task<FollowUpItem?> PendingAsync(Guid mentorshipId, int number, CancellationToken cancellationToken) =>
        (await PendingAsync("m.id = @mentor", mentorshipId.ToString(), cancellationToken)).FirstOrDefault(i => i.FollowUp.Number == number);

    private async Task<IReadOnlyList<FollowUpItem>> PendingAsync(string where, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingRow>(new CommandDefinition(
            $"""
            SELECT f.mentorship_id, f.number, f.scheduled_on, f.due_on, f.state, f.reason, m.mentor_time_zone, m.mentor_id, m.assigned_on,
                   a.display_name AS mentor_name, b.display_name AS mentee_name, b.email AS mentee_email
            FROM follow_ups f JOIN mentorships m ON m.id = f.mentorship_id JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.mentee_id
            WHERE {where} AND m.status = 'active' AND f.state = 'pending'
            ORDER BY f.due_on, b.display_name
            """, new { mentor = key }, cancellationToken: cancellationToken));
        return rows.Select(r => new FollowUpItem(r.ToFollowUp(), r.mentor_time_zone, Guid.Parse(r.mentor_id), r.mentor_name, r.mentee_name, r.mentee_email)
            { AssignedOn = ParseDay(r.assigned_on) }).ToList();
    }

    /// <summary>Today's date in the mentor's zone: the day follow-ups are judged by.</summary>
    private DateOnly Today(Mentorship mentorship) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zones.Get(mentorship.MentorTimeZone)).DateTime);

    /// <summary>The mentorship and its pending follow-ups, their rows held for the transaction.</summary>
    private async Task<(Mentorship? Mentorship, IReadOnlyList<FollowUp> Pending)> LockPendingAsync(WriteScope scope, Guid mentorshipId, CancellationToken cancellationToken)
    {
        var row = await scope.Connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, mentor_id, mentee_id, assigned_on, mentor_time_zone, status, ended_on FROM mentorships WHERE id = @id" + database.LockRowSuffix,
            new { id = mentorshipId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return (null, []);
        }

        var pending = await scope.Connection.QueryAsync<FollowUpRow>(new CommandDefinition(
            "SELECT mentorship_id, number, scheduled_on, due_on, state, reason FROM follow_ups WHERE mentorship_id = @id AND state = 'pending' ORDER BY number"
                + database.LockRowSuffix,
            new { id = mentorshipId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        return (row.ToMentorship(), pending.Select(r => r.ToFollowUp()).ToList());
    }

    /// <summary>
    /// Writes a follow-up's state back. A pending one owes its "due" email from its (possibly new) due instant; a
    /// closed one owes nothing.
    /// </summary>
    private static async Task UpdateFollowUpAsync(WriteScope scope, FollowUp followUp, Mentorship mentorship, DateTimeOffset now, CancellationToken cancellationToken,
        string? logId = null)
    {
        var dueAt = followUp.DueAt(Zones.Get(mentorship.MentorTimeZone)).ToUnixTimeMilliseconds();
        var pending = followUp.State == FollowUpState.Pending;
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE follow_ups SET due_on = @due, due_utc_ms = @dueAt, state = @state, reason = @reason, log_id = COALESCE(@log, log_id),
                   next_alert = @alert, next_alert_utc_ms = @alertAt, updated_utc_ms = @now
            WHERE mentorship_id = @id AND number = @number
            """,
            new
            {
                due = Day(followUp.DueOn), dueAt, state = followUp.State.ToString().ToLowerInvariant(), reason = followUp.Reason, log = logId,
                alert = pending ? "due" : null, alertAt = pending ? dueAt : (long?)null, now = now.ToUnixTimeMilliseconds(),
                id = followUp.MentorshipId.ToString(), number = followUp.Number,
            }, scope.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A follow-up was logged or skipped while its mentorship runs: the next month's is planned now, in the same
    /// transaction, instead of when the closed one's date comes (the scheduler's rule for follow-ups left open). A
    /// meeting held early would otherwise leave an active mentorship with nothing planned until that date: the
    /// mentorship page read "none (ended)" and the mentor's home "no follow-ups are planned". A successor the
    /// scheduler planned already is kept (the insert does nothing on conflict).
    /// </summary>
    private static async Task PlanSuccessorAsync(WriteScope scope, Mentorship mentorship, FollowUp closed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (mentorship.Status != MentorshipStatus.Active)
        {
            return;
        }

        await InsertFollowUpsAsync(scope, [(FollowUp.Plan(mentorship, closed.Number + 1), Zones.Get(mentorship.MentorTimeZone))], now, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE follow_ups SET successor_planned = 1 WHERE mentorship_id = @id AND number = @number",
            new { id = mentorship.Id.ToString(), number = closed.Number }, scope.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Inserts planned follow-ups (pending, their "due" email owed at their due instant) in multi-row statements.</summary>
    internal static async Task InsertFollowUpsAsync(WriteScope scope, IReadOnlyList<(FollowUp FollowUp, TimeZoneInfo Zone)> followUps, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        foreach (var chunk in followUps.Chunk(200))
        {
            var parameters = new DynamicParameters();
            parameters.Add("now", now.ToUnixTimeMilliseconds());
            var rows = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (followUp, zone) = chunk[i];
                var dueAt = followUp.DueAt(zone).ToUnixTimeMilliseconds();
                rows.Add($"(@m{i}, @n{i}, @s{i}, @sa{i}, @s{i}, @sa{i}, 'pending', 'due', @sa{i}, 0, @now)");
                parameters.Add($"m{i}", followUp.MentorshipId.ToString());
                parameters.Add($"n{i}", followUp.Number);
                parameters.Add($"s{i}", Day(followUp.ScheduledOn));
                parameters.Add($"sa{i}", dueAt);
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO follow_ups (mentorship_id, number, scheduled_on, scheduled_utc_ms, due_on, due_utc_ms, state, next_alert, next_alert_utc_ms,
                                        successor_planned, updated_utc_ms)
                VALUES {string.Join(", ", rows)}
                ON CONFLICT (mentorship_id, number) DO NOTHING
                """, parameters, scope.Transaction, cancellationToken: cancellationToken));
        }
    }

    private static Dictionary<string, string> Problem(string field, string message) => new(StringComparer.Ordinal) { [field] = message };

    private class FollowUpRow
    {
        public string mentorship_id { get; set; } = "";
        public long number { get; set; }
        public string scheduled_on { get; set; } = "";
        public string due_on { get; set; } = "";
        public string state { get; set; } = "";
        public string? reason { get; set; }

        public FollowUp ToFollowUp() => new(Guid.Parse(mentorship_id), (int)number, ParseDay(scheduled_on), ParseDay(due_on),
            Enum.Parse<FollowUpState>(state, ignoreCase: true), reason);
    }

    private sealed class PendingRow : FollowUpRow
    {
        public string mentor_time_zone { get; set; } = "";
        public string mentor_id { get; set; } = "";
        public string assigned_on { get; set; } = "";
        public string mentor_name { get; set; } = "";
        public string mentee_name { get; set; } = "";
        public string mentee_email { get; set; } = "";
    }
}
