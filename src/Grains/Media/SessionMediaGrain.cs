using LearnHub.Grains.Catalog;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Media;

/// <summary>
/// A session's handouts, recordings and captions, keyed by the session's id: the only writer of their rows and files,
/// the keeper of who may open each one, and the place that decides the "recording is ready" / "you missed it" mail.
/// The items stay in memory; pages and file URLs ask here instead of the database.
/// </summary>
public interface ISessionMediaGrain : IGrainWithGuidKey
{
    /// <summary>Adds a handout (visible at once) or a recording (staff only until published); refuses an invalid draft.</summary>
    Task<MediaChange> AddAsync(MediaDraft draft);

    /// <summary>Publishes a recording and queues its mail in the same transaction.</summary>
    Task<MediaChange> PublishRecordingAsync(Guid mediaId);

    /// <summary>Changes who may see an item.</summary>
    Task<MediaChange> SetVisibilityAsync(Guid mediaId, MediaVisibility visibility);

    /// <summary>Gives a recording the captions stored at <paramref name="captionsSha256"/>.</summary>
    Task<MediaChange> ReplaceCaptionsAsync(Guid mediaId, string captionsSha256);

    /// <summary>Deletes an item; its URLs answer 404 at once.</summary>
    Task<RemovedMedia?> DeleteAsync(Guid mediaId);

    /// <summary>Every item of the session, published or not (for staff pages).</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<MediaItem>> ItemsAsync();

    /// <summary>The items <paramref name="viewer"/> may open, oldest first.</summary>
    Task<IReadOnlyList<MediaItem>> VisibleToAsync(MediaViewer viewer);

    /// <summary>The item, when it is this session's and <paramref name="viewer"/> may open it; null otherwise.</summary>
    Task<MediaItem?> OpenAsync(Guid mediaId, MediaViewer viewer);
}

/// <summary>What a change to a session's media came to.</summary>
[GenerateSerializer]
public enum MediaChangeOutcome
{
    /// <summary>Done.</summary>
    Changed,

    /// <summary>Nothing to do (a recording published already).</summary>
    Unchanged,

    /// <summary>Refused; <see cref="MediaChange.Problem"/> says why; nothing changed.</summary>
    Invalid,

    /// <summary>The session has no such item.</summary>
    NotFound,
}

/// <summary>The answer to a media change: the item's id, how many mails it queued, or why it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record MediaChange(MediaChangeOutcome Outcome, Guid? MediaId = null, int Queued = 0, string? Problem = null);

/// <summary>The media grain (see <see cref="ISessionMediaGrain"/>).</summary>
public sealed class SessionMediaGrain(IMediaStore store, LearnHubClock clock) : Grain, ISessionMediaGrain
{
    private MediaSet _set = new(null, []);

    private Guid SessionId => this.GetPrimaryKey();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _set = await store.LoadAsync(SessionId, cancellationToken);

    /// <inheritdoc />
    public async Task<MediaChange> AddAsync(MediaDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.SessionId != SessionId)
        {
            throw new ArgumentException($"A draft for session {draft.SessionId} was sent to the media of session {SessionId}.", nameof(draft));
        }

        if (draft.Problems() is { Count: > 0 } problems)
        {
            return new MediaChange(MediaChangeOutcome.Invalid, Problem: string.Join(" ", problems));
        }

        if (_set.SessionKind is null)
        {
            return new MediaChange(MediaChangeOutcome.NotFound, Problem: $"There is no session {SessionId}.");
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        try
        {
            await store.AddAsync(id, draft, CancellationToken.None);
        }
        catch (DomainException e)
        {
            return new MediaChange(MediaChangeOutcome.Invalid, Problem: e.Message);
        }

        await ReloadAsync();
        return new MediaChange(MediaChangeOutcome.Changed, id);
    }

    /// <inheritdoc />
    public async Task<MediaChange> PublishRecordingAsync(Guid mediaId)
    {
        if (Find(mediaId) is not { } item)
        {
            return new MediaChange(MediaChangeOutcome.NotFound);
        }

        if (item.Kind != MediaKind.Recording)
        {
            return new MediaChange(MediaChangeOutcome.Invalid, mediaId, Problem: "Only a recording is published; a handout is visible once added.");
        }

        var queued = await store.PublishRecordingAsync(SessionId, mediaId, CancellationToken.None);
        await ReloadAsync();
        return queued is null ? new MediaChange(MediaChangeOutcome.NotFound)
            : item.IsPublished ? new MediaChange(MediaChangeOutcome.Unchanged, mediaId)
            : new MediaChange(MediaChangeOutcome.Changed, mediaId, queued.Value);
    }

    /// <inheritdoc />
    public async Task<MediaChange> SetVisibilityAsync(Guid mediaId, MediaVisibility visibility)
    {
        var changed = await store.SetVisibilityAsync(SessionId, mediaId, visibility, CancellationToken.None);
        await ReloadAsync();
        return new MediaChange(changed ? MediaChangeOutcome.Changed : MediaChangeOutcome.NotFound, mediaId);
    }

    /// <inheritdoc />
    public async Task<MediaChange> ReplaceCaptionsAsync(Guid mediaId, string captionsSha256)
    {
        ArgumentNullException.ThrowIfNull(captionsSha256);
        bool replaced;
        try
        {
            replaced = await store.ReplaceCaptionsAsync(SessionId, mediaId, captionsSha256, CancellationToken.None);
        }
        catch (DomainException e)
        {
            return new MediaChange(MediaChangeOutcome.Invalid, mediaId, Problem: e.Message);
        }

        await ReloadAsync();
        return new MediaChange(replaced ? MediaChangeOutcome.Changed : MediaChangeOutcome.NotFound, mediaId);
    }

    /// <inheritdoc />
    public async Task<RemovedMedia?> DeleteAsync(Guid mediaId)
    {
        var removed = await store.DeleteAsync(SessionId, mediaId, CancellationToken.None);
        await ReloadAsync();
        return removed;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MediaItem>> ItemsAsync() => Task.FromResult(_set.Items);

    /// <inheritdoc />
    public async Task<IReadOnlyList<MediaItem>> VisibleToAsync(MediaViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var visible = new List<MediaItem>();
        var published = new Lazy<Task<bool>>(SessionPublishedAsync);
        var seat = new Lazy<Task<bool>>(() => HoldsSeatAsync(viewer));
        foreach (var item in _set.Items)
        {
            if (await MediaAccess.MayOpenAsync(item, viewer.IsStaff || await published.Value, viewer, () => seat.Value))
            {
                visible.Add(item);
            }
        }

        return visible;
    }

    /// <inheritdoc />
    public async Task<MediaItem?> OpenAsync(Guid mediaId, MediaViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return Find(mediaId) is { } item
            && await MediaAccess.MayOpenAsync(item, viewer.IsStaff || await SessionPublishedAsync(), viewer, () => HoldsSeatAsync(viewer))
            ? item
            : null;
    }

    private MediaItem? Find(Guid mediaId) => _set.Items.FirstOrDefault(i => i.Id == mediaId);

    private async Task ReloadAsync() => _set = await store.LoadAsync(SessionId, CancellationToken.None);

    private async Task<bool> SessionPublishedAsync() =>
        _set.SessionKind is { } kind && await GrainFactory.Roster(SessionId, kind).GetViewAsync() is { Published: true };

    // A pass names a registration, which must still hold a confirmed seat in this session; otherwise the signed-in
    // viewer's own email must hold one. A seat in the webinar's Learning Exchange counts as a seat in the webinar: the
    // exchange discusses it, so its registrants prepare with its recording and handouts (issue 14).
    private async Task<bool> HoldsSeatAsync(MediaViewer viewer)
    {
        if (_set.SessionKind is not { } kind)
        {
            return false;
        }

        if (await HoldsSeatInAsync(viewer, SessionId, kind))
        {
            return true;
        }

        return kind == SessionKind.NationalWebinar
            && await GrainFactory.Roster(SessionId, kind).GetViewAsync() is { LearningExchangeId: { } exchange }
            && await HoldsSeatInAsync(viewer, exchange, SessionKind.LearningExchange);
    }

    private async Task<bool> HoldsSeatInAsync(MediaViewer viewer, Guid sessionId, SessionKind kind)
    {
        if (viewer.PassRegistrationId is { } registration
            && await GrainFactory.Roster(sessionId, kind).StatusOfAsync(registration) == RegistrationStatus.Confirmed)
        {
            return true;
        }

        return viewer.NormalizedEmail is { } email
            && await GrainFactory.GetGrain<ILearnerGrain>(Applicant.NormalizeEmail(email)).HoldsSeatAsync(sessionId);
    }
}
