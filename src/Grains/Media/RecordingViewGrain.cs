using LearnHub.Grains.Time;
using Microsoft.Extensions.Logging;

namespace LearnHub.Grains.Media;

/// <summary>
/// Who is watching a recording, for progress: the registration whose seat lets them watch (a pass from their mail, or
/// their own confirmed seat when signed in), or a signed-in person without one (a public recording).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Watcher(Guid? RegistrationId, string? NormalizedEmail)
{
    /// <summary>The watcher's part of the view grain's key.</summary>
    public string Key => RegistrationId is { } registration ? $"registration:{registration:N}" : $"email:{NormalizedEmail}";

    /// <summary>The view grain's key for this watcher and recording.</summary>
    public string GrainKey(Guid mediaId) => $"{mediaId:N}/{Key}";
}

/// <summary>One viewer's progress through one recording.</summary>
[GenerateSerializer, Immutable]
public sealed record ViewProgress(double Covered, double Position, double Length)
{
    /// <summary>The share played at least once, from 0 to 1.</summary>
    public double Share => Length <= 0 ? 0 : Math.Min(1.0, Covered / Length);
}

/// <summary>What became of a progress report.</summary>
[GenerateSerializer]
public enum ProgressOutcome
{
    /// <summary>Counted.</summary>
    Accepted,

    /// <summary>Refused whole (<see cref="ProgressAnswer.Problem"/> says why); nothing changed.</summary>
    Refused,
}

/// <summary>The answer to a progress report: the viewer's progress after it, or why it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record ProgressAnswer(ProgressOutcome Outcome, ViewProgress Progress, string? Problem = null);

/// <summary>What became of a report sent with the viewer's credentials (<see cref="IRecordingViewGrain.ReportAsViewerAsync"/>).</summary>
[GenerateSerializer]
public enum ViewerReportOutcome
{
    /// <summary>Counted.</summary>
    Accepted,

    /// <summary>Refused whole (<see cref="ViewerReportAnswer.Problem"/> says why); nothing changed.</summary>
    Refused,

    /// <summary>The viewer may not open the recording (or it is not a recording, or is gone): nothing changed.</summary>
    NotOpen,

    /// <summary>The recording's length is not known, so watching it is not counted: nothing changed.</summary>
    LengthUnknown,
}

/// <summary>The answer to a report sent with the viewer's credentials.</summary>
[GenerateSerializer, Immutable]
public sealed record ViewerReportAnswer(ViewerReportOutcome Outcome, ViewProgress? Progress = null, string? Problem = null);

/// <summary>A view as stored: the played spans, where the viewer was, and when the last report was counted.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredView(IReadOnlyList<PlayedSpan> Spans, double Position, DateTimeOffset? LastReportAt);

/// <summary>The rows behind recording views; only <see cref="RecordingViewGrain"/> calls it.</summary>
public interface IRecordingViewStore
{
    /// <summary>The stored view of <paramref name="watcher"/> of the recording, or null before their first write.</summary>
    Task<StoredView?> LoadAsync(Guid mediaId, Watcher watcher, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the view. A write that covers less than the stored row (a stale second activation) changes nothing:
    /// stored progress never goes backwards.
    /// </summary>
    Task SaveAsync(Guid mediaId, Watcher watcher, WatchProgress progress, double length, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// One viewer's progress through one recording, keyed "{mediaId:N}/{watcher}": the only writer of its row. Reports
/// (every 15 seconds while the player plays) are counted in memory and written behind: at most one write a minute
/// (<see cref="WriteBehindPolicy"/>), at once when the share crosses <see cref="RecordingViewGrain.CreditShare"/>, and
/// on deactivation. A crash loses at most the reports of the last <see cref="WriteBehindPolicy.Interval"/>.
/// </summary>
/// <remarks>
/// A grain per view rather than the recording's or the learner's grain: 2,000 viewers of one recording report about
/// 133 times a second, which would queue behind each other in one grain; viewers of different recordings never meet.
/// Access is the media grain's decision (<see cref="ISessionMediaGrain.OpenAsync"/>): the caller asks it before
/// <see cref="ReportAsync"/>, or leaves it to <see cref="ReportAsViewerAsync"/>, which remembers a yes for a minute.
/// </remarks>
public interface IRecordingViewGrain : IGrainWithStringKey
{
    /// <summary>Counts a report of stretches played (in the order played) of a recording <paramref name="length"/> seconds long.</summary>
    Task<ProgressAnswer> ReportAsync(Watcher watcher, IReadOnlyList<PlayedSpan> played, double length);

    /// <summary>
    /// Counts a report from <paramref name="viewer"/>, once the media grain of session <paramref name="sessionId"/> lets
    /// them open the recording. A yes is remembered for <see cref="RecordingViewGrain.AdmissionRecheck"/>: a viewer
    /// whose access ends (a cancelled seat, an unpublished recording) stops being counted within that time, while the
    /// file itself is refused at once.
    /// </summary>
    Task<ViewerReportAnswer> ReportAsViewerAsync(Guid sessionId, MediaViewer viewer, Watcher watcher, IReadOnlyList<PlayedSpan> played);

    /// <summary>The viewer's progress so far, or null before their first report.</summary>
    [AlwaysInterleave]
    Task<ViewProgress?> ProgressAsync(double length);
}

/// <summary>The view grain (see <see cref="IRecordingViewGrain"/>).</summary>
public sealed class RecordingViewGrain(IRecordingViewStore store, LearnHubClock clock, WriteBehindPolicy policy, ILogger<RecordingViewGrain> logger)
    : Grain, IRecordingViewGrain
{
    /// <summary>
    /// The share of a recording at which progress is written at once: the default self-study threshold, so a credit
    /// decision never waits on the write-behind timer.
    /// </summary>
    public const double CreditShare = 0.9;

    /// <summary>
    /// How long a viewer the media grain let in is counted without asking it again. A player reports every 15 seconds;
    /// asking each time cost two grain calls more than the report itself (the media grain asks the session grain).
    /// </summary>
    public static readonly TimeSpan AdmissionRecheck = TimeSpan.FromMinutes(1);

    private WatchProgress _progress = new();
    private bool _stored;
    private Watcher? _watcher;
    private double _length;
    private DateTimeOffset? _lastWrite;
    private IGrainTimer? _pending;
    private (MediaViewer Viewer, MediaItem Item, DateTimeOffset Until)? _admitted;

    private Guid MediaId => Guid.ParseExact(this.GetPrimaryKeyString()[..32], "N");

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var who = key[33..];
        _watcher = who.StartsWith("registration:", StringComparison.Ordinal)
            ? new Watcher(Guid.ParseExact(who["registration:".Length..], "N"), null)
            : new Watcher(null, who["email:".Length..]);
        if (await store.LoadAsync(MediaId, _watcher, cancellationToken) is { } stored)
        {
            _progress = WatchProgress.Restore(stored.Spans, stored.LastReportAt, stored.Position);
            _stored = true;
            _lastWrite = stored.LastReportAt;
        }
    }

    /// <inheritdoc />
    public async Task<ProgressAnswer> ReportAsync(Watcher watcher, IReadOnlyList<PlayedSpan> played, double length)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(played);
        if (watcher.GrainKey(MediaId) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"A report of {watcher.Key} was sent to the view {this.GetPrimaryKeyString()}.", nameof(watcher));
        }

        var now = clock.GetUtcNow();
        if (_progress.Problem(played, length, now) is { } problem)
        {
            return new ProgressAnswer(ProgressOutcome.Refused, Snapshot(length), problem);
        }

        var before = _progress.Share(length);
        _progress.Add(played, length, now);
        _length = length;
        var crossed = before < CreditShare && _progress.Share(length) >= CreditShare;
        if (policy.Due(_lastWrite, now, crossed))
        {
            await WriteAsync();
        }
        else
        {
            // Written when the interval since the last write is up, so a crash loses at most that interval.
            _pending ??= this.RegisterGrainTimer(async _ => await WriteAsync(), Remaining(now), Timeout.InfiniteTimeSpan);
        }

        return new ProgressAnswer(ProgressOutcome.Accepted, Snapshot(length));
    }

    /// <inheritdoc />
    public async Task<ViewerReportAnswer> ReportAsViewerAsync(Guid sessionId, MediaViewer viewer, Watcher watcher, IReadOnlyList<PlayedSpan> played)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var now = clock.GetUtcNow();
        if (_admitted is not { } admitted || admitted.Viewer != viewer || now >= admitted.Until)
        {
            _admitted = null;
            if (await GrainFactory.GetGrain<ISessionMediaGrain>(sessionId).OpenAsync(MediaId, viewer) is not { Kind: MediaKind.Recording } item)
            {
                return new ViewerReportAnswer(ViewerReportOutcome.NotOpen);
            }

            admitted = (viewer, item, now + AdmissionRecheck);
            _admitted = admitted;
        }

        if (admitted.Item.LengthSeconds is not { } length)
        {
            return new ViewerReportAnswer(ViewerReportOutcome.LengthUnknown);
        }

        var answer = await ReportAsync(watcher, played, length);
        return answer.Outcome == ProgressOutcome.Accepted
            ? new ViewerReportAnswer(ViewerReportOutcome.Accepted, answer.Progress)
            : new ViewerReportAnswer(ViewerReportOutcome.Refused, answer.Progress, answer.Problem);
    }

    /// <inheritdoc />
    public Task<ViewProgress?> ProgressAsync(double length) =>
        Task.FromResult(_progress.LastReportAt is null && !_stored ? null : Snapshot(length));

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            try
            {
                await WriteAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Deactivation cannot be refused; what is lost is bounded by the write-behind interval, as for a crash.
                logger.LogWarning(e, "Could not write the progress of view {View} on deactivation", this.GetPrimaryKeyString());
            }
        }
    }

    private ViewProgress Snapshot(double length) => new(_progress.Covered, _progress.Position, length);

    private TimeSpan Remaining(DateTimeOffset now)
    {
        var left = _lastWrite is { } last ? policy.Interval - (now - last) : TimeSpan.Zero;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left > policy.Interval ? policy.Interval : left;
    }

    private async Task WriteAsync()
    {
        _pending?.Dispose();
        _pending = null;
        var now = clock.GetUtcNow();
        try
        {
            await store.SaveAsync(MediaId, _watcher!, _progress, _length, now, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is away: the report stands (the viewer is not told to play it again) and the write is tried
            // again after an interval.
            logger.LogWarning(e, "Could not write the progress of view {View}; trying again in {Interval}", this.GetPrimaryKeyString(), policy.Interval);
            _pending = this.RegisterGrainTimer(async _ => await WriteAsync(), policy.Interval, Timeout.InfiniteTimeSpan);
            return;
        }

        _stored = true;
        _lastWrite = now;
    }
}
