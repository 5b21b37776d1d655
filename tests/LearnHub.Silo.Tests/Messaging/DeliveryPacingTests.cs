using LearnHub.Silo.Messaging;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>Mail delivery gives way to a burst of registrations, for a bounded time, and counts only committed mail.</summary>
public sealed class DeliveryPacingTests
{
    private static MailOptions Options(int burstRate = 50, int deferralSeconds = 30) =>
        new() { BurstRate = burstRate, BurstDeferral = TimeSpan.FromSeconds(deferralSeconds) };

    [Fact]
    public void AtAnOrdinaryPace_DeliveryNeverWaits()
    {
        var pacing = new DeliveryPacing(Options());

        // 10 mails a second for a minute.
        for (long ms = 0; ms <= 60_000; ms += 100)
        {
            Assert.False(pacing.Waits(ms / 100, ms));
        }
    }

    [Fact]
    public void DuringABurst_DeliveryWaits_AtMostTheDeferral_ThenRunsWhateverTheRate()
    {
        var pacing = new DeliveryPacing(Options(deferralSeconds: 30));
        Assert.False(pacing.Waits(0, 0));

        // 600 mails a second from here on: a window later delivery waits, and it waits 30 s, not longer.
        Assert.True(pacing.Waits(150, 250));
        Assert.True(pacing.Waits(600 * 30, 30_000));
        Assert.False(pacing.Waits(150 + (600 * 30), 30_250));
        Assert.False(pacing.Waits(150 + (600 * 60), 60_250));
    }

    [Fact]
    public void WhenTheBurstEnds_DeliveryRunsWithinAWindow_AndTheNextBurstWaitsAgain()
    {
        var pacing = new DeliveryPacing(Options());
        pacing.Waits(0, 0);
        Assert.True(pacing.Waits(500, 500));

        Assert.False(pacing.Waits(500, 500 + DeliveryPacing.WindowMs));
        Assert.True(pacing.Waits(1_000, 1_000));
    }

    [Fact]
    public void ARateOfZero_TurnsPacingOff()
    {
        var pacing = new DeliveryPacing(Options(burstRate: 0));
        pacing.Waits(0, 0);

        Assert.False(pacing.Waits(100_000, 1_000));
    }

    [Fact]
    public void TheOptions_RefuseANegativeRate_AndADeferralOverTenMinutes()
    {
        Assert.Contains(Options(burstRate: -1).Problems(), p => p.Contains("BurstRate", StringComparison.Ordinal));
        Assert.Contains(Options(deferralSeconds: 601).Problems(), p => p.Contains("BurstDeferral", StringComparison.Ordinal));
        Assert.DoesNotContain(Options().Problems(), p => p.Contains("Burst", StringComparison.Ordinal));
    }
}
