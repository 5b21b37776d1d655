using System.Data.Common;
using Dapper;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Privacy;

/// <summary>How an erasure ended.</summary>
public enum ErasureOutcome
{
    /// <summary>Everything about the person was removed or anonymized.</summary>
    Erased,

    /// <summary>LearnHub holds nothing under that email; nothing changed.</summary>
    NothingHeld,

    /// <summary>The request was refused before anything changed (see the problem).</summary>
    Refused,
}

/// <summary>What an erasure did: counts per kind of record, for the operator and the audit entry.</summary>
public sealed record ErasureResult(ErasureOutcome Outcome, string? Problem, IReadOnlyDictionary<string, int> Counts, Guid? ErasureId)
{
    /// <summary>A refusal that changed nothing.</summary>
    public static ErasureResult Refused(string problem) => new(ErasureOutcome.Refused, problem, new Dictionary<string, int>(), null);
}

/// <summary>
/// Erases a person on request. Their seats in sessions still to come are given up first, through the session grains
/// (so the waitlist moves up as on any cancellation); then one transaction removes or anonymizes everything else:
/// registrations keep their status and order under a placeholder (counts, waitlists and attendance figures still add
/// up), named evaluation answers become anonymous ones, certificates are anonymized and, by
/// <c>LearnHub:Retention:ErasedCertificates</c>, revoked or kept, the account is emptied (mentorships of others keep
/// their shape), notes about them as a mentee are blanked, their mail and sign-in rows are deleted, their email and
/// name are taken out of the audit log, and one audit entry records the erasure without the email. After the commit,
/// the learner grain deletes its state and the session grains read their rosters again, so no silo shows the person
/// from memory.
/// </summary>
public sealed class PersonErasure(LearnHubDatabase database, LearnHubClock clock, IGrainFactory grains, SessionDirectory sessions, IOptions<RetentionOptions> retention)
{
    private const string Placeholder = "[erased]";

    /// <summary>Erases everything held about <paramref name="email"/>; refuses without a reason.</summary>
    public async Task<ErasureResult> EraseAsync(string email, string? reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ErasureResult.Refused("Give the reason for the erasure (e.g. \"request of 2026-12-01 by email\"); it goes into the audit log.");
        }

        var normalized = Applicant.NormalizeEmail(email);
        if (normalized.Length == 0 || normalized.EndsWith("@" + SqlSessionStore.ErasedDomain, StringComparison.Ordinal))
        {
            return ErasureResult.Refused("Give the email address of the person to erase.");
        }

        await GiveUpComingSeatsAsync(normalized, cancellationToken);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var erasureId = Guid.CreateVersion7(clock.GetUtcNow());
        IReadOnlyList<Guid> touchedSessions;
        DbTransaction? transaction = null;
        await using (var scope = await database.BeginWriteAsync(cancellationToken))
        {
            transaction = scope.Transaction;
            var connection = scope.Connection;
            var person = new { email = normalized };
            var userId = await connection.ExecuteScalarAsync<string?>(Command("SELECT id FROM users WHERE email_normalized = @email", person));
            var registrationIds = (await connection.QueryAsync<string>(Command("SELECT id FROM registrations WHERE email_normalized = @email", person))).ToList();
            // Every spelling of the person that free text (an imported report, a mail's data, an audit detail) may carry.
            var spellings = (await connection.QueryAsync<string>(Command(
                    """
                    SELECT email FROM registrations WHERE email_normalized = @email UNION SELECT name FROM registrations WHERE email_normalized = @email
                    UNION SELECT email FROM users WHERE email_normalized = @email UNION SELECT display_name FROM users WHERE email_normalized = @email
                    UNION SELECT person_name FROM certificates WHERE email_normalized = @email
                    """, person)))
                .Append(normalized).Where(s => s.Trim().Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToList();
            var certificates = await connection.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM certificates WHERE email_normalized = @email", person));
            if (userId is null && registrationIds.Count == 0 && certificates == 0)
            {
                return new ErasureResult(ErasureOutcome.NothingHeld, null, counts, null);
            }

            await connection.ExecuteAsync(Command("INSERT INTO audit_maintenance (id, reason) VALUES (1, 'erasure')"));
            var (registrations, registrationParameters) = SqlLists.Parameters("r", registrationIds);
            registrationParameters.Add("email", normalized);
            registrationParameters.Add("userId", userId ?? "");
            registrationParameters.Add("now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            var mine = registrationIds.Count == 0 ? "NULL" : registrations;

            counts["outbox"] = await connection.ExecuteAsync(Command(
                $"DELETE FROM outbox_messages WHERE LOWER(recipient) = @email OR registration_id IN ({mine})"
                + string.Concat(spellings.Select((_, i) => $" OR data LIKE @like{i}")),
                WithSpellings(registrationParameters, spellings)));
            // What they watched of recordings goes with them (a view row names their registration or their email).
            counts["recording views"] = await connection.ExecuteAsync(Command(
                $"DELETE FROM recording_views WHERE email = @email OR registration_id IN ({mine})", registrationParameters));
            // What they brought to a Learning Exchange, and their answers to knowledge checks, are theirs too.
            counts["exchange preparations"] = await connection.ExecuteAsync(Command(
                $"DELETE FROM exchange_preparations WHERE registration_id IN ({mine})", registrationParameters));
            counts["knowledge check attempts"] = await connection.ExecuteAsync(Command(
                $"DELETE FROM knowledge_check_attempts WHERE registration_id IN ({mine})", registrationParameters));
            counts["evaluations made anonymous"] = await connection.ExecuteAsync(Command(
                $"UPDATE evaluation_responses SET registration_id = NULL WHERE registration_id IN ({mine})", registrationParameters));
            var keep = retention.Value.ErasedCertificates == ErasedCertificatePolicy.Keep;
            counts["certificates"] = await connection.ExecuteAsync(Command(
                $"""
                UPDATE certificates SET email_normalized = 'erased-' || id || '@{SqlSessionStore.ErasedDomain}', person_name = '{SqlSessionStore.ErasedName}'
                {(keep ? "" : ", revoked_utc_ms = COALESCE(revoked_utc_ms, @now), revoked_reason = COALESCE(revoked_reason, 'erased on request')")}
                WHERE email_normalized = @email
                """, registrationParameters));
            touchedSessions = await SqlSessionStore.AnonymizeRegistrationsAsync(scope, "email_normalized = @email", person, cancellationToken);
            counts["registrations"] = registrationIds.Count;

            counts["sign-in rows"] = await connection.ExecuteAsync(Command(
                "DELETE FROM sign_in_throttle WHERE kind = 'email' AND LOWER(subject) = @email", registrationParameters));
            if (userId is not null)
            {
                counts["sign-in rows"] += await connection.ExecuteAsync(Command("DELETE FROM sign_in_sessions WHERE user_id = @userId", registrationParameters))
                    + await connection.ExecuteAsync(Command("DELETE FROM account_links WHERE user_id = @userId", registrationParameters));
                await connection.ExecuteAsync(Command("DELETE FROM user_roles WHERE user_id = @userId", registrationParameters));
                await connection.ExecuteAsync(Command("DELETE FROM mentor_profiles WHERE user_id = @userId", registrationParameters));
                // The row stays (mentorships, attendance and imports name it by id) but holds nothing of the person.
                await connection.ExecuteAsync(Command(
                    $"""
                    UPDATE users SET email = 'erased-' || id || '@{SqlSessionStore.ErasedDomain}', email_normalized = 'erased-' || id || '@{SqlSessionStore.ErasedDomain}',
                                     display_name = '{SqlSessionStore.ErasedName}', password_hash = NULL
                    WHERE id = @userId
                    """, registrationParameters));
                counts["account"] = 1;
                counts["mentoring notes"] = await connection.ExecuteAsync(Command(
                    $"""
                    UPDATE follow_up_logs SET topics = '{Placeholder}', notes = '{Placeholder}', next_steps = '{Placeholder}'
                    WHERE mentorship_id IN (SELECT id FROM mentorships WHERE mentee_id = @userId)
                    """, registrationParameters));
            }

            // Free text that may name the person: the audit log (whose actor email goes too, and whose titles name a
            // registrant acted on), imported participant reports and attendance corrections. Replaced in place, so the
            // entries keep what others rely on.
            await connection.ExecuteAsync(Command("UPDATE audit_log SET actor_email = NULL WHERE LOWER(actor_email) = @email", registrationParameters));
            foreach (var (table, column) in new[] { ("audit_log", "detail"), ("audit_log", "object_title"), ("attendance_imports", "report_json"), ("attendance_changes", "reason") })
            {
                for (var i = 0; i < spellings.Count; i++)
                {
                    var parameters = WithSpellings(registrationParameters, spellings);
                    parameters.Add("placeholder", table == "attendance_imports" ? SqlSessionStore.ErasedName : Placeholder);
                    await connection.ExecuteAsync(Command($"UPDATE {table} SET {column} = REPLACE({column}, @spelling{i}, @placeholder) WHERE {column} LIKE @like{i}", parameters));
                }
            }

            await connection.ExecuteAsync(Command("DELETE FROM audit_maintenance"));
            var detail = string.Join("; ", counts.Where(c => c.Value > 0).Select(c => $"{c.Key}: {c.Value}"));
            await AuditLog.AppendAsync(scope, new AuditEntry(clock.GetUtcNow(), null, actor, "person.erased", "person", erasureId.ToString(), null,
                $"reason: {Scrub(reason.Trim(), spellings)}; {detail}"), cancellationToken);
            await scope.CommitAsync(cancellationToken);
        }

        await grains.GetGrain<ILearnerGrain>(normalized).ForgetAsync();
        foreach (var session in touchedSessions)
        {
            await sessions.RefreshAsync(session, cancellationToken);
        }

        return new ErasureResult(ErasureOutcome.Erased, null, counts, erasureId);

        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: cancellationToken);
    }

    // A registration whose session is still to come would hold a seat (or a waitlist place) for nobody: it is cancelled
    // by its session's grain, which moves the waitlist up and tells the catalog, exactly as when the person cancels.
    private async Task GiveUpComingSeatsAsync(string normalized, CancellationToken cancellationToken)
    {
        List<(string id, string session_id)> live;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            live = (await connection.QueryAsync<(string id, string session_id)>(new CommandDefinition(
                """
                SELECT r.id, r.session_id FROM registrations r JOIN sessions s ON s.id = r.session_id
                WHERE r.email_normalized = @email AND r.status <> 'cancelled' AND s.ends_utc_ms > @now
                """, new { email = normalized, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken))).ToList();
        }

        foreach (var (id, session) in live)
        {
            await sessions.RunAsync(Guid.Parse(session), g => g.CancelAsync(Guid.Parse(id), cancellationToken), new CancelResult(CancelOutcome.NotFound, null), cancellationToken);
        }
    }

    private static DynamicParameters WithSpellings(DynamicParameters parameters, IReadOnlyList<string> spellings)
    {
        var all = new DynamicParameters(parameters);
        for (var i = 0; i < spellings.Count; i++)
        {
            all.Add($"spelling{i}", spellings[i]);
            all.Add($"like{i}", $"%{spellings[i]}%");
        }

        return all;
    }

    private static string Scrub(string text, IEnumerable<string> spellings) =>
        spellings.Aggregate(text, (current, spelling) => current.Replace(spelling, Placeholder, StringComparison.OrdinalIgnoreCase));
}
