using LearnHub.Grains.Media;

namespace LearnHub.Web.Media;

/// <summary>A handout or recording listed for a registrant, with what they have played of it (recordings of known length).</summary>
public sealed record WatchedMedia(MediaItem Item, string Url, ViewProgress? Progress);

/// <summary>The lists of media on the manage page and My learning, with each recording's progress.</summary>
public static class WatchedMediaLists
{
    /// <summary>
    /// What <paramref name="registrationId"/>'s seat in <paramref name="sessionId"/> opens (the same rule as the file
    /// URL), each with the registration's progress; <paramref name="url"/> makes each item's link.
    /// </summary>
    public static async Task<IReadOnlyList<WatchedMedia>> ForRegistrationAsync(IGrainFactory grains, Guid sessionId, Guid registrationId, Func<MediaItem, string> url)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(url);
        var viewer = new MediaViewer(null, false) { PassRegistrationId = registrationId };
        var watcher = new Watcher(registrationId, null);
        var listed = new List<WatchedMedia>();
        foreach (var item in await grains.GetGrain<ISessionMediaGrain>(sessionId).VisibleToAsync(viewer))
        {
            var progress = item is { Kind: MediaKind.Recording, LengthSeconds: { } length }
                ? await grains.GetGrain<IRecordingViewGrain>(watcher.GrainKey(item.Id)).ProgressAsync(length)
                : null;
            listed.Add(new WatchedMedia(item, url(item), progress));
        }

        return listed;
    }
}
