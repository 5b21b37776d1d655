using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Tests.Registrations;

public class AccommodationAndWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Starts = Now.AddDays(7);
    private static readonly RegistrationGroup Group = new(Guid.NewGuid(), "secret");

    private static Applicant Person(string email, string accommodations = "") =>
        Applicant.Validate("Ann Lee", email, "County DCF", "Caseworker", "America/Chicago", accommodations).Applicant!;

    private static SessionRoster Roster(RegistrationWindow window) =>
        new(Guid.NewGuid(), 10, Starts, false, 0, 0, 0, null, 0, Starts.AddHours(1), window: window);

    [Fact]
    public void Admit_BeforeTheWindowOpens_IsRefusedAsNotOpenYet_AndTakesNoSeat()
    {
        var roster = Roster(new RegistrationWindow(Now.AddDays(1), null));

        var early = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);
        var onTime = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now.AddDays(1));

        Assert.Equal((AdmissionOutcome.Closed, ClosedReason.NotOpenYet), (early.Outcome, early.ClosedReason));
        Assert.Null(early.Registration);
        Assert.Equal(AdmissionOutcome.Confirmed, onTime.Outcome);
        Assert.Equal(1, roster.ConfirmedCount);
    }

    [Fact]
    public void Admit_AtOrAfterTheWindowCloses_IsRefusedAsWindowClosed()
    {
        var roster = Roster(new RegistrationWindow(null, Now.AddDays(2)));

        var last = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now.AddDays(2).AddTicks(-1));
        var late = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now.AddDays(2));

        Assert.Equal(AdmissionOutcome.Confirmed, last.Outcome);
        Assert.Equal((AdmissionOutcome.Closed, ClosedReason.WindowClosed), (late.Outcome, late.ClosedReason));
    }

    [Fact]
    public void AnOrganizer_AddsAPerson_OutsideTheWindow_WhichIsTheirOwnRule_ButNotAfterTheStart()
    {
        var notYet = Roster(new RegistrationWindow(Now.AddDays(1), null));
        var shut = Roster(new RegistrationWindow(null, Now.AddDays(-1)));

        Assert.Equal(AdmissionOutcome.Confirmed, notYet.AdmitByOrganizer(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Outcome);
        Assert.Equal(AdmissionOutcome.Confirmed, shut.AdmitByOrganizer(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Outcome);
        Assert.Equal(ClosedReason.SessionStarted, shut.AdmitByOrganizer(Person("b@example.org"), null, Group, Guid.NewGuid(), Starts).ClosedReason);
        Assert.Equal(1, shut.ConfirmedCount);
    }

    [Fact]
    public void Window_ClosingAtTheEnd_OrOpeningAtItsClose_IsNamedByField()
    {
        var ends = Starts.AddHours(1);

        var closesAtEnd = new RegistrationWindow(null, ends).Problems(ends);
        var opensAtClose = new RegistrationWindow(Now.AddDays(2), Now.AddDays(2)).Problems(ends);
        var fine = new RegistrationWindow(Now.AddDays(1), Now.AddDays(2)).Problems(ends);

        Assert.Equal([RegistrationWindow.ClosesField], closesAtEnd.Keys);
        Assert.Equal([RegistrationWindow.OpensField], opensAtClose.Keys);
        Assert.Empty(fine);
    }

    [Fact]
    public void Admit_WithARequest_StartsItRequested_AndWithoutOne_None()
    {
        var roster = Roster(RegistrationWindow.Always);

        var asking = roster.Admit(Person("a@example.org", "ASL interpreter"), null, Group, Guid.NewGuid(), Now).Registration!;
        var notAsking = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        Assert.Equal((AccommodationState.Requested, Now), (asking.Accommodation.State, asking.Accommodation.RequestedAt));
        Assert.Equal(AccommodationState.None, notAsking.Accommodation.State);
    }

    [Theory]
    [InlineData(AccommodationState.None)]
    [InlineData((AccommodationState)42)]
    public void AnswerProblem_RefusesAStateThatIsNotAnAnswer(AccommodationState state) =>
        Assert.NotNull(Accommodation.AnswerProblem(state, ""));

    [Fact]
    public void AnswerProblem_RefusesANoteTooLong() =>
        Assert.NotNull(Accommodation.AnswerProblem(AccommodationState.Arranged, new string('x', Accommodation.MaxNote + 1)));

    [Fact]
    public void ReminderLeads_ReadWhatPeopleWrite_LongestFirst_AndWriteItBack()
    {
        var (leads, problem) = ReminderLeads.Parse("1 hour, 7 days; 1 day");

        Assert.Null(problem);
        Assert.Equal([TimeSpan.FromDays(7), TimeSpan.FromDays(1), TimeSpan.FromHours(1)], leads);
        Assert.Equal("7 days, 1 day, 1 hour", ReminderLeads.Format(leads!));
        Assert.Equal([TimeSpan.FromHours(24), TimeSpan.FromMinutes(30)], ReminderLeads.Parse("24h, 30m").Leads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("1 hour, 1 hour")]
    [InlineData("1 minute")]
    [InlineData("90 days")]
    [InlineData("1d, 2d, 3d, 4d, 5d, 6d")]
    public void ReminderLeads_RefuseWhatASeriesMayNotHave(string text)
    {
        var (leads, problem) = ReminderLeads.Parse(text);

        Assert.Null(leads);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
