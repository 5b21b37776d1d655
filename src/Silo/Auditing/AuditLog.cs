using Dapper;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Auditing;

/// <summary>One audit entry: who did what to which object, when and from where.</summary>
public sealed record AuditEntry(DateTimeOffset At, Guid? ActorId, string? ActorEmail, string Action, string ObjectType, string? ObjectId, string? FromAddress, string Detail)
{
    /// <summary>
    /// The object's title when the entry was written (a series, session, course or media item; a registrant's name), so
    /// the log reads without looking ids up and still reads after a rename. Null on entries older than titles.
    /// </summary>
    public string? ObjectTitle { get; init; }
}

/// <summary>
/// The append-only audit log of organizer, coordinator and admin actions and of every access to confidential data.
/// The database refuses to change or delete an entry (a trigger on both engines).
/// </summary>
public sealed class AuditLog(LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>Appends an entry in a transaction of its own; <paramref name="title"/> names the object as people know it.</summary>
    public async Task WriteAsync(Guid? actorId, string? actorEmail, string action, string objectType, string? objectId, string? fromAddress, string detail, CancellationToken cancellationToken, string? title = null)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await AppendAsync(scope, new AuditEntry(clock.GetUtcNow(), actorId, actorEmail, action, objectType, objectId, fromAddress, detail) { ObjectTitle = title }, cancellationToken);
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>Appends an entry inside <paramref name="scope"/>: it commits, or not, with the change it describes.</summary>
    public static Task AppendAsync(WriteScope scope, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(entry);
        return scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (id, at_utc_ms, actor_id, actor_email, action, object_type, object_id, object_title, from_address, detail)
            VALUES (@id, @at, @actorId, @actorEmail, @action, @objectType, @objectId, @objectTitle, @fromAddress, @detail)
            """,
            new
            {
                id = Guid.CreateVersion7(entry.At).ToString(), at = entry.At.ToUnixTimeMilliseconds(), actorId = entry.ActorId?.ToString(),
                actorEmail = entry.ActorEmail, action = entry.Action, objectType = entry.ObjectType, objectId = entry.ObjectId, objectTitle = entry.ObjectTitle,
                fromAddress = entry.FromAddress, detail = entry.Detail,
            }, scope.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The latest entries, newest first, optionally filtered by action or actor email (substring).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? action, string? actor, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT at_utc_ms, actor_id, actor_email, action, object_type, object_id, object_title, from_address, detail FROM audit_log
            WHERE (@action IS NULL OR action = @action) AND (@actor IS NULL OR actor_email LIKE @actor)
            ORDER BY at_utc_ms DESC, id DESC LIMIT @limit
            """,
            new { action = string.IsNullOrWhiteSpace(action) ? null : action, actor = string.IsNullOrWhiteSpace(actor) ? null : $"%{actor.Trim()}%", limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.at_utc_ms), r.actor_id is null ? null : Guid.Parse(r.actor_id),
            r.actor_email, r.action, r.object_type, r.object_id, r.from_address, r.detail) { ObjectTitle = r.object_title }).ToList();
    }

    private sealed class Row
    {
        public long at_utc_ms { get; set; }
        public string? actor_id { get; set; }
        public string? actor_email { get; set; }
        public string action { get; set; } = "";
        public string object_type { get; set; } = "";
        public string? object_id { get; set; }
        public string? object_title { get; set; }
        public string? from_address { get; set; }
        public string detail { get; set; } = "";
    }
}
