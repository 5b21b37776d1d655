using System.Globalization;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Tests.Time;

/// <summary>
/// A session's time reads in the reader's language, in the session's zone, always naming the zone and its offset; a
/// culture LearnHub does not speak (a background job's invariant culture among them) reads English.
/// </summary>
public sealed class ZonedTimeTests
{
    private static readonly DateTimeOffset Starts = new(2026, 12, 8, 19, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Ends = Starts.AddMinutes(90);
    private const string NewYork = "America/New_York";

    [Theory]
    [InlineData("en", "Tuesday, December 8, 2026, 2:00 PM – 3:30 PM (America/New_York, UTC−05:00)")]
    [InlineData("es", "martes, 8 de diciembre de 2026, 14:00 – 15:30 (America/New_York, UTC−05:00)")]
    [InlineData("es-MX", "martes, 8 de diciembre de 2026, 14:00 – 15:30 (America/New_York, UTC−05:00)")]
    [InlineData("zh-Hans", "2026年12月8日星期二 14:00 – 15:30 (America/New_York, UTC−05:00)")]
    [InlineData("fr-FR", "Tuesday, December 8, 2026, 2:00 PM – 3:30 PM (America/New_York, UTC−05:00)")]
    [InlineData("", "Tuesday, December 8, 2026, 2:00 PM – 3:30 PM (America/New_York, UTC−05:00)")]
    public void ARange_ReadsInTheCulturesLanguage_AndEnglishForAnyOther(string culture, string expected) =>
        Assert.Equal(expected, ZonedTime.Range(Starts, Ends, NewYork, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void ARange_OverMidnight_WritesTheEndDateInFull()
    {
        var late = ZonedTime.Range(Starts.AddHours(9), Starts.AddHours(11), NewYork, CultureInfo.GetCultureInfo("zh-Hans"));

        Assert.Equal("2026年12月8日星期二 23:00 – 2026年12月9日星期三 01:00 (America/New_York, UTC−05:00)", late);
        Assert.Equal("Tuesday, December 8, 2026, 11:00 PM – Wednesday, December 9, 2026, 1:00 AM (America/New_York, UTC−05:00)",
            ZonedTime.Range(Starts.AddHours(9), Starts.AddHours(11), NewYork, CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void WithoutACulture_TheCurrentOneIsUsed_SoAPageNeedsToPassNothing()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("es");
            Assert.StartsWith("8 dic", ZonedTime.Start(Starts, NewYork), StringComparison.Ordinal);
            Assert.Equal("14:00", ZonedTime.TimeOfDay(Starts, NewYork));
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Assert.Equal("Dec 8, 2026, 2:00 PM (America/New_York, UTC−05:00)", ZonedTime.Start(Starts, NewYork));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
