using System.Collections.Concurrent;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Media;
using LearnHub.Grains.Registrations;

namespace LearnHub.Silo.Media;

/// <summary>
/// Finds the session whose media grain keeps a handout or recording, from the item's id alone (its URL). An item never
/// moves to another session, so the answer is read once and remembered.
/// </summary>
public sealed class MediaDirectory(IGrainFactory grains, SqlMediaStore store)
{
    private readonly ConcurrentDictionary<Guid, Guid> _sessions = new();

    /// <summary>The media grain keeping item <paramref name="mediaId"/>, or null when no item has that id.</summary>
    public async Task<ISessionMediaGrain?> GrainOfAsync(Guid mediaId, CancellationToken cancellationToken) =>
        await SessionOfAsync(mediaId, cancellationToken) is { } session ? grains.GetGrain<ISessionMediaGrain>(session) : null;

    /// <summary>The session item <paramref name="mediaId"/> belongs to, or null when no item has that id.</summary>
    public async Task<Guid?> SessionOfAsync(Guid mediaId, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(mediaId, out var session))
        {
            if (await store.FindAsync(mediaId, cancellationToken) is not { } item)
            {
                return null;
            }

            session = _sessions[mediaId] = item.SessionId;
        }

        return session;
    }

    /// <summary>The item, when it exists and <paramref name="viewer"/> may open it; null otherwise.</summary>
    public async Task<MediaItem?> OpenAsync(Guid mediaId, MediaViewer viewer, CancellationToken cancellationToken) =>
        await GrainOfAsync(mediaId, cancellationToken) is { } grain ? await grain.OpenAsync(mediaId, viewer) : null;

    /// <summary>
    /// The view grain counting <paramref name="viewer"/>'s progress through <paramref name="recording"/> (which must be
    /// open to them), or null when their watching is not counted: someone not signed in without a pass, and staff
    /// previewing a session they hold no seat in. A pass counts for its registration; a signed-in person for their
    /// confirmed seat in the session, else (a public recording) for their email.
    /// </summary>
    public async Task<(IRecordingViewGrain Grain, Watcher Watcher)?> ViewOfAsync(MediaItem recording, MediaViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return await ViewOfAsync(recording.Id, recording.SessionId, viewer);
    }

    /// <summary>
    /// <see cref="ViewOfAsync(MediaItem, MediaViewer)"/> before the item is opened: the view grain then asks the media
    /// grain itself (<see cref="IRecordingViewGrain.ReportAsViewerAsync"/>).
    /// </summary>
    public async Task<(IRecordingViewGrain Grain, Watcher Watcher)?> ViewOfAsync(Guid mediaId, Guid sessionId, MediaViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var watcher = viewer.PassRegistrationId is { } pass ? new Watcher(pass, null) : null;
        if (watcher is null && viewer.NormalizedEmail is { Length: > 0 } email)
        {
            var normalized = Applicant.NormalizeEmail(email);
            var seat = (await grains.GetGrain<ILearnerGrain>(normalized).RegistrationsAsync())
                .FirstOrDefault(r => r.SessionId == sessionId && r.Status == RegistrationStatus.Confirmed);
            watcher = seat is not null ? new Watcher(seat.RegistrationId, null) : viewer.IsStaff ? null : new Watcher(null, normalized);
        }

        return watcher is null ? null : (grains.GetGrain<IRecordingViewGrain>(watcher.GrainKey(mediaId)), watcher);
    }
}
