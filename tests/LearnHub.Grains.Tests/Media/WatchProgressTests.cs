using LearnHub.Grains;
using LearnHub.Grains.Media;

namespace LearnHub.Grains.Tests.Media;

public class WatchProgressTests
{
    private const double Hour = 3600;
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int seconds) => Start.AddSeconds(seconds);

    /// <summary>A viewer who plays <paramref name="spans"/> in 15-second reports, as the player does.</summary>
    private static WatchProgress Played(params (double From, double To)[] spans)
    {
        var progress = new WatchProgress();
        var clock = 0;
        foreach (var (from, to) in spans)
        {
            for (var at = from; at < to; at += 15)
            {
                clock += 15;
                progress.Add([new PlayedSpan(at, Math.Min(at + 15, to))], Hour, At(clock));
            }
        }

        return progress;
    }

    [Fact]
    public void ProgressIsTheUnionOfWhatWasPlayed_AReplayCountsOnce()
    {
        var progress = Played((0, 600), (300, 900), (0, 120));

        Assert.Equal([new PlayedSpan(0, 900)], progress.Spans);
        Assert.Equal(900, progress.Covered);
        Assert.Equal(0.25, progress.Share(Hour));
    }

    [Fact]
    public void SkippingAhead_EarnsOnlyWhatWasPlayedAfterTheSkip()
    {
        var progress = Played((0, 60), (3540, 3600));

        Assert.Equal([new PlayedSpan(0, 60), new PlayedSpan(3540, 3600)], progress.Spans);
        Assert.Equal(120, progress.Covered);
        Assert.Equal(3600, progress.Position);
    }

    [Fact]
    public void StretchesThatTouch_AreMergedWhicheverOrderTheyArrive()
    {
        var progress = Played((600, 630), (0, 30), (30, 600));

        Assert.Equal([new PlayedSpan(0, 630)], progress.Spans);
    }

    [Fact]
    public void APlayerReportsWhereTheViewerIs_SoTheyCanContinue()
    {
        var progress = Played((0, 45), (1200, 1230));

        Assert.Equal(1230, progress.Position);
    }

    [Theory]
    [InlineData(-1, 10, "must start at 0 seconds or later")]
    [InlineData(20, 10, "must end after it starts")]
    [InlineData(3590, 3602, "past the end of the recording")]
    [InlineData(double.NaN, 10, "must start at 0 seconds or later")]
    public void ABadStretch_IsRefused_AndNothingChanges(double from, double to, string problem)
    {
        var progress = Played((0, 30));
        var before = progress.Spans.ToList();

        var refused = Assert.Throws<DomainException>(() => progress.Add([new PlayedSpan(from, to)], Hour, At(60)));

        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, progress.Spans);
        Assert.Equal(At(30), progress.LastReportAt);
    }

    [Fact]
    public void AStretchEndingWithinASecondOfTheEnd_IsTheRoundedLength_AndIsCappedAtIt()
    {
        var progress = new WatchProgress();

        progress.Add([new PlayedSpan(3590, 3600.6)], Hour, At(15));

        Assert.Equal([new PlayedSpan(3590, 3600)], progress.Spans);
    }

    [Fact]
    public void MorePlayingThanTheTimeSinceTheLastReportAllows_IsRefused()
    {
        var progress = Played((0, 15));

        // 15 seconds later, at most (15 + 20) × 2 = 70 seconds can have been played.
        Assert.NotNull(progress.Problem([new PlayedSpan(15, 100)], Hour, At(30)));
        Assert.Null(progress.Problem([new PlayedSpan(15, 80)], Hour, At(30)));
        // The whole hour in one first report is not a player's report.
        Assert.NotNull(new WatchProgress().Problem([new PlayedSpan(0, Hour)], Hour, At(0)));
    }

    [Fact]
    public void AReportOlderThanOneCounted_IsRefused()
    {
        var progress = Played((0, 30));

        Assert.Equal("This progress report is older than one already counted.", progress.Problem([new PlayedSpan(30, 40)], Hour, At(10)));
    }

    [Fact]
    public void TooManyStretchesInOneReport_AreRefused()
    {
        var spans = Enumerable.Range(0, WatchProgress.MaxSpansPerReport + 1).Select(i => new PlayedSpan(i * 10, i * 10 + 0.1)).ToList();

        Assert.NotNull(new WatchProgress().Problem(spans, Hour, At(0)));
    }

    [Fact]
    public void ARecordingOfUnknownLength_CountsNothing() =>
        Assert.NotNull(new WatchProgress().Problem([new PlayedSpan(0, 10)], 0, At(0)));

    [Fact]
    public void WriteBehind_WritesAtMostOnceAMinute_ButAtOnceWhenAThresholdIsCrossed()
    {
        var policy = WriteBehindPolicy.Default;

        Assert.True(policy.Due(null, At(0), crossedThreshold: false));
        Assert.False(policy.Due(At(0), At(59), crossedThreshold: false));
        Assert.True(policy.Due(At(0), At(60), crossedThreshold: false));
        Assert.True(policy.Due(At(0), At(5), crossedThreshold: true));
    }

    [Fact]
    public void RestoredProgress_IsTheUnionOfWhatWasStored_AndGoesOnFromThere()
    {
        var restored = WatchProgress.Restore([new PlayedSpan(30, 60), new PlayedSpan(0, 10), new PlayedSpan(50, 70)], At(0), 70);

        Assert.Equal([new PlayedSpan(0, 10), new PlayedSpan(30, 70)], restored.Spans);
        Assert.Equal(70, restored.Position);
        Assert.NotNull(restored.Problem([new PlayedSpan(70, 200)], Hour, At(15)));
        Assert.Equal(15, restored.Add([new PlayedSpan(70, 85)], Hour, At(15)));
    }

    [Fact]
    public void TheOrganizersFigures_CountViewersWhoFinished_TheAverageShare_AndTheDropOffByTenths()
    {
        ViewerRow Row(string name, double covered) => new(name, $"{name}@example.org", covered, covered / 100, At(0));
        var summary = ViewingReport.Summarize(
        [
            (Row("all", 100), [new PlayedSpan(0, 100)]),
            (Row("start", 25), [new PlayedSpan(0, 25)]),
            (Row("skipper", 4), [new PlayedSpan(0, 2), new PlayedSpan(95, 97)]),
        ], 100);

        Assert.Equal((3, 1), (summary.Viewers, summary.Finished));
        Assert.Equal((1 + 0.25 + 0.04) / 3, summary.AverageShare, precision: 6);
        // Everyone but the skipper played at least half of each of the first three tenths; only "all" the rest.
        Assert.Equal([.. Enumerable.Repeat(0.667, 3), .. Enumerable.Repeat(0.333, 7)], summary.DropOff.Select(d => Math.Round(d.Share, 3)));
        Assert.Equal((90, 100), (summary.DropOff[^1].From, summary.DropOff[^1].To));
        Assert.Equal(["all", "start", "skipper"], summary.Rows.Select(r => r.Name));
    }
}
