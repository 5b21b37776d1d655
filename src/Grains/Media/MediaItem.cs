using LearnHub.Grains.Catalog;

namespace LearnHub.Grains.Media;

/// <summary>A handout or recording of a session.</summary>
[GenerateSerializer, Immutable]
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

    /// <summary>A stored recording's length in seconds, measured at upload; null for a link or an unreadable file.</summary>
    [Id(12)]
    public double? LengthSeconds { get; init; }
}

/// <summary>What a new handout or recording is, before it has an id.</summary>
[GenerateSerializer, Immutable]
public sealed record MediaDraft(Guid SessionId, MediaKind Kind, string Title, MediaVisibility Visibility, string? FileName = null,
    string? ContentType = null, string? Sha256 = null, long? SizeBytes = null, string? ExternalUrl = null, string? CaptionsSha256 = null)
{
    /// <summary>A stored recording's length in seconds, as measured from the file; null when it could not be read.</summary>
    [Id(10)]
    public double? LengthSeconds { get; init; }

    /// <summary>The problems that stop it being stored; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 200)
        {
            problems.Add("A handout or recording needs a title of 1–200 characters.");
        }

        if ((Sha256 is null) == (ExternalUrl is null))
        {
            problems.Add("A handout or recording is either a stored file or an external link.");
        }

        return problems;
    }
}

/// <summary>Who is asking for a file: an account's normalized email (if signed in) and whether they are staff.</summary>
[GenerateSerializer, Immutable]
public sealed record MediaViewer(string? NormalizedEmail, bool IsStaff)
{
    /// <summary>The registration a valid media pass (from a private manage link) names, if the request carried one.</summary>
    [Id(2)]
    public Guid? PassRegistrationId { get; init; }

    /// <summary>Someone not signed in.</summary>
    public static MediaViewer Anonymous { get; } = new(null, false);
}

/// <summary>What deleting a handout or recording did: the row it removed, and the stored files no other row used.</summary>
[GenerateSerializer, Immutable]
public sealed record RemovedMedia(MediaItem Item, IReadOnlyList<string> FilesRemoved);

/// <summary>A session's media as stored, with the session's kind (which grain keeps the session).</summary>
[GenerateSerializer, Immutable]
public sealed record MediaSet(SessionKind? SessionKind, IReadOnlyList<MediaItem> Items);

/// <summary>
/// The one rule of who may open a handout or recording, applied by the file URL, the captions URL, the watch and
/// transcript pages and the lists alike: staff always; others only once the session and (for a recording) the item are
/// published, and then per visibility — a registrants-only item needs a confirmed seat (under the viewer's email, or
/// the registration a media pass names).
/// </summary>
public static class MediaAccess
{
    /// <summary>
    /// Whether the viewer may open the item. <paramref name="holdsSeat"/> is asked only when the answer depends on it
    /// (it costs a look at the learner or the registration).
    /// </summary>
    public static async Task<bool> MayOpenAsync(MediaItem item, bool sessionPublished, MediaViewer viewer, Func<Task<bool>> holdsSeat)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(holdsSeat);
        if (viewer.IsStaff)
        {
            return true;
        }

        if (!item.IsPublished || !sessionPublished)
        {
            return false;
        }

        return item.Visibility switch
        {
            MediaVisibility.Public => true,
            MediaVisibility.Registrants => await holdsSeat(),
            MediaVisibility.Staff => false,
            _ => throw new ArgumentOutOfRangeException(nameof(item), item.Visibility, "Unknown visibility."),
        };
    }
}

/// <summary>
/// Where the media grain keeps a session's handouts and recordings: the rows, the stored files they name, and the mail
/// that publishing a recording causes. Only the media grain calls it.
/// </summary>
public interface IMediaStore
{
    /// <summary>The session's items, oldest first, with the session's kind (null when there is no such session).</summary>
    Task<MediaSet> LoadAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Stores a checked draft under <paramref name="id"/>; refuses (DomainException) a file removed while it was saved.</summary>
    Task AddAsync(Guid id, MediaDraft draft, CancellationToken cancellationToken);

    /// <summary>Changes who may see an item; false when the session has no such item.</summary>
    Task<bool> SetVisibilityAsync(Guid sessionId, Guid id, MediaVisibility visibility, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes a recording and, in the same transaction, queues the "ready" / "you missed it" mail to confirmed
    /// registrants; returns how many were queued (none when it was published already), or null when there is no such
    /// recording in the session.
    /// </summary>
    Task<int?> PublishRecordingAsync(Guid sessionId, Guid id, CancellationToken cancellationToken);

    /// <summary>Gives a recording new captions (the old file goes when nothing else names it); false when there is no such recording.</summary>
    Task<bool> ReplaceCaptionsAsync(Guid sessionId, Guid id, string captionsSha256, CancellationToken cancellationToken);

    /// <summary>Deletes an item (and files nothing else names); null when the session has no such item.</summary>
    Task<RemovedMedia?> DeleteAsync(Guid sessionId, Guid id, CancellationToken cancellationToken);
}
