using Dapper;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Messaging;

/// <summary>One outbox row as admins see it.</summary>
public sealed record OutboxRow(string Id, string Recipient, string Purpose, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError);

/// <summary>The admins' view of the outbox: what is queued, sent and failed, and a retry for failed messages.</summary>
public sealed class OutboxAdmin(LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>Counts by status.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string status, long count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM outbox_messages GROUP BY status", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.status, r => r.count);
    }

    /// <summary>The latest rows with a status (or all), newest first.</summary>
    public async Task<IReadOnlyList<OutboxRow>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, recipient, purpose, status, attempts, created_utc_ms, sent_utc_ms, last_error FROM outbox_messages
            WHERE @status IS NULL OR status = @status ORDER BY created_utc_ms DESC, id DESC LIMIT @limit
            """, new { status = string.IsNullOrWhiteSpace(status) ? null : status, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new OutboxRow(r.id, r.recipient, r.purpose, r.status, (int)r.attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.created_utc_ms),
            r.sent_utc_ms is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null, r.last_error)).ToList();
    }

    /// <summary>Queues a failed message again with a fresh set of attempts; false when it is not (or no longer) failed.</summary>
    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET status = 'queued', attempts = 0, next_attempt_utc_ms = @now, lease_until_utc_ms = NULL WHERE id = @id AND status = 'failed'",
            new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return changed == 1;
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string recipient { get; set; } = "";
        public string purpose { get; set; } = "";
        public string status { get; set; } = "";
        public long attempts { get; set; }
        public long created_utc_ms { get; set; }
        public long? sent_utc_ms { get; set; }
        public string? last_error { get; set; }
    }
}
