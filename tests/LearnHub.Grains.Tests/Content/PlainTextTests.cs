using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;

namespace LearnHub.Grains.Tests.Content;

public class PlainTextTests
{
    [Theory]
    [InlineData("Ann\0Lee", "U+0000")]
    [InlineData("Ann\u0007Lee", "U+0007")]
    [InlineData("Ann\u007FLee", "U+007F")]
    [InlineData("Ann\u0085Lee", "U+0085")]
    public void Problem_NamesTheControlCharacter_InEitherShape(string value, string named)
    {
        Assert.Contains(named, PlainText.Problem(value, "The name", TextShape.SingleLine), StringComparison.Ordinal);
        Assert.Contains(named, PlainText.Problem(value, "The notes", TextShape.MultiLine), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Line one\r\nline two")]
    [InlineData("Line one\nline two")]
    [InlineData("Line one\rline two")]
    public void Problem_RefusesLineBreaks_OnlyWhereTheFieldIsOneLine(string value)
    {
        Assert.Equal("The title must be on one line: remove the line break.", PlainText.Problem(value, "The title", TextShape.SingleLine));
        Assert.Null(PlainText.Problem(value, "The description", TextShape.MultiLine));
    }

    [Theory]
    [InlineData("Dana Ruiz\tState university")]
    [InlineData("Zoë Ōtsuka-Müller 李 🎓")]
    [InlineData("")]
    [InlineData(null)]
    public void Problem_IsNull_ForTabsAndAnyPrintableText(string? value)
    {
        Assert.Null(PlainText.Problem(value, "The name", TextShape.SingleLine));
    }

    [Fact]
    public void Problem_RefusesHalfASurrogatePair()
    {
        Assert.Contains("broken character", PlainText.Problem("Ann \uD83C Lee", "The name", TextShape.SingleLine), StringComparison.Ordinal);
        Assert.Contains("broken character", PlainText.Problem("Ann \uDF93", "The name", TextShape.SingleLine), StringComparison.Ordinal);
    }

    [Fact]
    public void AVenueAddress_MayTakeTwoLines_ButNoControlCharacter()
    {
        var start = new DateTimeOffset(2027, 3, 4, 15, 0, 0, TimeSpan.Zero);
        SessionDraft Training(string address) => new(Guid.NewGuid(), SessionKind.InPersonTraining, "Trauma-informed practice", "", start,
            start.AddHours(6), "America/Chicago", 40, [], Venue: "Dane County Learning Center", City: "Madison, WI") { VenueAddress = address };

        Assert.Empty(Training("1202 Northport Dr\nSuite 200").Problems());
        Assert.Contains(Training("1202 Northport Dr\0").Problems(), p => p.StartsWith("The venue address", StringComparison.Ordinal));
    }
}
