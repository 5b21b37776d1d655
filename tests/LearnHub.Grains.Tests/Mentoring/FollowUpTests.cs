using LearnHub.Grains;
using LearnHub.Grains.Mentoring;

namespace LearnHub.Grains.Tests.Mentoring;

public class FollowUpTests
{
    private static readonly DateOnly Today = new(2027, 3, 10);

    private static FollowUp Due(int year, int month, int day, int number = 1) =>
        new(Guid.NewGuid(), number, new DateOnly(year, month, day), new DateOnly(year, month, day));

    [Fact]
    public void Plan_GivesTheNthMonthOfTheSchedule_MonthEndClamped()
    {
        var mentorship = new Mentorship(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2027, 1, 31), "America/New_York");

        var planned = Enumerable.Range(1, 3).Select(n => FollowUp.Plan(mentorship, n)).ToList();

        Assert.Equal([new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 30)], planned.Select(f => f.DueOn));
        Assert.All(planned, f => Assert.Equal((FollowUpState.Pending, f.ScheduledOn), (f.State, f.DueOn)));
    }

    [Fact]
    public void Reschedule_MovesTheDueDate_AndKeepsTheReason_ButNotTheScheduledDate()
    {
        var followUp = Due(2027, 3, 8);

        followUp.Reschedule(new DateOnly(2027, 3, 15), "  Mentee on leave this week ", Today);

        Assert.Equal((new DateOnly(2027, 3, 15), new DateOnly(2027, 3, 8), "Mentee on leave this week"), (followUp.DueOn, followUp.ScheduledOn, followUp.Reason));
        Assert.False(followUp.IsDue(Today));
    }

    [Theory]
    [InlineData(2027, 3, 9, "a reason", "dueOn")]   // in the past
    [InlineData(2027, 5, 12, "a reason", "dueOn")]  // more than 62 days ahead
    [InlineData(2027, 3, 8, "a reason", "dueOn")]   // its date already
    [InlineData(2027, 3, 20, " ", "reason")]         // no reason
    public void RescheduleProblems_NameTheField_AndRescheduleRefusesThem(int year, int month, int day, string reason, string field)
    {
        var followUp = Due(2027, 3, 8);

        var problems = followUp.RescheduleProblems(new DateOnly(year, month, day), reason, Today);

        Assert.Equal([field], problems.Keys);
        Assert.Throws<DomainException>(() => followUp.Reschedule(new DateOnly(year, month, day), reason, Today));
        Assert.Equal(new DateOnly(2027, 3, 8), followUp.DueOn);
    }

    [Fact]
    public void Skip_NeedsAReason_AndOnlyAPendingFollowUpChanges()
    {
        var followUp = Due(2027, 3, 8);

        Assert.Contains("reason", FollowUp.SkipProblems(""));
        followUp.Skip("Mentee on parental leave");

        Assert.Equal(FollowUpState.Skipped, followUp.State);
        var again = Assert.Throws<DomainException>(followUp.MarkDone);
        Assert.Contains("is Skipped; it cannot be asked to be logged", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndingTheMentorship_MissesWhatWasDue_AndCancelsWhatWasNot()
    {
        var overdue = Due(2027, 2, 28);
        var upcoming = Due(2027, 3, 31, number: 2);

        overdue.CloseForEnd(Today);
        upcoming.CloseForEnd(Today);

        Assert.Equal((FollowUpState.Missed, FollowUpState.Cancelled), (overdue.State, upcoming.State));
    }

    [Fact]
    public void AMeeting_CompletesTheEarliestPendingFollowUp_DueWithinTwoWeeksOfIt()
    {
        var overdue = Due(2027, 2, 28, 1);
        var next = Due(2027, 3, 31, 2);
        var done = Due(2027, 1, 31, number: 3);
        done.MarkDone();

        Assert.Same(overdue, FollowUp.CompletedBy([next, overdue, done], new DateOnly(2027, 3, 10)));
        Assert.Same(next, FollowUp.CompletedBy([next], new DateOnly(2027, 3, 17)));  // two weeks early still counts
        Assert.Null(FollowUp.CompletedBy([next], new DateOnly(2027, 3, 16)));       // earlier is an extra meeting
    }
}

public class FollowUpAlertPolicyTests
{
    private static readonly FollowUpAlertPolicy Policy = new(TimeSpan.FromDays(7), TimeSpan.FromDays(14));
    private static readonly DateTimeOffset DueAt = new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachAlert_GoesOutAtItsTime_InOrder_AndNothingAfterTheEscalation()
    {
        Assert.Equal(((FollowUpAlert?)null, (FollowUpAlert?)FollowUpAlert.Due), Policy.Fire(FollowUpAlert.Due, DueAt, DueAt.AddMinutes(-1)));
        Assert.Equal(((FollowUpAlert?)FollowUpAlert.Due, (FollowUpAlert?)FollowUpAlert.Overdue), Policy.Fire(FollowUpAlert.Due, DueAt, DueAt));
        Assert.Equal(((FollowUpAlert?)null, (FollowUpAlert?)FollowUpAlert.Overdue), Policy.Fire(FollowUpAlert.Overdue, DueAt, DueAt.AddDays(6)));
        Assert.Equal(((FollowUpAlert?)FollowUpAlert.Overdue, (FollowUpAlert?)FollowUpAlert.Escalation), Policy.Fire(FollowUpAlert.Overdue, DueAt, DueAt.AddDays(7)));
        Assert.Equal(((FollowUpAlert?)FollowUpAlert.Escalation, (FollowUpAlert?)null), Policy.Fire(FollowUpAlert.Escalation, DueAt, DueAt.AddDays(14)));
    }

    [Fact]
    public void ALateRun_SendsOnlyTheMostAdvancedAlertReached()
    {
        Assert.Equal(((FollowUpAlert?)FollowUpAlert.Overdue, (FollowUpAlert?)FollowUpAlert.Escalation), Policy.Fire(FollowUpAlert.Due, DueAt, DueAt.AddDays(8)));
        Assert.Equal(((FollowUpAlert?)FollowUpAlert.Escalation, (FollowUpAlert?)null), Policy.Fire(FollowUpAlert.Due, DueAt, DueAt.AddDays(30)));
    }

    [Fact]
    public void APolicyWhoseEscalationDoesNotComeAfterTheReminder_IsRefused()
    {
        Assert.Empty(Policy.Problems());
        Assert.Single(new FollowUpAlertPolicy(TimeSpan.FromDays(7), TimeSpan.FromDays(7)).Problems());
        Assert.Equal(2, new FollowUpAlertPolicy(TimeSpan.Zero, TimeSpan.Zero).Problems().Count());
    }
}
