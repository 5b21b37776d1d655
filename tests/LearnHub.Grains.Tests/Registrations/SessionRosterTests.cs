using LearnHub.Grains;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Tests.Registrations;

public class SessionRosterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Starts = Now.AddDays(7);
    private static readonly RegistrationGroup Group = new(Guid.NewGuid(), "secret");

    private static SessionRoster Roster(int capacity, bool closed = false) =>
        new(Guid.NewGuid(), capacity, Starts, closed, 0, 0, 0, null, 0);

    private static Applicant Person(string email) =>
        Applicant.Validate("Ann Lee", email, "County DCF", "Caseworker", "America/Chicago", null).Applicant!;

    [Fact]
    public void Admit_Confirms_WhileSeatsAreLeft_AndWaitlistsAfterwards()
    {
        var roster = Roster(capacity: 2);

        var first = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);
        var second = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now);
        var third = roster.Admit(Person("c@example.org"), null, Group, Guid.NewGuid(), Now);
        var fourth = roster.Admit(Person("d@example.org"), null, Group, Guid.NewGuid(), Now);

        Assert.Equal([AdmissionOutcome.Confirmed, AdmissionOutcome.Confirmed, AdmissionOutcome.Waitlisted, AdmissionOutcome.Waitlisted],
            [first.Outcome, second.Outcome, third.Outcome, fourth.Outcome]);
        Assert.Equal([1, 2], new[] { third.WaitlistPosition!.Value, fourth.WaitlistPosition!.Value });
        Assert.Equal([1L, 2L, 3L, 4L], new[] { first, second, third, fourth }.Select(a => a.Registration!.Sequence));
        Assert.Equal(2, roster.ConfirmedCount);
        Assert.Equal(2, roster.WaitlistedCount);
        Assert.Equal(0, roster.SeatsLeft);
    }

    [Fact]
    public void Admit_InASessionThatAsksForConsent_SeatsEitherAnswer_AndRefusesNoAnswer_WithoutTakingASeat()
    {
        var roster = new SessionRoster(Guid.NewGuid(), 1, Starts, false, 0, 0, 0, null, 0, asksRecordingConsent: true);

        var none = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);
        var no = roster.Admit(Person("b@example.org") with { RecordingConsent = false }, null, Group, Guid.NewGuid(), Now);
        var yes = roster.Admit(Person("c@example.org") with { RecordingConsent = true }, null, Group, Guid.NewGuid(), Now);

        Assert.Equal([AdmissionOutcome.ConsentAnswerNeeded, AdmissionOutcome.Confirmed, AdmissionOutcome.Waitlisted], [none.Outcome, no.Outcome, yes.Outcome]);
        Assert.Null(none.Registration);
        Assert.Equal([false, true], new[] { no, yes }.Select(a => a.Registration!.Applicant.RecordingConsent!.Value));
        Assert.Equal(2, roster.LastSequence);
    }

    [Fact]
    public void RecordingConsentOf_KeepsNoAnswer_WhereNobodyAsked_AndAnEarlierAnswer_WhenNoneIsGiven()
    {
        var asks = new SessionRoster(Guid.NewGuid(), 5, Starts, false, 0, 0, 0, null, 0, asksRecordingConsent: true);
        var doesNotAsk = Roster(capacity: 5);

        var admitted = doesNotAsk.Admit(Person("a@example.org") with { RecordingConsent = true }, null, Group, Guid.NewGuid(), Now);

        Assert.Null(admitted.Registration!.Applicant.RecordingConsent);
        Assert.False(asks.RecordingConsentOf(Person("b@example.org") with { RecordingConsent = false }, true));
        Assert.True(asks.RecordingConsentOf(Person("b@example.org"), true));
        Assert.True(doesNotAsk.RecordingConsentOf(Person("b@example.org") with { RecordingConsent = false }, true));
    }

    [Fact]
    public void Admit_AnswersAlreadyRegistered_AndChangesNothing_WhenTheEmailHoldsAPlace()
    {
        var roster = Roster(capacity: 5);
        var existing = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        var again = roster.Admit(Person("A@Example.org"), existing, Group, Guid.NewGuid(), Now);

        Assert.Equal(AdmissionOutcome.AlreadyRegistered, again.Outcome);
        Assert.Same(existing, again.Registration);
        Assert.Equal(1, roster.ConfirmedCount);
        Assert.Equal(1, roster.LastSequence);
    }

    [Fact]
    public void Admit_WithTheLearningExchange_IsRefusedWhole_WhenTheSessionHasNone()
    {
        var roster = Roster(capacity: 5);

        var admission = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now, withLearningExchange: true);

        Assert.Equal(AdmissionOutcome.NoLearningExchange, admission.Outcome);
        Assert.Equal((0, 0L), (roster.ConfirmedCount, roster.LastSequence));
    }

    [Fact]
    public void Admit_IsClosed_AtTheSessionStart()
    {
        var roster = Roster(capacity: 5);

        var admission = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Starts);

        Assert.Equal(AdmissionOutcome.Closed, admission.Outcome);
        Assert.Equal(ClosedReason.SessionStarted, admission.ClosedReason);
        Assert.Equal(0, roster.LastSequence);
    }

    [Fact]
    public void Admit_IsClosed_WhileTheSessionIsADraft()
    {
        var roster = new SessionRoster(Guid.NewGuid(), 5, Starts, false, 0, 0, 0, null, 0, published: false);

        var admission = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);

        Assert.Equal(AdmissionOutcome.Closed, admission.Outcome);
        Assert.Equal(ClosedReason.NotPublished, admission.ClosedReason);
        Assert.Equal((0, 0L), (roster.ConfirmedCount, roster.LastSequence));
    }

    [Fact]
    public void Admit_IsClosed_OnceAnOrganizerClosesRegistration()
    {
        var roster = Roster(capacity: 5);
        Assert.True(roster.CloseRegistration());
        Assert.False(roster.CloseRegistration());

        var admission = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);

        Assert.Equal(AdmissionOutcome.Closed, admission.Outcome);
        Assert.Equal(ClosedReason.ClosedByOrganizer, admission.ClosedReason);
    }

    [Fact]
    public void Cancel_OfAConfirmedSeat_PromotesTheFirstWaiting()
    {
        var roster = Roster(capacity: 1);
        var seated = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;
        var waiting = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        var cancellation = roster.Cancel(seated, waiting, Now.AddHours(1));

        Assert.Equal(CancellationOutcome.Cancelled, cancellation.Outcome);
        Assert.Same(waiting, cancellation.Promoted);
        Assert.Equal(RegistrationStatus.Cancelled, seated.Status);
        Assert.Equal(RegistrationStatus.Confirmed, waiting.Status);
        Assert.Equal(Now.AddHours(1), waiting.PromotedAt);
        Assert.Equal((1, 0), (roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void Cancel_Twice_ChangesNothingTheSecondTime()
    {
        var roster = Roster(capacity: 1);
        var seated = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;
        roster.Cancel(seated, null, Now);

        var again = roster.Cancel(seated, null, Now);

        Assert.Equal(CancellationOutcome.AlreadyCancelled, again.Outcome);
        Assert.Equal((0, 0), (roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void Cancel_OfAWaitingRegistration_ShortensTheWaitlist_WithoutPromotingAnyone()
    {
        var roster = Roster(capacity: 1);
        roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);
        var waiting = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        var cancellation = roster.Cancel(waiting, null, Now);

        Assert.Null(cancellation.Promoted);
        Assert.Equal((1, 0), (roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void Cancel_AfterTheSessionStarted_FreesTheSeat_ButPromotesNobody()
    {
        var roster = Roster(capacity: 1);
        var seated = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;
        var waiting = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        var cancellation = roster.Cancel(seated, waiting, Starts.AddMinutes(5));

        Assert.Null(cancellation.Promoted);
        Assert.Equal(RegistrationStatus.Waitlisted, waiting.Status);
    }

    [Fact]
    public void Cancel_OfAnotherSessionsRegistration_IsABrokenInvariant()
    {
        var roster = Roster(capacity: 1);
        var other = Roster(capacity: 1).Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        var error = Assert.Throws<DomainException>(() => roster.Cancel(other, null, Now));
        Assert.Contains(roster.SessionId.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RefusesARosterWithMoreConfirmedThanSeats()
    {
        var error = Assert.Throws<DomainException>(() => new SessionRoster(Guid.NewGuid(), 2, Starts, false, 3, 0, 3, null, 0));
        Assert.Contains("capacity 2, confirmed 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reschedule_RaisesTheInviteSequence_OnlyWhenTheTimesChange()
    {
        var roster = Roster(capacity: 5);
        var ends = roster.EndsAt;

        Assert.False(roster.Reschedule(Starts, ends));
        Assert.True(roster.Reschedule(Starts.AddDays(1), ends.AddDays(1)));

        Assert.Equal((Starts.AddDays(1), 1L), (roster.StartsAt, roster.InviteSequence));
    }

    [Fact]
    public void Reschedule_RefusesAnEndBeforeTheStart_AndACancelledSession()
    {
        var roster = Roster(capacity: 5);

        Assert.Throws<DomainException>(() => roster.Reschedule(Starts, Starts.AddMinutes(-1)));
        Assert.True(roster.CancelSession());
        var error = Assert.Throws<DomainException>(() => roster.Reschedule(Starts.AddDays(1), Starts.AddDays(1).AddHours(1)));
        Assert.Contains("is cancelled; it cannot be asked to move", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancelSession_ClosesRegistration_AndAFreedSeatGoesToNobody()
    {
        var roster = Roster(capacity: 1);
        var seated = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;
        var waiting = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;

        Assert.True(roster.CancelSession());
        Assert.False(roster.CancelSession());
        var cancellation = roster.Cancel(seated, waiting, Now);

        Assert.Null(cancellation.Promoted);
        Assert.Equal(ClosedReason.SessionCancelled, roster.ClosedAt(Now));
        Assert.Equal(RegistrationStatus.Waitlisted, waiting.Status);
    }

    private static (SessionRoster Roster, List<Registration> Waiting) FullRosterWithWaitlist(int capacity, int waiting)
    {
        var roster = Roster(capacity);
        var list = new List<Registration>();
        for (var i = 0; i < capacity + waiting; i++)
        {
            var admission = roster.Admit(Person($"p{i}@example.org"), null, Group, Guid.NewGuid(), Now);
            if (admission.Outcome == AdmissionOutcome.Waitlisted)
            {
                list.Add(admission.Registration!);
            }
        }

        return (roster, list);
    }

    [Fact]
    public void ChangeCapacity_Raised_PromotesTheWaitlistFirstComeFirstServed()
    {
        var (roster, waiting) = FullRosterWithWaitlist(capacity: 2, waiting: 3);

        var change = roster.ChangeCapacity(4, waiting, Now);

        Assert.Equal(CapacityChangeOutcome.Changed, change.Outcome);
        Assert.Equal(waiting.Take(2), change.Promoted);
        Assert.All(change.Promoted, r => Assert.Equal(RegistrationStatus.Confirmed, r.Status));
        Assert.Equal(RegistrationStatus.Waitlisted, waiting[2].Status);
        Assert.Equal((4, 4, 1), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void ChangeCapacity_RaisedBeyondTheWaitlist_PromotesEveryone_AndLeavesSeatsFree()
    {
        var (roster, waiting) = FullRosterWithWaitlist(capacity: 1, waiting: 2);

        var change = roster.ChangeCapacity(10, waiting, Now);

        Assert.Equal(2, change.Promoted.Count);
        Assert.Equal((3, 0, 7), (roster.ConfirmedCount, roster.WaitlistedCount, roster.SeatsLeft));
    }

    [Fact]
    public void ChangeCapacity_BelowTheConfirmedCount_IsRefused_AndChangesNothing()
    {
        var (roster, waiting) = FullRosterWithWaitlist(capacity: 3, waiting: 1);

        var change = roster.ChangeCapacity(2, waiting, Now);

        Assert.Equal(CapacityChangeOutcome.BelowConfirmed, change.Outcome);
        Assert.Empty(change.Promoted);
        Assert.Equal((3, 3, 1), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void ChangeCapacity_LoweredToTheConfirmedCount_ClosesTheFreeSeats()
    {
        var roster = Roster(capacity: 5);
        roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);

        var change = roster.ChangeCapacity(1, [], Now);
        var next = roster.Admit(Person("b@example.org"), null, Group, Guid.NewGuid(), Now);

        Assert.Equal(CapacityChangeOutcome.Changed, change.Outcome);
        Assert.Equal(AdmissionOutcome.Waitlisted, next.Outcome);
    }

    [Fact]
    public void ChangeCapacity_AfterTheSessionStarted_PromotesNobody()
    {
        var (roster, waiting) = FullRosterWithWaitlist(capacity: 1, waiting: 1);

        var change = roster.ChangeCapacity(2, waiting, Starts.AddMinutes(5));

        Assert.Empty(change.Promoted);
        Assert.Equal((2, 1, 1), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void ChangeCapacity_OfACancelledSession_Throws()
    {
        var roster = Roster(capacity: 1);
        roster.CancelSession();

        var error = Assert.Throws<DomainException>(() => roster.ChangeCapacity(2, [], Now));
        Assert.Contains("cancelled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeCapacity_Throws_WhenShownTheWaitlistOutOfOrder()
    {
        var (roster, waiting) = FullRosterWithWaitlist(capacity: 1, waiting: 2);
        waiting.Reverse();

        Assert.Throws<DomainException>(() => roster.ChangeCapacity(3, waiting, Now));
    }
}
