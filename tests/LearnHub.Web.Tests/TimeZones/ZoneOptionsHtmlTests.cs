using System.Text.Encodings.Web;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using LearnHub.Web.TimeZones;

namespace LearnHub.Web.Tests.TimeZones;

/// <summary>
/// The time-zone lists every session page carries twice, read as a browser reads them: an option of the "all zones"
/// group has no value attribute, and what it submits is its text.
/// </summary>
public sealed class ZoneOptionsHtmlTests
{
    private static readonly DateTimeOffset July = new(2026, 7, 1, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryZoneIsOfferedOnce_AndEachOptionSubmitsItsZoneId()
    {
        var options = Parse("America/Chicago");

        Assert.Equal(ViewerTimeZone.Common.Concat(ViewerTimeZone.All.Except(ViewerTimeZone.Common)), options.Select(o => o.Value));
        Assert.All(options.Skip(ViewerTimeZone.Common.Count), o => Assert.Equal(o.Value, o.Text));
        // The common zones are labelled with their offset at the session's start (daylight time in July).
        Assert.Equal("America/Chicago (UTC\u221205:00)", options.Single(o => o.Value == "America/Chicago").Text);
    }

    [Theory]
    [InlineData("America/Chicago")]
    [InlineData("Europe/Lisbon")]
    [InlineData("Australia/Lord_Howe")]
    public void ExactlyTheGivenZoneIsSelected_InEitherGroup(string zone)
    {
        var selected = Assert.Single(Parse(zone), o => o.IsDefaultSelected);

        Assert.Equal(zone, selected.Value);
    }

    // (A browser then shows the first, as with any select that marks none.)
    [Fact]
    public void AZoneNoGroupHolds_SelectsNothing()
    {
        Assert.DoesNotContain(Parse("Mars/Olympus_Mons"), o => o.IsDefaultSelected);
    }

    private static List<IHtmlOptionElement> Parse(string selected)
    {
        using var writer = new StringWriter();
        ZoneOptionsHtml.Render(selected, July).WriteTo(writer, HtmlEncoder.Default);
        var document = new HtmlParser().ParseDocument($"<select>{writer}</select>");
        return [.. document.QuerySelectorAll("option").Cast<IHtmlOptionElement>()];
    }
}
