using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Media;

/// <summary>
/// The media grain's store (<see cref="ISessionMediaGrain"/>), and the only code that writes the rows behind handouts
/// and recordings: it adds them (with the stored file checked under its content lock), publishes recordings with the
/// mail that causes, and — through <see cref="MediaRemoval"/> — replaces captions and deletes items with their files.
/// </summary>
public sealed class SqlMediaStore(LearnHubDatabase database, LearnHubClock clock, IOptions<MailOptions> mail, MediaFiles files, MediaRemoval removal) : IMediaStore
{
    private const string Columns =
        "id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, external_url, captions_sha256, published_utc_ms, length_ms";

    /// <inheritdoc />
    public async Task<MediaSet> LoadAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var kind = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT kind FROM sessions WHERE id = @id", new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM session_media WHERE session_id = @id ORDER BY created_utc_ms, id", new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        return new MediaSet(kind is null ? null : SessionKinds.FromWire(kind), rows.Select(r => r.ToItem()).ToList());
    }

    /// <summary>Stores a new item. Handouts are visible at once; recordings wait until <see cref="PublishRecordingAsync"/>.</summary>
    public async Task AddAsync(Guid id, MediaDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Problems() is { Count: > 0 } problems)
        {
            throw new DomainException(string.Join(" ", problems));
        }

        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await EnsureStoredAsync(scope, [draft.Sha256, draft.CaptionsSha256], cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO session_media (id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, external_url, captions_sha256,
                                       published_utc_ms, created_utc_ms, length_ms)
            VALUES (@id, @session, @kind, @title, @visibility, @fileName, @contentType, @sha, @size, @url, @captions, @published, @now, @length)
            """,
            new
            {
                id = id.ToString(), session = draft.SessionId.ToString(), kind = draft.Kind.ToWire(), title = draft.Title, visibility = draft.Visibility.ToWire(),
                fileName = draft.FileName, contentType = draft.ContentType, sha = draft.Sha256, size = draft.SizeBytes, url = draft.ExternalUrl,
                captions = draft.CaptionsSha256, published = draft.Kind == MediaKind.Handout ? now.ToUnixTimeMilliseconds() : (long?)null,
                now = now.ToUnixTimeMilliseconds(), length = draft.LengthSeconds is { } seconds ? (long?)Math.Round(seconds * 1000) : null,
            },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    // A file deleted with the last row naming it (MediaRemoval) may vanish between an upload's commit and its row:
    // under the same content lock, the row is written only while the file is there.
    private async Task EnsureStoredAsync(WriteScope scope, IEnumerable<string?> contentAddresses, CancellationToken cancellationToken)
    {
        var addresses = contentAddresses.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (addresses.Count == 0)
        {
            return;
        }

        await MediaContentLock.TakeAsync(scope, database.Provider, addresses, cancellationToken);
        if (addresses.Any(a => !files.Exists(a)))
        {
            throw new DomainException("The uploaded file was removed while it was being saved (the same file was deleted at that moment); upload it again.");
        }
    }

    // Read with the row held (FOR UPDATE on PostgreSQL; SQLite's writer lock already holds everything): what the
    // caller then decides about the item's files is decided on the row as it is, not as it was before a concurrent
    // change to it committed.
    internal static async Task<MediaItem?> FindForUpdateAsync(WriteScope scope, string lockRowSuffix, Guid id, CancellationToken cancellationToken) =>
        (await scope.Connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM session_media WHERE id = @id" + lockRowSuffix, new { id = id.ToString() }, scope.Transaction,
            cancellationToken: cancellationToken)))?.ToItem();

    /// <summary>One item by id, or null (which session's media grain keeps it).</summary>
    public async Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM session_media WHERE id = @id", new { id = id.ToString() }, cancellationToken: cancellationToken));
        return row?.ToItem();
    }

    /// <inheritdoc />
    public async Task<bool> SetVisibilityAsync(Guid sessionId, Guid id, MediaVisibility visibility, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE session_media SET visibility = @visibility WHERE id = @id AND session_id = @session",
            new { id = id.ToString(), session = sessionId.ToString(), visibility = visibility.ToWire() },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <inheritdoc />
    public Task<bool> ReplaceCaptionsAsync(Guid sessionId, Guid id, string captionsSha256, CancellationToken cancellationToken) =>
        removal.ReplaceCaptionsAsync(sessionId, id, captionsSha256, cancellationToken);

    /// <inheritdoc />
    public Task<RemovedMedia?> DeleteAsync(Guid sessionId, Guid id, CancellationToken cancellationToken) =>
        removal.DeleteAsync(sessionId, id, cancellationToken);

    /// <summary>
    /// Publishes a recording and, in the same transaction, queues mail to every confirmed registrant: once the session
    /// has attendance recorded, attendees are told "the recording is ready" and the others "you missed it, here is the
    /// recording"; until then nobody can be told they missed it, so everyone with a seat gets the ready mail.
    /// Returns how many were queued; publishing twice queues nothing the second time; null when the session has no
    /// such recording.
    /// </summary>
    public async Task<int?> PublishRecordingAsync(Guid sessionId, Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { Kind: MediaKind.Recording } item || item.SessionId != sessionId)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE session_media SET published_utc_ms = @now WHERE id = @id AND published_utc_ms IS NULL",
            new { id = id.ToString(), now = now.ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        var queued = 0;
        if (changed > 0)
        {
            // Nobody is told a recording is ready before the live session is over: published early, the mail waits
            // in the outbox until the session's end (and then says "ready" or "you missed it" from the attendance).
            var endsMs = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT ends_utc_ms FROM sessions WHERE id = @id", new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
            var notBefore = LearnHub.Grains.Attendance.FactTiming.NotBeforeEnd(DateTimeOffset.FromUnixTimeMilliseconds(endsMs), now);
            var link = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/recordings/{id}";
            var attendees = await Attendance.RecordingAudience.AttendeesAsync(scope, item.SessionId, cancellationToken);
            queued = await RegistrantMail.QueueAsync(scope, item.SessionId, confirmedOnly: true, now,
                (email, registration) => new MailIntent(email, attendees is null || attendees.Contains(registration) ? MailPurpose.RecordingReady : MailPurpose.RecordingMissed,
                    $"recording:{id}", item.SessionId, registration) { Link = link, NotBefore = notBefore },
                cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return queued;
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string session_id { get; set; } = "";
        public string kind { get; set; } = "";
        public string title { get; set; } = "";
        public string visibility { get; set; } = "";
        public string? file_name { get; set; }
        public string? content_type { get; set; }
        public string? sha256 { get; set; }
        public long? size_bytes { get; set; }
        public string? external_url { get; set; }
        public string? captions_sha256 { get; set; }
        public long? published_utc_ms { get; set; }
        public long? length_ms { get; set; }

        public MediaItem ToItem() => new(
            Guid.Parse(id), Guid.Parse(session_id), MediaWire.KindFromWire(kind), title,
            MediaWire.TryParseVisibility(visibility, out var v) ? v : MediaVisibility.Staff,
            file_name, content_type, sha256, size_bytes, external_url, captions_sha256,
            published_utc_ms is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null)
        {
            LengthSeconds = length_ms / 1000.0,
        };
    }
}
