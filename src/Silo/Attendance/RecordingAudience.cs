using Dapper;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Attendance;

/// <summary>Who of a session's registrants attended, for the "recording ready" / "you missed it" split.</summary>
internal static class RecordingAudience
{
    /// <summary>
    /// The registrations recorded as attended, inside the caller's transaction; null when the session has no attendance
    /// recorded at all (then nobody can be said to have missed it).
    /// </summary>
    public static async Task<IReadOnlySet<Guid>?> AttendeesAsync(WriteScope scope, Guid sessionId, CancellationToken cancellationToken)
    {
        var rows = (await scope.Connection.QueryAsync<(string registration_id, long attended)>(new CommandDefinition(
            "SELECT registration_id, attended FROM attendance WHERE session_id = @id", new { id = sessionId.ToString() },
            scope.Transaction, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0 ? null : rows.Where(r => r.attended == 1).Select(r => Guid.Parse(r.registration_id)).ToHashSet();
    }
}
