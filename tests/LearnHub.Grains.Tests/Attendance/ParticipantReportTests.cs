using System.Text;
using LearnHub.Grains.Attendance;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Tests.Attendance;

/// <summary>
/// Reading the participant reports the common meeting platforms export, and tallying them. The session runs
/// 9:00–10:30 in New York on 29 November 2026 (90 minutes); the threshold is 75%, so 68 minutes attend.
/// </summary>
public sealed class ParticipantReportTests
{
    private static readonly TimeZoneInfo NewYork = Zones.Get("America/New_York");
    private static readonly SessionWindow Session = new(new DateTimeOffset(2026, 11, 29, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 29, 15, 30, 0, TimeSpan.Zero));
    private static readonly Guid Pat = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid Sam = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid Kim = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    private static readonly Guid Waiting = Guid.Parse("00000000-0000-0000-0000-00000000000d");

    private static readonly AttendanceRegistrant[] Registrants =
    [
        new(Pat, "Pat Lee", "pat@example.org", false),
        new(Sam, "Sam Roe", "sam@example.org", false),
        new(Kim, "Kim Park", "kim@example.org", false),
        new(Waiting, "Wen Li", "wen@example.org", true),
    ];

    private static ParticipantReportParse Read(string text, TimeZoneInfo? zone = null) =>
        ParticipantReport.Parse(Encoding.UTF8.GetBytes(text), zone ?? NewYork, Session.Starts);

    private static AttendanceReport Tally(ParticipantReportParse parse)
    {
        Assert.True(parse.IsValid, string.Join("\n", parse.Problems));
        return AttendanceTally.Tally(parse.Rows, Session, 75, Registrants);
    }

    private static Dictionary<Guid, (int Minutes, bool Attended)> Minutes(AttendanceReport report) =>
        report.People.ToDictionary(p => p.RegistrationId, p => (p.Minutes, p.Attended));

    [Fact]
    public void AZoomReport_WithBomQuotedCommasRejoinsAndDuplicates_CountsEachMinuteOnce()
    {
        var report = Tally(Read(
            "\uFEFFName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n"
            + "\"Lee, Pat\",pat@example.org,11/29/2026 08:55:00 AM,11/29/2026 09:40:00 AM,45,No\r\n"
            // Rejoined on a second device before the first left, and stayed past the end: 9:00–10:30, once.
            + "\"Lee, Pat\",PAT@Example.org,11/29/2026 09:38:00 AM,11/29/2026 10:35:00 AM,57,No\r\n"
            + "Sam Roe,sam@example.org,11/29/2026 09:00:00 AM,11/29/2026 09:30:00 AM,30,No\r\n"
            + "Sam Roe,sam@example.org,11/29/2026 09:00:00 AM,11/29/2026 09:30:00 AM,30,No\r\n"
            + "Sam Roe,sam@example.org,11/29/2026 09:45:00 AM,11/29/2026 10:00:30 AM,16,No\r\n"
            + "\"Stranger \"\"Danger\"\"\",who@example.org,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,Yes\r\n"
            + "Call-in user 3,,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,Yes\r\n"
            + "Pat (Kim Park),,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,Yes\r\n"
            + "Wen Li,wen@example.org,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,No\r\n"));

        Assert.Equal(9, report.RowsRead);
        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Pat] = (90, true), [Sam] = (45, false) }, Minutes(report));
        Assert.Equal([2, 3], report.People.Single(p => p.RegistrationId == Pat).Lines);
        Assert.Equal(new SetAsideRow(7, "Stranger \"Danger\"", "who@example.org"), Assert.Single(report.Unmatched));
        Assert.Equal([(8, "Call-in user 3", 0), (9, "Pat (Kim Park)", 1)], report.Ambiguous.Select(a => (a.Line, a.Name, a.Candidates.Count)));
        Assert.Equal("Kim Park <kim@example.org>", report.Ambiguous[1].Candidates[0]);
        Assert.Equal(10, Assert.Single(report.Waitlisted).Line);
    }

    [Fact]
    public void AZoomReportWithItsMeetingSummaryOnTop_SkipsTheSummary_AndReadsTheParticipants()
    {
        var report = Tally(Read(
            "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
            + "812 3456 7890,Case Work Basics,11/29/2026 08:50:12 AM,11/29/2026 10:41:05 AM,host@example.org,111,3\n\n"
            + "Name (original name),User email,Join time,Leave time,Duration (minutes),Guest\n"
            + "Pat Lee,pat@example.org,11/29/2026 09:01:00 AM,11/29/2026 10:30:00 AM,89,No\n"));

        Assert.Equal(1, report.RowsRead);
        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Pat] = (89, true) }, Minutes(report));
        Assert.Empty(report.Unmatched); // the host's summary row is not a participant
    }

    [Fact]
    public void ATeamsAttendanceReport_InUtf16WithTabsAndSections_ReadsTheParticipantsTable()
    {
        var text = "1. Summary\r\nMeeting title\tCase Work Basics\r\nAttended participants\t2\r\nStart time\t11/29/26, 8:58:01 AM\r\n\r\n"
            + "2. Participants\r\n"
            + "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\r\n"
            + "Pat Lee\t11/29/26, 9:02:13 AM\t11/29/26, 10:20:00 AM\t1h 17m 47s\tpat@example.org\tpat@example.org\tAttendee\r\n"
            + "Sam Roe\t11/29/26, 9:10:00 AM\t11/29/26, 10:30:00 AM\t1h 20m\t\tsam@example.org\tAttendee\r\n"
            + "\r\n3. In-Meeting Activities\r\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\r\n"
            + "Pat Lee\t11/29/26, 9:02:13 AM\t11/29/26, 10:20:00 AM\t1h 17m 47s\tpat@example.org\tAttendee\r\n";
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        var report = Tally(ParticipantReport.Parse(bytes, NewYork, Session.Starts));

        Assert.Equal(2, report.RowsRead);
        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Pat] = (77, true), [Sam] = (80, true) }, Minutes(report));
        Assert.Empty(report.Unmatched);
    }

    [Fact]
    public void AWebexReport_WithReorderedColumnsAndDurationsOnly_UsesTheDurationsCappedAtTheSessionLength()
    {
        var report = Tally(Read(
            "Attendance Duration,Leave Time,Attendee Email,Join Time,Name\n"
            + "45 mins,2026-11-29 9:50 AM,kim@example.org,2026-11-29 9:05 AM,Kim Park\n"
            + "60 mins,,pat@example.org,,Pat Lee\n"
            + "50 mins,,pat@example.org,,Pat Lee\n"
            + "1 hr 8 mins,,sam@example.org,,Sam Roe\n"));

        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Kim] = (45, false), [Pat] = (90, true), [Sam] = (68, true) }, Minutes(report));
    }

    [Fact]
    public void AGoToWebinarReport_WithAPreambleSplitNamesAndZoneAbbreviations_IsRead()
    {
        var report = Tally(Read(
            "Attendee Report:,,,,,\nWebinar Name,Case Work Basics,,,,\n\nAttendee Details,,,,,\n"
            + "Attended,First Name,Last Name,Email Address,Join Time,Leave Time,Time in Session\n"
            + "Yes,Pat,Lee,pat@example.org,\"Nov 29, 2026 09:00 AM EST\",\"Nov 29, 2026 09:20 AM EST\",20 minutes\n"
            + "Yes,Pat,Lee,pat@example.org,\"Nov 29, 2026 09:25 AM EST\",\"Nov 29, 2026 10:15 AM EST\",50 minutes\n"
            + "Yes,Kim,Park,kim@example.org,,,1 hour 10 minutes\n"));

        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Pat] = (70, true), [Kim] = (70, true) }, Minutes(report));
    }

    [Fact]
    public void TimesOfDayAlone_CrossingMidnight_CountTheMinutesAfterMidnight()
    {
        // A session 23:00–01:00 local (2 hours); times are written without a date.
        var late = new SessionWindow(new DateTimeOffset(2026, 11, 30, 4, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero));
        var parse = ParticipantReport.Parse(Encoding.UTF8.GetBytes(
            "Name,Email,Join Time,Leave Time\nPat Lee,pat@example.org,11:30 PM,12:45 AM\nSam Roe,sam@example.org,00:10,00:40\n"
            // The platform wrote the join's date on the leave too: the leave is on the next day.
            + "Kim Park,kim@example.org,2026-11-29 23:40,2026-11-29 00:20\n"), NewYork, late.Starts);
        Assert.True(parse.IsValid, string.Join("\n", parse.Problems));

        var report = AttendanceTally.Tally(parse.Rows, late, 50, Registrants);

        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Pat] = (75, true), [Sam] = (30, false), [Kim] = (40, false) }, Minutes(report));
    }

    [Fact]
    public void TimesOfDayAlone_BeforeMidnight_CountForASessionStartingJustAfterIt()
    {
        // A session 00:30–01:30 local on 30 November (1 hour); Pat joined at 23:50 the evening before.
        var early = new SessionWindow(new DateTimeOffset(2026, 11, 30, 5, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 6, 30, 0, TimeSpan.Zero));
        var parse = ParticipantReport.Parse(Encoding.UTF8.GetBytes(
            "Name,Email,Join Time,Leave Time\nPat Lee,pat@example.org,11:50 PM,1:30 AM\nSam Roe,sam@example.org,12:40 AM,1:00 AM\n"), NewYork, early.Starts);
        Assert.True(parse.IsValid, string.Join("\n", parse.Problems));

        var report = AttendanceTally.Tally(parse.Rows, early, 75, Registrants);

        Assert.Equal(new Dictionary<Guid, (int, bool)> { [Pat] = (60, true), [Sam] = (20, false) }, Minutes(report));
    }

    [Theory]
    [InlineData("9:40 AM", "9:30 AM")]
    [InlineData("11/29/2026 10:00 AM", "11/29/2026 09:00 AM")]
    public void ALeaveHoursBeforeTheJoin_IsAProblem_NotAStayPastMidnight(string join, string leave)
    {
        // Read as the next day's leave it would count Pat for the rest of the session.
        var parse = Read($"Name,Email,Join Time,Leave Time\nPat Lee,pat@example.org,{join},{leave}\n");

        Assert.Equal(2, Assert.Single(parse.Problems).Line);
        Assert.Contains("before the join time", parse.Problems[0].Message, StringComparison.Ordinal);
        Assert.Empty(parse.Rows);
    }

    [Fact]
    public void TimesWithoutAnOffset_AreReadInTheChosenZone_AndTimesWithOneAsWritten()
    {
        const string Report = "Name,Email,Join Time,Leave Time\nPat Lee,pat@example.org,2026-11-29 09:00:00,2026-11-29 10:00:00\n"
            + "Sam Roe,sam@example.org,2026-11-29T14:00:00Z,2026-11-29T10:10:00-05:00\n";

        var inNewYork = Minutes(Tally(Read(Report)));
        var inUtc = Minutes(Tally(Read(Report, TimeZoneInfo.Utc)));

        Assert.Equal((60, false), inNewYork[Pat]);
        Assert.Equal((0, false), inUtc[Pat]); // 09:00–10:00 UTC is before the session
        Assert.Equal((70, true), inNewYork[Sam]);
        Assert.Equal((70, true), inUtc[Sam]);
    }

    [Theory]
    [InlineData("58", 58 * 60)]
    [InlineData("57.5", 57 * 60 + 30)]
    [InlineData("1h 5m 3s", 3903)]
    [InlineData("45 mins", 2700)]
    [InlineData("1 hour, 5 minutes", 3900)]
    [InlineData("1:05:03", 3903)]
    [InlineData("0:45", 2700)]
    public void Durations_AreReadInEveryShapeThePlatformsWrite(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ParticipantReport.ParseDuration(text));

    [Theory]
    [InlineData("soon")]
    [InlineData("5 parsecs")]
    [InlineData("1h and some")]
    public void Durations_ThatAreNotLengths_AreNotGuessed(string text) => Assert.Null(ParticipantReport.ParseDuration(text));

    [Fact]
    public void AControlCharacterInANameOrEmail_IsReportedAtItsLine()
    {
        var parse = Read("Name,Email,Join Time,Leave Time\nPat\u0001 Lee,pat@example.org,2026-11-29 09:00,2026-11-29 10:00\nSam Roe,sam\u0007@example.org,2026-11-29 09:00,2026-11-29 10:00\n");

        Assert.Equal([2, 3], parse.Problems.Select(p => p.Line));
        Assert.Contains("U+0001", parse.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("U+0007", parse.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnterminatedQuote_IsReportedAtTheLineItOpens()
    {
        var parse = Read("Name,Email,Join Time,Leave Time\nPat Lee,pat@example.org,9:00 AM,10:00 AM\n\"Sam Roe,sam@example.org,9:00 AM,10:00 AM\n");

        Assert.False(parse.IsValid);
        Assert.Equal(3, Assert.Single(parse.Problems).Line);
        Assert.Empty(parse.Rows);
    }

    [Fact]
    public void AQuotedFieldWithALineBreak_KeepsLaterLineNumbersTrue()
    {
        var parse = Read("Name,Email,Join Time,Leave Time\n\"Pat\nLee\",pat@example.org,9:00 AM,10:00 AM\nSam Roe,sam@example.org,9:00 AM,half past ten\n");

        Assert.Equal(4, Assert.Single(parse.Problems).Line);
        Assert.Contains("half past ten", parse.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReportWithoutAnEmailColumn_IsRefusedNamingWhatIsMissing()
    {
        var problem = Assert.Single(Read("Name,Join Time,Leave Time\nPat Lee,9:00 AM,10:00 AM\n").Problems);

        Assert.Equal(1, problem.Line);
        Assert.Contains("an email column", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a name column", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryUnreadableRow_IsReportedWithItsLine()
    {
        var parse = Read("Name,Email,Join Time,Leave Time,Duration\nPat Lee,pat@example.org,13/45/2026 9:00,10:00 AM,\n"
            + "Sam Roe,not-an-email,9:00 AM,10:00 AM,\nKim Park,kim@example.org,,,\nOk Person,ok@example.org,9:00,9:30,lots\n");

        Assert.Equal([2, 3, 4, 5], parse.Problems.Select(p => p.Line));
        Assert.Empty(parse.Rows);
    }

    [Fact]
    public void AFileThatIsNotText_OrTooLarge_OrEmpty_IsRefused()
    {
        Assert.Contains("not text", Assert.Single(ParticipantReport.Parse([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xD8], NewYork, Session.Starts).Problems).Message,
            StringComparison.Ordinal);
        Assert.Contains("at most", Assert.Single(ParticipantReport.Parse(new byte[ParticipantReport.MaxBytes + 1], NewYork, Session.Starts).Problems).Message,
            StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Single(Read("\uFEFF \r\n").Problems).Message, StringComparison.Ordinal);
        Assert.Contains("no participant rows", Assert.Single(Read("Name,Email,Duration\n").Problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(67, false)]
    [InlineData(68, true)]
    public void TheThreshold_IsAShareOfTheSessionLength(int minutes, bool attended) =>
        Assert.Equal(attended, AttendanceTally.Attended(minutes, 90, 75));
}
