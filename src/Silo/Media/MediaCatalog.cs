using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Media;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Media;

/// <summary>A handout or recording of a session.</summary>
public sealed record MediaItem(
    Guid Id,
    Guid SessionId,
    MediaKind Kind,
    string Title,
    MediaVisibility Visibility,
    string? FileName,
    string? ContentType,
    string? Sha256,
    long? SizeBytes,
    string? ExternalUrl,
    string? CaptionsSha256,
    DateTimeOffset? PublishedAt)
{
    /// <summary>False for a recording an organizer has not published yet (only staff see it).</summary>
    public bool IsPublished => PublishedAt is not null;
}

/// <summary>What a new handout or recording is, before it has an id.</summary>
public sealed record MediaDraft(Guid SessionId, MediaKind Kind, string Title, MediaVisibility Visibility, string? FileName = null,
    string? ContentType = null, string? Sha256 = null, long? SizeBytes = null, string? ExternalUrl = null, string? CaptionsSha256 = null);

/// <summary>Who is asking for a file: an account's normalized email (if signed in) and whether they are staff.</summary>
public sealed record MediaViewer(string? NormalizedEmail, bool IsStaff)
{
    /// <summary>The registration a valid media pass (from a private manage link) names, if the request carried one.</summary>
    public Guid? PassRegistrationId { get; init; }

    /// <summary>Someone not signed in.</summary>
    public static MediaViewer Anonymous { get; } = new(null, false);
}

/// <summary>
/// The rows behind handouts and recordings, and the one rule of who may fetch them — applied by the file URL, the
/// captions URL, the watch and transcript pages and the lists alike.
/// </summary>
public sealed class MediaCatalog(LearnHubDatabase database, LearnHubClock clock, IOptions<MailOptions> mail, MediaFiles? files = null)
{
    private const string Columns =
        "id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, external_url, captions_sha256, published_utc_ms";

    /// <summary>Stores a new item. Handouts are visible at once; recordings wait until <see cref="PublishRecordingAsync"/>.</summary>
    public async Task<Guid> AddAsync(MediaDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (string.IsNullOrWhiteSpace(draft.Title) || draft.Title.Length > 200)
        {
            throw new DomainException("A handout or recording needs a title of 1–200 characters.");
        }

        if ((draft.Sha256 is null) == (draft.ExternalUrl is null))
        {
            throw new DomainException("A handout or recording is either a stored file or an external link.");
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await EnsureStoredAsync(scope, [draft.Sha256, draft.CaptionsSha256], cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO session_media (id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, external_url, captions_sha256,
                                       published_utc_ms, created_utc_ms)
            VALUES (@id, @session, @kind, @title, @visibility, @fileName, @contentType, @sha, @size, @url, @captions, @published, @now)
            """,
            new
            {
                id = id.ToString(), session = draft.SessionId.ToString(), kind = draft.Kind.ToWire(), title = draft.Title, visibility = draft.Visibility.ToWire(),
                fileName = draft.FileName, contentType = draft.ContentType, sha = draft.Sha256, size = draft.SizeBytes, url = draft.ExternalUrl,
                captions = draft.CaptionsSha256, published = draft.Kind == MediaKind.Handout ? now.ToUnixTimeMilliseconds() : (long?)null,
                now = now.ToUnixTimeMilliseconds(),
            },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return id;
    }

    // A file deleted with the last row naming it (MediaRemoval) may vanish between an upload's commit and its row:
    // under the same content lock, the row is written only while the file is there.
    private async Task EnsureStoredAsync(WriteScope scope, IEnumerable<string?> contentAddresses, CancellationToken cancellationToken)
    {
        var addresses = contentAddresses.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (files is null || addresses.Count == 0)
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

    /// <summary>One item, or null.</summary>
    public async Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM session_media WHERE id = @id", new { id = id.ToString() }, cancellationToken: cancellationToken));
        return row?.ToItem();
    }

    /// <summary>A session's items, oldest first.</summary>
    public async Task<IReadOnlyList<MediaItem>> ForSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM session_media WHERE session_id = @id ORDER BY created_utc_ms, id", new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToItem()).ToList();
    }

    /// <summary>Changes who may see an item.</summary>
    public async Task SetVisibilityAsync(Guid id, MediaVisibility visibility, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE session_media SET visibility = @visibility WHERE id = @id", new { id = id.ToString(), visibility = visibility.ToWire() },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes a recording and, in the same transaction, queues mail to every confirmed registrant: once the session
    /// has attendance recorded, attendees are told "the recording is ready" and the others "you missed it, here is the
    /// recording"; until then nobody can be told they missed it, so everyone with a seat gets the ready mail.
    /// Returns how many were queued; publishing twice queues nothing the second time.
    /// </summary>
    public async Task<int> PublishRecordingAsync(Guid id, CancellationToken cancellationToken)
    {
        var item = await FindAsync(id, cancellationToken) ?? throw new DomainException($"There is no recording {id}.");
        if (item.Kind != MediaKind.Recording)
        {
            throw DomainException.InvalidTransition($"Media {id}", item.Kind, "be published as a recording");
        }

        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE session_media SET published_utc_ms = @now WHERE id = @id AND published_utc_ms IS NULL",
            new { id = id.ToString(), now = now.ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        var queued = 0;
        if (changed > 0)
        {
            var link = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/recordings/{id}";
            var attendees = await Attendance.RecordingAudience.AttendeesAsync(scope, item.SessionId, cancellationToken);
            queued = await RegistrantMail.QueueAsync(scope, item.SessionId, confirmedOnly: true, now,
                (email, registration) => new MailIntent(email, attendees is null || attendees.Contains(registration) ? MailPurpose.RecordingReady : MailPurpose.RecordingMissed,
                    $"recording:{id}", item.SessionId, registration) { Link = link },
                cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return queued;
    }

    /// <summary>
    /// Whether <paramref name="viewer"/> may fetch <paramref name="item"/>: staff always; others only once the session
    /// and (for a recording) the item are published, and then per visibility — a registrants-only item needs a confirmed
    /// seat held under the viewer's email, or a media pass naming a registration that holds one.
    /// </summary>
    public async Task<bool> CanSeeAsync(MediaItem item, MediaViewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(viewer);
        if (viewer.IsStaff)
        {
            return true;
        }

        if (!item.IsPublished || item.Visibility == MediaVisibility.Staff)
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var sessionPublished = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT published FROM sessions WHERE id = @id", new { id = item.SessionId.ToString() }, cancellationToken: cancellationToken));
        if (sessionPublished != 1)
        {
            return false;
        }

        if (item.Visibility == MediaVisibility.Public)
        {
            return true;
        }

        if (viewer.PassRegistrationId is { } passHolder && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM registrations WHERE id = @id AND session_id = @session AND status = 'confirmed'",
                new { id = passHolder.ToString(), session = item.SessionId.ToString() }, cancellationToken: cancellationToken)) > 0)
        {
            return true;
        }

        return viewer.NormalizedEmail is { } email && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM registrations WHERE session_id = @session AND email_normalized = @email AND status = 'confirmed'",
            new { session = item.SessionId.ToString(), email = Applicant.NormalizeEmail(email) }, cancellationToken: cancellationToken)) > 0;
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

        public MediaItem ToItem() => new(
            Guid.Parse(id), Guid.Parse(session_id), MediaWire.KindFromWire(kind), title,
            MediaWire.TryParseVisibility(visibility, out var v) ? v : MediaVisibility.Staff,
            file_name, content_type, sha256, size_bytes, external_url, captions_sha256,
            published_utc_ms is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }
}
