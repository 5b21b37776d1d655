namespace LearnHub.Grains.Media;

/// <summary>A stretch of a recording that was played, in seconds from its start.</summary>
[GenerateSerializer, Immutable]
public readonly record struct PlayedSpan([property: Id(0)] double From, [property: Id(1)] double To)
{
    /// <summary>Seconds played.</summary>
    public double Length => To - From;
}

/// <summary>
/// What one viewer has played of one recording: the union of the stretches actually played, so skipping ahead earns
/// nothing and a replay counts once. Kept as a sorted list of disjoint spans; touching or overlapping spans are merged.
/// </summary>
/// <remarks>
/// The player reports the spans it played since its last report. A report is refused whole when anything in it is
/// wrong — a span outside the recording, backwards, out of order, or more playing than the time since the last report
/// allows — so a forged "I played all of it" in one request earns nothing, and a refused report changes nothing.
/// </remarks>
[GenerateSerializer]
public sealed class WatchProgress
{
    /// <summary>The most spans one report may carry (a player reports every 15 seconds; seeks split its spans).</summary>
    public const int MaxSpansPerReport = 50;

    /// <summary>The fastest playback a report is believed at (players offer up to 2×).</summary>
    public const double MaxPlaybackRate = 2.0;

    /// <summary>Slack for a report's timing (network delay, a player's rounding, the first report after a page load).</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(20);

    /// <summary>Seconds a span may run past the stated length (a container's duration is rounded).</summary>
    public const double LengthTolerance = 1.0;

    [Id(0)] private List<PlayedSpan> _spans = [];

    /// <summary>The played spans, sorted and disjoint.</summary>
    public IReadOnlyList<PlayedSpan> Spans => _spans;

    /// <summary>When the last accepted report arrived (null before the first).</summary>
    [Id(1)]
    public DateTimeOffset? LastReportAt { get; private set; }

    /// <summary>Where the viewer was when they last reported: where "continue where you left off" starts.</summary>
    [Id(2)]
    public double Position { get; private set; }

    /// <summary>
    /// Progress as it was stored: the spans (merged again, so a stored list that overlaps is still a union), when the
    /// last report was accepted, and where the viewer was.
    /// </summary>
    public static WatchProgress Restore(IEnumerable<PlayedSpan> spans, DateTimeOffset? lastReportAt, double position)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var progress = new WatchProgress { LastReportAt = lastReportAt, Position = double.IsFinite(position) ? Math.Max(0, position) : 0 };
        foreach (var span in spans.Where(s => double.IsFinite(s.From) && double.IsFinite(s.To) && s.From >= 0))
        {
            progress.Merge(span);
        }

        return progress;
    }

    /// <summary>Seconds of the recording played at least once.</summary>
    public double Covered => _spans.Sum(s => s.Length);

    /// <summary>The share of a recording of <paramref name="length"/> seconds played at least once, from 0 to 1.</summary>
    public double Share(double length) => length <= 0 ? 0 : Math.Min(1.0, Covered / length);

    /// <summary>
    /// Why a report of <paramref name="played"/> (in the order played) for a recording of <paramref name="length"/>
    /// seconds, arriving at <paramref name="now"/>, cannot be accepted; null when it can.
    /// </summary>
    public string? Problem(IReadOnlyList<PlayedSpan> played, double length, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(played);
        if (!double.IsFinite(length) || length <= 0)
        {
            return "The recording's length is not known, so progress cannot be counted.";
        }

        if (played.Count > MaxSpansPerReport)
        {
            return $"A progress report carries at most {MaxSpansPerReport} played stretches.";
        }

        var total = 0.0;
        for (var i = 0; i < played.Count; i++)
        {
            var (from, to) = (played[i].From, played[i].To);
            if (!double.IsFinite(from) || !double.IsFinite(to) || from < 0)
            {
                return "A played stretch must start at 0 seconds or later.";
            }

            if (to < from)
            {
                return "A played stretch must end after it starts.";
            }

            if (to > length + LengthTolerance)
            {
                return "A played stretch goes past the end of the recording.";
            }

            total += to - from;
        }

        // Played stretches are reported as they were played, one after another in time: the sum of their lengths is
        // wall-clock playing, which cannot exceed the time since the last report at the fastest rate.
        if (LastReportAt is { } last)
        {
            if (now < last)
            {
                return "This progress report is older than one already counted.";
            }

            var allowed = (now - last + Slack).TotalSeconds * MaxPlaybackRate;
            if (total > allowed)
            {
                return "More was reported played than the time since the last report allows.";
            }
        }
        else if (total > Slack.TotalSeconds * MaxPlaybackRate * 3)
        {
            // The first report of a viewer: a player reports every 15 seconds, so more than a minute or two is not one.
            return "More was reported played than the time since the last report allows.";
        }

        return null;
    }

    /// <summary>Adds an accepted report; throws when <see cref="Problem"/> has one. Returns the seconds newly covered.</summary>
    public double Add(IReadOnlyList<PlayedSpan> played, double length, DateTimeOffset now)
    {
        if (Problem(played, length, now) is { } problem)
        {
            throw new DomainException(problem);
        }

        var before = Covered;
        foreach (var span in played)
        {
            Merge(new PlayedSpan(span.From, Math.Min(span.To, length)));
        }

        LastReportAt = now;
        if (played.Count > 0)
        {
            Position = Math.Min(played[^1].To, length);
        }

        return Covered - before;
    }

    private void Merge(PlayedSpan span)
    {
        if (span.Length <= 0)
        {
            return;
        }

        // The first span that ends at or after this one starts: everything before it is untouched.
        var at = _spans.FindIndex(s => s.To >= span.From);
        if (at < 0)
        {
            _spans.Add(span);
            return;
        }

        var (from, to) = (span.From, span.To);
        var end = at;
        while (end < _spans.Count && _spans[end].From <= to)
        {
            from = Math.Min(from, _spans[end].From);
            to = Math.Max(to, _spans[end].To);
            end++;
        }

        _spans.RemoveRange(at, end - at);
        _spans.Insert(at, new PlayedSpan(from, to));
    }
}

/// <summary>
/// When a viewer's progress, kept in memory, is written to the database: at most once a minute while it changes, and
/// at once when it crosses a threshold that earns something (the credit rule must not wait on a timer). A crash loses
/// at most <see cref="Interval"/> of reports.
/// </summary>
public sealed record WriteBehindPolicy(TimeSpan Interval)
{
    /// <summary>LearnHub's policy: one write per viewer per minute at most.</summary>
    public static WriteBehindPolicy Default { get; } = new(TimeSpan.FromMinutes(1));

    /// <summary>True when progress that changed since <paramref name="lastWrite"/> should be written at <paramref name="now"/>.</summary>
    public bool Due(DateTimeOffset? lastWrite, DateTimeOffset now, bool crossedThreshold) =>
        crossedThreshold || lastWrite is null || now - lastWrite.Value >= Interval;
}
