namespace LearnHub.Grains.Media;

/// <summary>One viewer of a recording, as the organizer's view lists them.</summary>
public sealed record ViewerRow(string Name, string Email, double Covered, double Share, DateTimeOffset LastWatched);

/// <summary>A stretch of the recording and the share of its viewers who played at least half of it.</summary>
public sealed record ViewingSegment(double From, double To, double Share);

/// <summary>Who watched a recording and how much: what the organizer's view and its CSV show.</summary>
public sealed record ViewingSummary(int Viewers, int Finished, double AverageShare, IReadOnlyList<ViewingSegment> DropOff, IReadOnlyList<ViewerRow> Rows);

/// <summary>
/// The organizer's figures for a recording, from every viewer's played stretches: viewers, how many finished (played
/// at least <see cref="RecordingViewGrain.CreditShare"/> of it, the share that earns self-study credit), the average
/// share played, and the drop-off: for each tenth of the recording, the share of viewers who played at least half of it.
/// </summary>
public static class ViewingReport
{
    /// <summary>The stretches the drop-off divides a recording into.</summary>
    public const int Segments = 10;

    /// <summary>The summary of <paramref name="views"/> of a recording <paramref name="length"/> seconds long.</summary>
    public static ViewingSummary Summarize(IReadOnlyList<(ViewerRow Row, IReadOnlyList<PlayedSpan> Spans)> views, double length)
    {
        ArgumentNullException.ThrowIfNull(views);
        var segments = new List<ViewingSegment>(Segments);
        for (var i = 0; i < Segments; i++)
        {
            var (from, to) = (length * i / Segments, length * (i + 1) / Segments);
            var half = (to - from) / 2;
            var played = views.Count(v => v.Spans.Sum(s => Math.Max(0, Math.Min(s.To, to) - Math.Max(s.From, from))) >= half);
            segments.Add(new ViewingSegment(from, to, views.Count == 0 ? 0 : (double)played / views.Count));
        }

        return new ViewingSummary(views.Count, views.Count(v => v.Row.Share >= RecordingViewGrain.CreditShare),
            views.Count == 0 ? 0 : views.Average(v => v.Row.Share), segments,
            [.. views.Select(v => v.Row).OrderByDescending(r => r.Share).ThenBy(r => r.Name, StringComparer.CurrentCulture)]);
    }
}
