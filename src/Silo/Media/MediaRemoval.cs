using Dapper;
using LearnHub.Grains.Media;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Media;

/// <summary>
/// Deletes handouts and recordings. Files are content-addressed, so two rows (the same slides on two sessions, one
/// captions file on two recordings, a video that is also a handout) can share one file: a file goes only with the last
/// row that names it, as video, document or captions.
/// </summary>
/// <remarks>
/// The reference count is read and the file moved aside inside the transaction that deletes the row, with the content
/// locked (<see cref="MediaContentLock"/>): an upload of the same bytes that commits meanwhile either lands before the
/// count (and keeps the file) or after the file is gone (and is refused by <see cref="SqlMediaStore.AddAsync"/>, which
/// takes the same lock and checks the file is there). Should the commit fail, the file is put back.
/// </remarks>
public sealed class MediaRemoval(LearnHubDatabase database, MediaFiles files)
{
    /// <summary>
    /// Gives recording <paramref name="id"/> of session <paramref name="sessionId"/> the captions stored at
    /// <paramref name="captionsSha256"/>; the old captions file goes when no other row names it. False when there is no
    /// such recording there. How edited captions are saved.
    /// </summary>
    public async Task<bool> ReplaceCaptionsAsync(Guid sessionId, Guid id, string captionsSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(captionsSha256);
        var detached = new List<(string Path, string Sha256)>();
        var committed = false;
        try
        {
            await using var scope = await database.BeginWriteAsync(cancellationToken);
            // The row first, then the content locks: a concurrent captions edit or delete of this item has committed
            // by the time its file addresses are read, so none of them is left on disk with no row naming it.
            var item = await SqlMediaStore.FindForUpdateAsync(scope, database.LockRowSuffix, id, cancellationToken);
            if (item is null || item.SessionId != sessionId || item.Kind != Grains.Media.MediaKind.Recording)
            {
                return false;
            }

            var old = item.CaptionsSha256;
            var contents = new[] { old, captionsSha256 }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            await MediaContentLock.TakeAsync(scope, database.Provider, contents, cancellationToken);
            if (!files.Exists(captionsSha256))
            {
                throw new Grains.DomainException("The new captions were removed while they were being saved; save them again.");
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE session_media SET captions_sha256 = @sha WHERE id = @id", new { id = id.ToString(), sha = captionsSha256 },
                scope.Transaction, cancellationToken: cancellationToken));
            if (old is not null && old != captionsSha256 && await UsesAsync(scope, old, cancellationToken) == 0 && files.Detach(old) is { } aside)
            {
                detached.Add((aside, old));
            }

            await scope.CommitAsync(cancellationToken);
            committed = true;
            return true;
        }
        finally
        {
            Settle(detached, committed);
        }
    }

    /// <summary>Deletes item <paramref name="id"/> of session <paramref name="sessionId"/>; null when there is no such item there.</summary>
    public async Task<RemovedMedia?> DeleteAsync(Guid sessionId, Guid id, CancellationToken cancellationToken)
    {
        var detached = new List<(string Path, string Sha256)>();
        var committed = false;
        try
        {
            await using var scope = await database.BeginWriteAsync(cancellationToken);
            // The row first, then the content locks: a concurrent captions edit or delete of this item has committed
            // by the time its file addresses are read, so none of them is left on disk with no row naming it.
            var item = await SqlMediaStore.FindForUpdateAsync(scope, database.LockRowSuffix, id, cancellationToken);
            if (item is null || item.SessionId != sessionId)
            {
                return null;
            }

            var contents = new[] { item.Sha256, item.CaptionsSha256 }.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            await MediaContentLock.TakeAsync(scope, database.Provider, contents, cancellationToken);
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM session_media WHERE id = @id", new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
            foreach (var sha in contents)
            {
                if (await UsesAsync(scope, sha, cancellationToken) == 0 && files.Detach(sha) is { } aside)
                {
                    detached.Add((aside, sha));
                }
            }

            await scope.CommitAsync(cancellationToken);
            committed = true;
            return new RemovedMedia(item, detached.Select(d => d.Sha256).ToList());
        }
        finally
        {
            Settle(detached, committed);
        }
    }

    private static Task<long> UsesAsync(WriteScope scope, string sha, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM session_media WHERE sha256 = @sha OR captions_sha256 = @sha", new { sha }, scope.Transaction, cancellationToken: cancellationToken));

    // Files moved aside go for good once the transaction committed, and back to their address when it did not.
    private void Settle(List<(string Path, string Sha256)> detached, bool committed)
    {
        foreach (var (path, sha) in detached)
        {
            if (committed)
            {
                File.Delete(path);
            }
            else
            {
                files.Reattach(path, sha);
            }
        }
    }
}

/// <summary>
/// Serializes work on one stored file across processes: PostgreSQL takes a transaction-scoped advisory lock per
/// content address; SQLite's writer lock already serializes every write transaction.
/// </summary>
internal static class MediaContentLock
{
    public static async Task TakeAsync(WriteScope scope, DatabaseProvider provider, IReadOnlyList<string> contentAddresses, CancellationToken cancellationToken)
    {
        if (provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        // In a fixed order, so two transactions locking the same pair cannot deadlock.
        foreach (var sha in contentAddresses.Order(StringComparer.Ordinal))
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = "media:" + sha }, scope.Transaction, cancellationToken: cancellationToken));
        }
    }
}
