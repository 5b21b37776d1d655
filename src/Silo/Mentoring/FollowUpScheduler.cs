using System.Globalization;
using Dapper;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Mentoring;

/// <summary>LearnHub:Mentoring — when overdue follow-ups are chased.</summary>
public sealed class MentoringOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LearnHub:Mentoring";

    /// <summary>Days after a follow-up's due date that the mentor is reminded. LearnHub:Mentoring:OverdueReminderDays.</summary>
    public int OverdueReminderDays { get; set; } = 7;

    /// <summary>Days after a follow-up's due date that the coordinators are told. LearnHub:Mentoring:EscalationDays.</summary>
    public int EscalationDays { get; set; } = 14;

    /// <summary>The alert policy these settings make.</summary>
    public FollowUpAlertPolicy Policy => new(TimeSpan.FromDays(OverdueReminderDays), TimeSpan.FromDays(EscalationDays));

    /// <summary>What is wrong with the settings, naming the keys.</summary>
    public IEnumerable<string> Problems()
    {
        if (OverdueReminderDays < 1 || EscalationDays <= OverdueReminderDays)
        {
            yield return $"LearnHub:Mentoring:OverdueReminderDays ({OverdueReminderDays}) must be at least 1 and LearnHub:Mentoring:EscalationDays ({EscalationDays}) "
                + "larger than it. Set them in appsettings.json or as LearnHub__Mentoring__OverdueReminderDays / LearnHub__Mentoring__EscalationDays.";
        }
    }
}

/// <summary>What a run of the follow-up job did.</summary>
public sealed record FollowUpRun(int Planned, int Alerts);

/// <summary>
/// The follow-up job, fired by Hangfire every minute. Follow-ups are rows (see migration 0006); a run does two things,
/// each in batches that claim rows with SKIP LOCKED on PostgreSQL (SQLite has one writer):
/// it plans the next month's follow-up of every active mentorship whose latest one has reached its scheduled date,
/// and it sends the emails pending follow-ups owe by now (due, overdue, escalation — see <see cref="FollowUpAlertPolicy"/>),
/// moving each row's next alert on in the same transaction that queues the mail. The outbox's idempotency key
/// (recipient, purpose, follow-up and its date) makes a second run queue nothing, so each email goes out once even
/// when two silos run the job or one restarts mid-run.
/// </summary>
public sealed class FollowUpScheduler(LearnHubDatabase database, LearnHubClock clock, IOptions<MentoringOptions> options, IOptions<MailOptions> mail,
    ILogger<FollowUpScheduler> logger)
{
    private const int Batch = 500;
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The Hangfire job: plans what is due for planning and sends what is owed.</summary>
    public async Task<FollowUpRun> RunAsync(CancellationToken cancellationToken)
    {
        // Each batch moves every row it claims on (planned, or its next alert later or none), so the loops end; a plan
        // may find its successor already due (no silo ran for months), which the next batch picks up.
        int planned = await AdoptAsync(cancellationToken), alerts = 0, count;
        do
        {
            planned += count = await PlanBatchAsync(cancellationToken);
        }
        while (count > 0);

        do
        {
            alerts += count = await AlertBatchAsync(cancellationToken);
        }
        while (count > 0);

        if (planned + alerts > 0)
        {
            logger.LogInformation("Follow-ups: {Planned} planned, {Alerts} alerts sent", planned, alerts);
        }

        return new FollowUpRun(planned, alerts);
    }

    private string SkipLocked => database.Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE OF f SKIP LOCKED" : "";

    /// <summary>
    /// Active mentorships without any follow-up row (assigned before migration 0006) get their next follow-up from
    /// today on planned; months that passed before the upgrade are not chased. Assignment plans the first one itself,
    /// so after the first run this finds nothing (an anti-join on the follow-ups' primary key).
    /// </summary>
    private async Task<int> AdoptAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var rows = (await scope.Connection.QueryAsync<PlanRow>(new CommandDefinition(
            """
            SELECT m.id AS mentorship_id, 0 AS number, m.mentor_id, m.mentee_id, m.assigned_on, m.mentor_time_zone, m.status
            FROM mentorships m
            WHERE m.status = 'active' AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.mentorship_id = m.id)
            """, transaction: scope.Transaction, cancellationToken: cancellationToken))).ToList();
        var next = rows.Select(r =>
        {
            var mentorship = new Mentorship(Guid.Parse(r.mentorship_id), Guid.Parse(r.mentor_id), Guid.Parse(r.mentee_id),
                DateOnly.ParseExact(r.assigned_on, "yyyy-MM-dd", CultureInfo.InvariantCulture), r.mentor_time_zone);
            var today = DateOnly.FromDateTime(ZonedTime.In(now, r.mentor_time_zone).DateTime);
            var number = 1;
            while (FollowUpSchedule.DueDate(mentorship.AssignedOn, number) < today)
            {
                number++;
            }

            return (FollowUp.Plan(mentorship, number), Zones.Get(r.mentor_time_zone));
        }).ToList();
        await MentoringStore.InsertFollowUpsAsync(scope, next, now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return next.Count;
    }

    private async Task<int> PlanBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var rows = (await scope.Connection.QueryAsync<PlanRow>(new CommandDefinition(
            $"""
            SELECT f.mentorship_id, f.number, m.mentor_id, m.mentee_id, m.assigned_on, m.mentor_time_zone, m.status
            FROM follow_ups f JOIN mentorships m ON m.id = f.mentorship_id
            WHERE f.successor_planned = 0 AND f.scheduled_utc_ms <= @now
            ORDER BY f.scheduled_utc_ms
            LIMIT {Batch}{SkipLocked}
            """, new { now = now.ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return 0;
        }

        var next = rows.Where(r => r.status == "active").Select(r =>
        {
            var mentorship = new Mentorship(Guid.Parse(r.mentorship_id), Guid.Parse(r.mentor_id), Guid.Parse(r.mentee_id),
                DateOnly.ParseExact(r.assigned_on, "yyyy-MM-dd", CultureInfo.InvariantCulture), r.mentor_time_zone);
            return (FollowUp.Plan(mentorship, (int)r.number + 1), Zones.Get(r.mentor_time_zone));
        }).ToList();
        await MentoringStore.InsertFollowUpsAsync(scope, next, now, cancellationToken);
        var (keys, parameters) = Keys(rows.Select(r => (r.mentorship_id, r.number)).ToList());
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE follow_ups SET successor_planned = 1 WHERE (mentorship_id, number) IN ({keys})", parameters, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private async Task<int> AlertBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var policy = options.Value.Policy;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var rows = (await scope.Connection.QueryAsync<AlertRow>(new CommandDefinition(
            $"""
            SELECT f.mentorship_id, f.number, f.due_on, f.due_utc_ms, f.next_alert,
                   a.email_normalized AS mentor_email, a.display_name AS mentor_name, b.display_name AS mentee_name
            FROM follow_ups f JOIN mentorships m ON m.id = f.mentorship_id JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.mentee_id
            WHERE f.state = 'pending' AND f.next_alert IS NOT NULL AND f.next_alert_utc_ms <= @now
            ORDER BY f.next_alert_utc_ms
            LIMIT {Batch}{SkipLocked}
            """, new { now = now.ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return 0;
        }

        IReadOnlyList<string>? coordinators = null;
        var baseUrl = mail.Value.PublicBaseUrl.TrimEnd('/');
        var intents = new List<MailIntent>();
        var moves = new List<(AlertRow Row, FollowUpAlert? Next)>();
        foreach (var row in rows)
        {
            var dueAt = DateTimeOffset.FromUnixTimeMilliseconds(row.due_utc_ms);
            var (send, next) = policy.Fire(Alerts.FromWire(row.next_alert), dueAt, now);
            moves.Add((row, next));
            var subject = $"follow-up:{row.mentorship_id}:{row.number}:{row.due_on}";
            var date = DateOnly.ParseExact(row.due_on, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dddd, MMMM d, yyyy", English);
            switch (send)
            {
                case FollowUpAlert.Due or FollowUpAlert.Overdue:
                    intents.Add(new MailIntent(row.mentor_email, send == FollowUpAlert.Due ? MailPurpose.FollowUpDue : MailPurpose.FollowUpOverdue, subject, null, null)
                        { Link = $"{baseUrl}/mentoring", Counterpart = row.mentee_name, Detail = date });
                    break;
                case FollowUpAlert.Escalation:
                    coordinators ??= (await scope.Connection.QueryAsync<string>(new CommandDefinition(
                        "SELECT u.email_normalized FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'coordinator' ORDER BY u.email_normalized",
                        transaction: scope.Transaction, cancellationToken: cancellationToken))).ToList();
                    intents.AddRange(coordinators.Select(c => new MailIntent(c, MailPurpose.FollowUpEscalated, subject, null, null)
                        { Link = $"{baseUrl}/mentoring/{row.mentorship_id}", Counterpart = $"{row.mentor_name} (mentor) with {row.mentee_name}", Detail = date }));
                    break;
            }
        }

        await OutboxWriter.InsertAsync(scope, intents, now, cancellationToken);

        // One UPDATE per next alert: its instant follows from each row's due instant.
        foreach (var group in moves.GroupBy(m => m.Next))
        {
            var (keys, parameters) = Keys(group.Select(m => (m.Row.mentorship_id, m.Row.number)).ToList());
            parameters.Add("now", now.ToUnixTimeMilliseconds());
            var set = "next_alert = NULL, next_alert_utc_ms = NULL";
            if (group.Key is { } next)
            {
                set = "next_alert = @alert, next_alert_utc_ms = due_utc_ms + @offset";
                parameters.Add("alert", Alerts.ToWire(next));
                parameters.Add("offset", (long)(policy.At(next, DateTimeOffset.UnixEpoch) - DateTimeOffset.UnixEpoch).TotalMilliseconds);
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE follow_ups SET {set}, updated_utc_ms = @now WHERE (mentorship_id, number) IN ({keys})",
                parameters, scope.Transaction, cancellationToken: cancellationToken));
        }

        await scope.CommitAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>
    /// The claimed rows' keys for <c>WHERE (mentorship_id, number) IN (…)</c>. PostgreSQL gets two arrays: written out
    /// as pairs, it plans 500 of them as one OR of 500 index scans, which took longer than the rest of a batch
    /// (bench/mentoring-scale.sh). SQLite, which has no arrays and plans the pairs as a list, gets the pairs.
    /// </summary>
    private (string Keys, DynamicParameters Parameters) Keys(IReadOnlyList<(string MentorshipId, long Number)> keys)
    {
        var parameters = new DynamicParameters();
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            parameters.Add("ids", keys.Select(k => k.MentorshipId).ToArray());
            parameters.Add("numbers", keys.Select(k => (int)k.Number).ToArray());
            return ("SELECT * FROM unnest(@ids, @numbers)", parameters);
        }

        var list = new List<string>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            list.Add($"(@k{i}, @n{i})");
            parameters.Add($"k{i}", keys[i].MentorshipId);
            parameters.Add($"n{i}", (int)keys[i].Number);
        }

        return (string.Join(", ", list), parameters);
    }

    private static class Alerts
    {
        public static string ToWire(FollowUpAlert alert) => alert.ToString().ToLowerInvariant();

        public static FollowUpAlert FromWire(string wire) => Enum.Parse<FollowUpAlert>(wire, ignoreCase: true);
    }

    private sealed class PlanRow
    {
        public string mentorship_id { get; set; } = "";
        public long number { get; set; }
        public string mentor_id { get; set; } = "";
        public string mentee_id { get; set; } = "";
        public string assigned_on { get; set; } = "";
        public string mentor_time_zone { get; set; } = "";
        public string status { get; set; } = "";
    }

    private sealed class AlertRow
    {
        public string mentorship_id { get; set; } = "";
        public long number { get; set; }
        public string due_on { get; set; } = "";
        public long due_utc_ms { get; set; }
        public string next_alert { get; set; } = "";
        public string mentor_email { get; set; } = "";
        public string mentor_name { get; set; } = "";
        public string mentee_name { get; set; } = "";
    }
}
