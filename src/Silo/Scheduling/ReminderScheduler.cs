using Dapper;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo.Scheduling;

/// <summary>What a firing of the reminder job did.</summary>
public sealed record ReminderRun(int Fired, int Skipped, int MessagesQueued);

/// <summary>
/// Fires due reminders. A reminder is data (a session, a lead time, a due instant, a state); Hangfire only decides
/// when to look. Firing a reminder queues one outbox row per confirmed registrant in a single INSERT … SELECT, in the
/// same transaction that marks it fired, and the rows' idempotency keys make a second firing queue nothing.
/// Misfire policy: a reminder whose due time passed while no silo ran is sent late if the session has not begun, and
/// skipped if it has (or if the session was cancelled).
/// </summary>
public sealed class ReminderScheduler(LearnHubDatabase database, LearnHubClock clock, ILogger<ReminderScheduler> logger)
{
    private const int Batch = 50;

    /// <summary>The Hangfire job: fires every due reminder.</summary>
    public async Task<ReminderRun> FireDueAsync(CancellationToken cancellationToken)
    {
        var total = new ReminderRun(0, 0, 0);
        while (true)
        {
            var run = await FireBatchAsync(cancellationToken);
            total = new ReminderRun(total.Fired + run.Fired, total.Skipped + run.Skipped, total.MessagesQueued + run.MessagesQueued);
            if (run.Fired + run.Skipped < Batch)
            {
                if (total.Fired + total.Skipped > 0)
                {
                    logger.LogInformation("Reminders: {Fired} fired, {Skipped} skipped, {Queued} messages queued", total.Fired, total.Skipped, total.MessagesQueued);
                }

                return total;
            }
        }
    }

    private async Task<ReminderRun> FireBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var skipLocked = database.Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE OF r SKIP LOCKED" : "";
        var due = (await scope.Connection.QueryAsync<DueRow>(new CommandDefinition(
            $"""
            SELECT r.session_id, r.offset_minutes, s.starts_utc_ms, s.status, s.invite_sequence
            FROM session_reminders r JOIN sessions s ON s.id = r.session_id
            WHERE r.state = 'pending' AND r.due_utc_ms <= @now
            ORDER BY r.due_utc_ms
            LIMIT {Batch}{skipLocked}
            """, new { now }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        int fired = 0, skipped = 0, queued = 0;
        foreach (var reminder in due)
        {
            var late = now >= reminder.starts_utc_ms || reminder.status != "scheduled";
            if (!late)
            {
                queued += await scope.Connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO outbox_messages (id, idempotency_key, message_id, recipient, purpose, subject_ref, session_id, registration_id, data,
                                                 next_attempt_utc_ms, created_utc_ms)
                    SELECT 'reminder-' || @subject || '-' || g.id,
                           g.email_normalized || '|reminder|' || @subject,
                           'r' || @offset || '.' || @version || '.' || g.id,
                           g.email_normalized, 'reminder', @subject, g.session_id, g.id,
                           '{"reminderOffsetMinutes":' || @offset || '}', @now, @now
                    FROM registrations g
                    WHERE g.session_id = @session AND g.status = 'confirmed'
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """,
                    new
                    {
                        offset = reminder.offset_minutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        version = reminder.invite_sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        // The invite sequence is part of the subject: after a move, the reminders for the new time are new mail.
                        subject = $"session:{reminder.session_id}:reminder:{reminder.offset_minutes}:v{reminder.invite_sequence}",
                        session = reminder.session_id,
                        now,
                    },
                    scope.Transaction, cancellationToken: cancellationToken));
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE session_reminders SET state = @state, fired_utc_ms = @now WHERE session_id = @session AND offset_minutes = @offset",
                new { state = late ? "skipped" : "fired", now, session = reminder.session_id, offset = reminder.offset_minutes },
                scope.Transaction, cancellationToken: cancellationToken));
            if (late)
            {
                skipped++;
            }
            else
            {
                fired++;
            }
        }

        await scope.CommitAsync(cancellationToken);
        return new ReminderRun(fired, skipped, queued);
    }

    private sealed class DueRow
    {
        public string session_id { get; set; } = "";
        public long offset_minutes { get; set; }
        public long starts_utc_ms { get; set; }
        public string status { get; set; } = "";
        public long invite_sequence { get; set; }
    }
}
