using LearnHub.Grains;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;

namespace LearnHub.Grains.Tests.Mentoring;

public class FollowUpScheduleTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static Mentorship AssignedOn(int year, int month, int day, string zone = "America/New_York") =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new DateOnly(year, month, day), zone);

    [Fact]
    public void AssignedOnJanuary31_FallsDueOnFebruary28_ThenMarch31_InANonLeapYear()
    {
        var dates = AssignedOn(2027, 1, 31).FollowUpsThrough(new DateOnly(2027, 5, 31));

        Assert.Equal([new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 30), new DateOnly(2027, 5, 31)], dates);
    }

    [Fact]
    public void AssignedOnJanuary31_FallsDueOnFebruary29_InALeapYear()
    {
        var dates = AssignedOn(2028, 1, 31).FollowUpsThrough(new DateOnly(2028, 3, 31));

        Assert.Equal([new DateOnly(2028, 2, 29), new DateOnly(2028, 3, 31)], dates);
    }

    [Fact]
    public void DaylightSavingWeeks_NeitherShiftNorDuplicateAFollowUp()
    {
        // Due on the 14th: in 2027 New York springs forward on March 14 and falls back on November 7.
        var mentorship = AssignedOn(2027, 1, 14);

        var instants = mentorship.FollowUpsThrough(new DateOnly(2027, 12, 31)).Select(d => FollowUpSchedule.DueAt(d, NewYork)).ToList();

        Assert.Equal(11, instants.Distinct().Count());
        Assert.All(instants, i => Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(i, NewYork).DateTime)));
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 13, 0, 0, TimeSpan.Zero), instants[1]); // 09:00 EDT, the change day itself
        Assert.Equal(new DateTimeOffset(2027, 2, 14, 14, 0, 0, TimeSpan.Zero), instants[0]); // 09:00 EST
    }

    [Fact]
    public void ALocalTimeTheClockSkips_MovesToTheFirstTimeThatExists_AndARepeatedOneIsTheFirst()
    {
        var skipped = FollowUpSchedule.DueAt(new DateOnly(2027, 3, 14), NewYork, new TimeOnly(2, 30));
        var repeated = FollowUpSchedule.DueAt(new DateOnly(2027, 11, 7), NewYork, new TimeOnly(1, 30));

        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 0, 0, TimeSpan.Zero), skipped);   // 03:00 EDT
        Assert.Equal(new DateTimeOffset(2027, 11, 7, 5, 30, 0, TimeSpan.Zero), repeated); // 01:30 EDT, not EST
    }

    [Fact]
    public void EndingAMentorship_CancelsTheFollowUpsAfterTheEnd()
    {
        var mentorship = AssignedOn(2027, 1, 31);

        mentorship.End(MentorshipStatus.Withdrawn, new DateOnly(2027, 4, 15));

        Assert.Equal([new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31)], mentorship.FollowUpsThrough(new DateOnly(2027, 12, 31)));
        Assert.Null(mentorship.NextFollowUpAfter(new DateOnly(2027, 3, 31)));
        var again = Assert.Throws<DomainException>(() => mentorship.End(MentorshipStatus.Completed, new DateOnly(2027, 5, 1)));
        Assert.Contains("is Withdrawn; it cannot be asked to end as Completed", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFollowUpLog_RefusesAFutureDate_AndANegativeDuration()
    {
        var log = new FollowUpLog(new DateOnly(2027, 3, 2), FollowUpMode.Phone, -5, ["workload"], "", "");

        var problems = log.Problems(todayInMentorZone: new DateOnly(2027, 3, 1), assignedOn: new DateOnly(2027, 1, 31));

        Assert.Equal(["durationMinutes", "heldOn"], problems.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(new FollowUpLog(new DateOnly(2027, 2, 28), FollowUpMode.Video, 45, ["self-care"], "notes", "next")
            .Problems(new DateOnly(2027, 3, 1), new DateOnly(2027, 1, 31)));
    }
}

public class NoteAccessTests
{
    private static readonly Mentorship Pair = new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2027, 1, 31), "UTC");

    [Fact]
    public void OnlyTheMentor_OrACoordinatorWithAReason_SeesNotes()
    {
        HashSet<Role> none = [];
        HashSet<Role> coordinator = [Role.Coordinator];
        HashSet<Role> mentor = [Role.Mentor];
        HashSet<Role> organizerAndAdmin = [Role.Organizer, Role.Admin];

        Assert.Equal(NoteAccessLevel.Notes, NoteAccess.Decide(Pair.MentorId, mentor, Pair, null));
        Assert.Equal(NoteAccessLevel.Summary, NoteAccess.Decide(Guid.NewGuid(), coordinator, Pair, null));
        Assert.Equal(NoteAccessLevel.Summary, NoteAccess.Decide(Guid.NewGuid(), coordinator, Pair, "   "));
        Assert.Equal(NoteAccessLevel.Notes, NoteAccess.Decide(Guid.NewGuid(), coordinator, Pair, "Safeguarding concern raised by the mentee"));
        Assert.Equal(NoteAccessLevel.Mentee, NoteAccess.Decide(Pair.MenteeId, none, Pair, "any reason"));
        Assert.Equal(NoteAccessLevel.None, NoteAccess.Decide(Guid.NewGuid(), mentor, Pair, "curious"));
        Assert.Equal(NoteAccessLevel.None, NoteAccess.Decide(Guid.NewGuid(), organizerAndAdmin, Pair, "curious"));
    }
}
