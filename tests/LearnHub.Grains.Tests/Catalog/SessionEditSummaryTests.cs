using LearnHub.Grains.Catalog;

namespace LearnHub.Grains.Tests.Catalog;

/// <summary>The audit log says which fields an organizer's edit changed, without quoting them.</summary>
public sealed class SessionEditSummaryTests
{
    private static readonly Guid Webinar = Guid.NewGuid();

    private static readonly SessionView Before = new(
        Guid.NewGuid(), Guid.NewGuid(), "supervision", "Supervision in Practice", SessionKind.LearningExchange, "Exchange 1", "Bring a case.",
        new DateTimeOffset(2027, 3, 2, 18, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 2, 19, 0, 0, TimeSpan.Zero), "America/Chicago",
        20, 3, 0, false, false, null, null, Webinar, null, [new Presenter("Ana Ruiz", "County DHS", "Bio")])
    {
        JoinUrl = "https://meet.example/abc?pwd=secret",
        CeHoursCenti = 100,
    };

    private static SessionDetails Same() => new(Before.Title, Before.Description, Before.JoinUrl, Before.Venue, Before.City, Before.Presenters)
    {
        WebinarId = Webinar,
        CeHoursCenti = Before.CeHoursCenti,
        Recorded = Before.Recorded,
        RecordingConsentRequired = Before.RecordingConsentRequired,
    };

    [Fact]
    public void AnEditThatChangesNothing_NamesNothing() => Assert.Empty(SessionEditSummary.Changes(Before, Same()));

    [Fact]
    public void AnEdit_NamesEachChangedField_InFormOrder_WithoutQuotingTheJoinLink()
    {
        var after = Same() with { Title = "Exchange one", JoinUrl = "https://meet.example/xyz?pwd=other", Presenters = [] };

        var changes = SessionEditSummary.Changes(Before, after);

        Assert.Equal(["title", "join link", "presenters"], changes);
        Assert.DoesNotContain(changes, c => c.Contains("pwd", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExchangeLinkedToAnotherWebinar_SaysTheWebinarItFollowsChanged()
    {
        var after = Same() with { WebinarId = Guid.NewGuid() };

        Assert.Equal(["webinar followed"], SessionEditSummary.Changes(Before, after));
    }

    [Fact]
    public void FieldsLeftNull_KeepWhatIsStored_AndAreNotChanges()
    {
        var after = Same() with { CeHoursCenti = null, Recorded = null, RecordingConsentRequired = null };

        Assert.Empty(SessionEditSummary.Changes(Before, after));
    }
}
