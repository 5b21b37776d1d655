using System.Text.Json;
using Dapper;
using LearnHub.Grains.Media;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Media;

/// <summary>The rows of <c>recording_views</c> (migration 0064); only the view grains write them, through this store.</summary>
public sealed class SqlRecordingViewStore(LearnHubDatabase database, IEnumerable<Training.ITrainingRecordObserver> observers) : IRecordingViewStore
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
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // An upsert that never lowers what is covered: a second activation of the same view during a membership change,
        // holding older progress, cannot undo the first one's write.
        var covered = (long)Math.Round(progress.Covered * 1000);
        var lengthMs = Math.Max(1, (long)Math.Round(length * 1000));
        // Erasure wins: a view grain still holding an erased person's progress in memory (written behind, or on
        // deactivation) writes nothing once their registration is anonymized or their account is gone.
        var stillTheirs = watcher.RegistrationId is not null
            ? $"EXISTS (SELECT 1 FROM registrations WHERE id = @registration AND email_normalized NOT LIKE '%@{Sessions.SqlSessionStore.ErasedDomain}')"
            : "EXISTS (SELECT 1 FROM users WHERE email_normalized = @email)";
        // The upsert returns a row only when it wrote, and with it the recording's session when this write may complete
        // self-study credit (see SelfStudySession; only a registrant can earn it): one round trip rather than two, for
        // the write a player causes every minute.
        var returned = await scope.Connection.QueryAsync<string?>(new CommandDefinition(
            $"""
            INSERT INTO recording_views (media_id, viewer, registration_id, email, spans, covered_ms, position_ms, length_ms, first_utc_ms, updated_utc_ms)
            SELECT @media, @viewer, @registration, @email, @spans, @covered, @position, @length, @now, @now WHERE {stillTheirs}
            ON CONFLICT (media_id, viewer) DO UPDATE SET spans = excluded.spans, covered_ms = excluded.covered_ms, position_ms = excluded.position_ms,
                length_ms = excluded.length_ms, updated_utc_ms = excluded.updated_utc_ms
            WHERE recording_views.covered_ms <= excluded.covered_ms
            RETURNING ({(watcher.RegistrationId is null ? "NULL" : SelfStudySession)})
            """,
            new
            {
                media = mediaId.ToString(), viewer = watcher.Key, registration = watcher.RegistrationId?.ToString(), email = watcher.NormalizedEmail,
                spans = JsonSerializer.Serialize(progress.Spans.Select(s => new[] { Math.Round(s.From, 3), Math.Round(s.To, 3) })),
                covered, position = (long)Math.Round(progress.Position * 1000), length = lengthMs, now = now.ToUnixTimeMilliseconds(),
            },
            scope.Transaction, cancellationToken: cancellationToken));
        if (returned.SingleOrDefault() is { } sessionId && watcher.RegistrationId is { } registration)
        {
            // The share played may be the last fact self-study credit waited for: its certificate is issued in this
            // transaction, through the same observers as a live one.
            var change = new Training.TrainingRecordChange(Guid.Parse(sessionId), [registration], null, now);
            foreach (var observer in observers)
            {
                await observer.TrainingRecordChangedAsync(scope, change, cancellationToken);
            }
        }

        await scope.CommitAsync(cancellationToken);
    }

    // The recording's session when this write may complete self-study credit (null otherwise): the series grants it,
    // the share reaches its threshold, and the person holds no certificate of the session yet. A cheap filter, so the
    // observers (which lock the session row) run only for people who may earn credit rather than once a minute for every
    // viewer. Whether the knowledge check is passed is left to the observers on purpose: they read it after taking the
    // session row's lock, as the attempt's writer does, so a pass and a view committed at the same moment cannot both
    // miss each other on PostgreSQL (whichever takes the lock second sees the other's committed row).
    private const string SelfStudySession =
        """
        SELECT m.session_id FROM session_media m JOIN sessions s ON s.id = m.session_id JOIN series se ON se.id = s.series_id
        JOIN registrations r ON r.id = @registration AND r.session_id = m.session_id AND r.status = 'confirmed'
        WHERE m.id = @media AND m.kind = 'recording' AND se.self_study_enabled = 1 AND @covered * 100 >= se.self_study_percent * @length
          AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.session_id = m.session_id AND c.email_normalized = r.email_normalized AND c.revoked_utc_ms IS NULL)
        """;

    /// <summary>The spans of a stored view (JSON [[from, to], ...]).</summary>
    internal static List<PlayedSpan> ParseSpans(string json) =>
        [.. (JsonSerializer.Deserialize<double[][]>(json) ?? []).Where(p => p.Length == 2).Select(p => new PlayedSpan(p[0], p[1]))];
}
