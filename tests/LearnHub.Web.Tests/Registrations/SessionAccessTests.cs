using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Web.Registrations;

namespace LearnHub.Web.Tests.Registrations;

/// <summary>When a registrant's pages offer the join link, the Join button, or the sentence that the link is still to come.</summary>
public sealed class SessionAccessTests
{
    private static readonly DateTimeOffset Starts = new(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);

    private static SessionView Session(string? joinUrl, SessionKind kind = SessionKind.NationalWebinar, bool cancelled = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "s", "Series", kind, "Simulation Labs", "", Starts, Starts.AddMinutes(90), "America/New_York", 100, 1, 0,
            false, cancelled, kind == SessionKind.InPersonTraining ? "Learning Center" : null, kind == SessionKind.InPersonTraining ? "Madison, WI" : null, null, null, [])
        { JoinUrl = joinUrl };

    private static RegistrationView Registration(RegistrationStatus status) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Simulation Labs", SessionKind.NationalWebinar, Starts, Starts.AddMinutes(90), "America/New_York",
            "Robin", "robin@example.org", "DCF", "Caseworker", "America/Chicago", "", status, null, Starts.AddDays(-7));

    [Theory]
    [InlineData(-24 * 60, JoinState.LinkReady)]
    [InlineData(-16, JoinState.LinkReady)]
    [InlineData(-15, JoinState.JoinNow)]
    [InlineData(89, JoinState.JoinNow)]
    [InlineData(90, JoinState.None)]
    public void AConfirmedSeat_GetsTheJoinButtonFromFifteenMinutesBeforeTheStartToTheEnd(int minutesFromStart, JoinState expected) =>
        Assert.Equal(expected, SessionAccess.JoinAt(Registration(RegistrationStatus.Confirmed), Session("https://meet.example/j/1"), Starts.AddMinutes(minutesFromStart)));

    [Fact]
    public void WithoutALink_TheSeatIsToldItIsComing_AndNobodyElseIsOfferedAnything()
    {
        var now = Starts.AddMinutes(-5);
        Assert.Equal(JoinState.LinkPending, SessionAccess.JoinAt(Registration(RegistrationStatus.Confirmed), Session(null), now));
        Assert.Equal(JoinState.None, SessionAccess.JoinAt(Registration(RegistrationStatus.Waitlisted), Session("https://meet.example/j/1"), now));
        Assert.Equal(JoinState.None, SessionAccess.JoinAt(Registration(RegistrationStatus.Confirmed), Session("https://meet.example/j/1", cancelled: true), now));
        Assert.Equal(JoinState.None, SessionAccess.JoinAt(Registration(RegistrationStatus.Confirmed), Session(null, SessionKind.InPersonTraining), now));
    }

    [Fact]
    public void CalendarLinks_CarryTheTimesInUtc_AndFeedsBecomeWebcal()
    {
        var access = new SessionAccess(Registration(RegistrationStatus.Confirmed), Session(null, SessionKind.InPersonTraining), JoinState.None, "/x.ics");

        Assert.Contains("&dates=20261201T150000Z/20261201T163000Z&", access.GoogleUrl, StringComparison.Ordinal);
        Assert.Contains("&location=Learning%20Center%2C%20Madison%2C%20WI", access.GoogleUrl, StringComparison.Ordinal);
        Assert.StartsWith("https://outlook.office.com/calendar/0/action/compose?", access.OutlookUrl("outlook.office.com"), StringComparison.Ordinal);
        Assert.Contains("&startdt=2026-12-01T15%3A00%3A00Z", access.OutlookUrl("outlook.live.com"), StringComparison.Ordinal);
        Assert.Equal("webcal://learnhub.test/calendar/t.ics", SessionAccess.Webcal("https://learnhub.test/calendar/t.ics"));
    }
}
