using System.Collections.Concurrent;
using LearnHub.Grains.Media;

namespace LearnHub.Silo.Media;

/// <summary>
/// Finds the session whose media grain keeps a handout or recording, from the item's id alone (its URL). An item never
/// moves to another session, so the answer is read once and remembered.
/// </summary>
public sealed class MediaDirectory(IGrainFactory grains, SqlMediaStore store)
{
    private readonly ConcurrentDictionary<Guid, Guid> _sessions = new();

    /// <summary>The media grain keeping item <paramref name="mediaId"/>, or null when no item has that id.</summary>
    public async Task<ISessionMediaGrain?> GrainOfAsync(Guid mediaId, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(mediaId, out var session))
        {
            if (await store.FindAsync(mediaId, cancellationToken) is not { } item)
            {
                return null;
            }

            session = _sessions[mediaId] = item.SessionId;
        }

        return grains.GetGrain<ISessionMediaGrain>(session);
    }

    /// <summary>The item, when it exists and <paramref name="viewer"/> may open it; null otherwise.</summary>
    public async Task<MediaItem?> OpenAsync(Guid mediaId, MediaViewer viewer, CancellationToken cancellationToken) =>
        await GrainOfAsync(mediaId, cancellationToken) is { } grain ? await grain.OpenAsync(mediaId, viewer) : null;
}
