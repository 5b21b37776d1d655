using Dapper;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Privacy;

/// <summary>One line of a retention run: how many rows of a data class were past their period (and removed, unless a dry run).</summary>
public sealed record RetentionLine(string DataClass, string What, DateTimeOffset Before, int Count);

/// <summary>What a retention run found and (unless <see cref="DryRun"/>) removed.</summary>
public sealed record RetentionReport(bool DryRun, IReadOnlyList<RetentionLine> Lines);

/// <summary>
/// Applies the retention periods (<see cref="RetentionOptions"/>): each class of personal data past its period is
/// removed or anonymized, in one transaction with an audit entry of the counts. Fired daily by Hangfire and by the
/// operator's <c>retention run</c>; a dry run counts the same rows and changes nothing. What others rely on stays:
/// registrations keep status and order under a placeholder (seats and attendance figures add up), evaluations keep
/// their ratings, follow-ups their dates.
/// </summary>
public sealed class RetentionRun(LearnHubDatabase database, LearnHubClock clock, IOptions<RetentionOptions> options, SessionDirectory sessions, IGrainFactory grains)
{
    private sealed record Rule(string DataClass, string What, int Days, string Count, string Apply);

    /// <summary>Runs the retention periods; with <paramref name="dryRun"/> only counts.</summary>
    public async Task<RetentionReport> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        const string PastSessions = "session_id IN (SELECT id FROM sessions WHERE ends_utc_ms < @cutoff)";
        Rule[] rules =
        [
            new("registrations and attendance", "registrations", settings.RegistrationsAndAttendanceDays,
                $"SELECT COUNT(*) FROM registrations WHERE {PastSessions} AND email_normalized NOT LIKE '%@{SqlSessionStore.ErasedDomain}'", ""),
            // Mail about those registrations, whatever its state: a message about a session that long over is worth nothing now.
            new("registrations and attendance", "mail about them", settings.RegistrationsAndAttendanceDays,
                $"SELECT COUNT(*) FROM outbox_messages WHERE registration_id IN (SELECT id FROM registrations WHERE {PastSessions})",
                $"DELETE FROM outbox_messages WHERE registration_id IN (SELECT id FROM registrations WHERE {PastSessions})"),
            new("registrations and attendance", "imported participant reports", settings.RegistrationsAndAttendanceDays,
                $"SELECT COUNT(*) FROM attendance_imports WHERE {PastSessions}", $"DELETE FROM attendance_imports WHERE {PastSessions}"),
            new("registrations and attendance", "attendance correction reasons", settings.RegistrationsAndAttendanceDays,
                $"SELECT COUNT(*) FROM attendance_changes WHERE {PastSessions} AND reason <> ''", $"UPDATE attendance_changes SET reason = '' WHERE {PastSessions} AND reason <> ''"),
            // What people played of a recording, last reported that long ago: the figures of a recording nobody
            // watches any more (a registration's rows go with the registration's personal data).
            new("registrations and attendance", "watch progress on recordings", settings.RegistrationsAndAttendanceDays,
                "SELECT COUNT(*) FROM recording_views WHERE updated_utc_ms < @cutoff", "DELETE FROM recording_views WHERE updated_utc_ms < @cutoff"),
            // What registrants brought to an exchange long over: free text about their practice, kept no longer than the
            // registration's personal data.
            new("registrations and attendance", "Learning Exchange questions and cases", settings.RegistrationsAndAttendanceDays,
                $"SELECT COUNT(*) FROM exchange_preparations WHERE {PastSessions}", $"DELETE FROM exchange_preparations WHERE {PastSessions}"),
            new("evaluation free text", "evaluation answers", settings.EvaluationFreeTextDays,
                "SELECT COUNT(*) FROM evaluation_responses WHERE submitted_utc_ms < @cutoff AND (most_useful <> '' OR suggestions <> '')",
                "UPDATE evaluation_responses SET most_useful = '', suggestions = '' WHERE submitted_utc_ms < @cutoff AND (most_useful <> '' OR suggestions <> '')"),
            new("mentoring notes", "follow-up notes", settings.MentoringNotesDays,
                "SELECT COUNT(*) FROM follow_up_logs WHERE logged_utc_ms < @cutoff AND (notes <> '' OR next_steps <> '')",
                "UPDATE follow_up_logs SET notes = '', next_steps = '' WHERE logged_utc_ms < @cutoff AND (notes <> '' OR next_steps <> '')"),
            new("outbox", "delivered or abandoned mail", settings.OutboxDays,
                "SELECT COUNT(*) FROM outbox_messages WHERE created_utc_ms < @cutoff AND status <> 'queued'",
                "DELETE FROM outbox_messages WHERE created_utc_ms < @cutoff AND status <> 'queued'"),
            new("audit log", "audit entries", settings.AuditLogDays,
                "SELECT COUNT(*) FROM audit_log WHERE at_utc_ms < @cutoff", "DELETE FROM audit_log WHERE at_utc_ms < @cutoff"),
        ];

        var lines = new List<RetentionLine>();
        var touched = new List<Guid>();
        var learners = new List<string>();
        await using (var scope = await database.BeginWriteAsync(cancellationToken))
        {
            await scope.Connection.ExecuteAsync(Command(scope, "INSERT INTO audit_maintenance (id, reason) VALUES (1, 'retention')"));
            foreach (var rule in rules)
            {
                var cutoff = now.AddDays(-rule.Days);
                var parameters = new { cutoff = cutoff.ToUnixTimeMilliseconds() };
                var count = await scope.Connection.ExecuteScalarAsync<long>(Command(scope, rule.Count, parameters));
                lines.Add(new RetentionLine(rule.DataClass, rule.What, cutoff, (int)count));
                if (dryRun || count == 0)
                {
                    continue;
                }

                if (rule.Apply.Length == 0)
                {
                    learners.AddRange(await scope.Connection.QueryAsync<string>(Command(scope,
                        $"SELECT DISTINCT email_normalized FROM registrations WHERE {PastSessions} AND email_normalized NOT LIKE '%@{SqlSessionStore.ErasedDomain}'", parameters)));
                    touched.AddRange(await SqlSessionStore.AnonymizeRegistrationsAsync(scope, PastSessions, parameters, cancellationToken));
                }
                else
                {
                    await scope.Connection.ExecuteAsync(Command(scope, rule.Apply, parameters));
                }
            }

            await scope.Connection.ExecuteAsync(Command(scope, "DELETE FROM audit_maintenance"));
            if (dryRun)
            {
                // Nothing is committed: the maintenance row goes with the rest.
                return new RetentionReport(true, lines);
            }

            await AuditLog.AppendAsync(scope, new AuditEntry(now, null, "retention", "retention.run", "retention", null, null,
                string.Join("; ", lines.Select(l => $"{l.What}: {l.Count}"))), cancellationToken);
            await scope.CommitAsync(cancellationToken);
        }

        foreach (var session in touched)
        {
            await sessions.RefreshAsync(session, cancellationToken);
        }

        await ForgetLearnersWithNothingLeftAsync(learners, cancellationToken);
        return new RetentionReport(false, lines);

        CommandDefinition Command(WriteScope scope, string sql, object? parameters = null) =>
            new(sql, parameters, scope.Transaction, cancellationToken: cancellationToken);
    }

    // A learner whose every registration is now anonymous, and who has no account, is known to LearnHub only by the
    // learner grain's state (preferred zone, feed-token version) under their email: that goes too.
    private async Task ForgetLearnersWithNothingLeftAsync(IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        // One connection for the whole list: a run after a long gap may name thousands of people.
        var forgotten = new List<string>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            foreach (var email in emails)
            {
                var remaining = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT (SELECT COUNT(*) FROM registrations WHERE email_normalized = @email) + (SELECT COUNT(*) FROM users WHERE email_normalized = @email)",
                    new { email }, cancellationToken: cancellationToken));
                if (remaining == 0)
                {
                    forgotten.Add(email);
                }
            }
        }

        foreach (var email in forgotten)
        {
            await grains.GetGrain<ILearnerGrain>(email).ForgetAsync();
        }
    }
}
