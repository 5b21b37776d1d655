using System.Text.Json;
using Dapper;
using LearnHub.Grains.Certificates;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Silo.Certificates;

/// <summary>
/// The rows of <c>knowledge_checks</c> and <c>knowledge_check_attempts</c> (migration 0065); only the knowledge check
/// grains write them, through this store.
/// </summary>
public sealed class SqlKnowledgeCheckStore(LearnHubDatabase database, IEnumerable<ITrainingRecordObserver> observers) : IKnowledgeCheckStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public async Task<KnowledgeCheck?> LoadAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string questions, long pass_percent, long max_attempts, long updated_utc_ms)?>(new CommandDefinition(
            "SELECT questions, pass_percent, max_attempts, updated_utc_ms FROM knowledge_checks WHERE session_id = @session",
            new { session = sessionId.ToString() }, cancellationToken: cancellationToken));
        return row is { } r
            ? new KnowledgeCheck(sessionId, JsonSerializer.Deserialize<List<CheckQuestion>>(r.questions, Json) ?? [], (int)r.pass_percent, (int)r.max_attempts,
                DateTimeOffset.FromUnixTimeMilliseconds(r.updated_utc_ms))
            : null;
    }

    /// <inheritdoc />
    public async Task<bool> SaveAsync(Guid sessionId, KnowledgeCheckDraft draft, Guid? actorId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var title = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT title FROM sessions WHERE id = @session", new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (title is null)
        {
            return false;
        }

        var questions = draft.Questions.Select(q => q with { Prompt = q.Prompt.Trim(), Options = q.Options.Select(o => o.Trim()).ToList() }).ToList();
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO knowledge_checks (session_id, pass_percent, max_attempts, questions, updated_utc_ms) VALUES (@session, @pass, @attempts, @questions, @at)
            ON CONFLICT (session_id) DO UPDATE SET pass_percent = excluded.pass_percent, max_attempts = excluded.max_attempts,
                questions = excluded.questions, updated_utc_ms = excluded.updated_utc_ms
            """,
            new
            {
                session = sessionId.ToString(), pass = draft.PassPercent, attempts = draft.MaxAttempts, questions = JsonSerializer.Serialize(questions, Json),
                at = at.ToUnixTimeMilliseconds(),
            }, scope.Transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(scope, new AuditEntry(at, actorId, null, "knowledge-check.saved", "session", sessionId.ToString(), null,
            $"Knowledge check of {questions.Count} questions, pass mark {draft.PassPercent}%, {draft.MaxAttempts} attempt(s).") { ObjectTitle = title }, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task RemoveAsync(Guid sessionId, Guid? actorId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var removed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM knowledge_checks WHERE session_id = @session", new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (removed > 0)
        {
            await AuditLog.AppendAsync(scope, new AuditEntry(at, actorId, null, "knowledge-check.removed", "session", sessionId.ToString(), null,
                "Knowledge check removed; attempts already made are kept."), cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckAttempt>> AttemptsAsync(Guid registrationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long attempt, string answers, long score_percent, long passed, long submitted_utc_ms)>(new CommandDefinition(
            "SELECT attempt, answers, score_percent, passed, submitted_utc_ms FROM knowledge_check_attempts WHERE registration_id = @registration ORDER BY attempt",
            new { registration = registrationId.ToString() }, cancellationToken: cancellationToken));
        return rows.Select(r => new CheckAttempt(registrationId, (int)r.attempt, JsonSerializer.Deserialize<Dictionary<string, int>>(r.answers) ?? [],
            (int)r.score_percent, r.passed == 1, DateTimeOffset.FromUnixTimeMilliseconds(r.submitted_utc_ms))).ToList();
    }

    /// <inheritdoc />
    public async Task<bool> AddAttemptAsync(Guid sessionId, CheckAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var inserted = await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO knowledge_check_attempts (registration_id, attempt, session_id, answers, score_percent, passed, submitted_utc_ms)
            VALUES (@registration, @attempt, @session, @answers, @score, @passed, @at)
            ON CONFLICT (registration_id, attempt) DO NOTHING
            """,
            new
            {
                registration = attempt.RegistrationId.ToString(), attempt = attempt.Attempt, session = sessionId.ToString(),
                answers = JsonSerializer.Serialize(attempt.Answers), score = attempt.ScorePercent, passed = attempt.Passed ? 1 : 0,
                at = attempt.SubmittedAt.ToUnixTimeMilliseconds(),
            }, scope.Transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        if (attempt.Passed)
        {
            // The pass may be the last fact self-study credit waited for: its certificate is issued in this transaction.
            var change = new TrainingRecordChange(sessionId, [attempt.RegistrationId], null, attempt.SubmittedAt);
            foreach (var observer in observers)
            {
                await observer.TrainingRecordChangedAsync(scope, change, cancellationToken);
            }
        }

        await scope.CommitAsync(cancellationToken);
        return true;
    }
}
