using System.Text.Json;
using Dapper;
using LearnHub.Grains.Media;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Media;

/// <summary>The rows of <c>recording_views</c> (migration 0064); only the view grains write them, through this store.</summary>
public sealed class SqlRecordingViewStore(LearnHubDatabase database) : IRecordingViewStore
{
    /// <inheritdoc />
    public async Task<StoredView?> LoadAsync(Guid mediaId, Watcher watcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string spans, long position_ms, long updated_utc_ms)?>(new CommandDefinition(
            "SELECT spans, position_ms, updated_utc_ms FROM recording_views WHERE media_id = @media AND viewer = @viewer",
            new { media = mediaId.ToString(), viewer = watcher.Key }, cancellationToken: cancellationToken));
        return row is { } r
            ? new StoredView(ParseSpans(r.spans), r.position_ms / 1000.0, DateTimeOffset.FromUnixTimeMilliseconds(r.updated_utc_ms))
            : null;
    }

    /// <inheritdoc />
    public async Task SaveAsync(Guid mediaId, Watcher watcher, WatchProgress progress, double length, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(progress);
        await using var connection = await database.OpenAsync(cancellationToken);
        // An upsert that never lowers what is covered: a second activation of the same view during a membership change,
        // holding older progress, cannot undo the first one's write.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recording_views (media_id, viewer, registration_id, email, spans, covered_ms, position_ms, length_ms, first_utc_ms, updated_utc_ms)
            VALUES (@media, @viewer, @registration, @email, @spans, @covered, @position, @length, @now, @now)
            ON CONFLICT (media_id, viewer) DO UPDATE SET spans = excluded.spans, covered_ms = excluded.covered_ms, position_ms = excluded.position_ms,
                length_ms = excluded.length_ms, updated_utc_ms = excluded.updated_utc_ms
            WHERE recording_views.covered_ms <= excluded.covered_ms
            """,
            new
            {
                media = mediaId.ToString(), viewer = watcher.Key, registration = watcher.RegistrationId?.ToString(), email = watcher.NormalizedEmail,
                spans = JsonSerializer.Serialize(progress.Spans.Select(s => new[] { Math.Round(s.From, 3), Math.Round(s.To, 3) })),
                covered = (long)Math.Round(progress.Covered * 1000), position = (long)Math.Round(progress.Position * 1000),
                length = Math.Max(1, (long)Math.Round(length * 1000)), now = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>The spans of a stored view (JSON [[from, to], ...]).</summary>
    internal static List<PlayedSpan> ParseSpans(string json) =>
        [.. (JsonSerializer.Deserialize<double[][]>(json) ?? []).Where(p => p.Length == 2).Select(p => new PlayedSpan(p[0], p[1]))];
}
