using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Tests.Registrations;

/// <summary>
/// The roster rules behind an organizer's own registrant changes: adding a person past the organizer's own closures,
/// and promoting a named waitlisted registrant, over capacity only by an explicit override that adds the seat.
/// </summary>
public class OrganizerRosterRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Starts = Now.AddDays(7);
    private static readonly RegistrationGroup Group = new(Guid.NewGuid(), "secret");

    private static SessionRoster Roster(int capacity, bool closed = false, bool published = true, bool cancelled = false) =>
        new(Guid.NewGuid(), capacity, Starts, closed, 0, 0, 0, null, 0, cancelled: cancelled, published: published);

    private static Applicant Person(string email) =>
        Applicant.Validate("Ann Lee", email, "County DCF", "Caseworker", "America/Chicago", null).Applicant!;

    private static Registration Waitlist(SessionRoster roster, string email) =>
        roster.Admit(Person(email), null, Group, Guid.NewGuid(), Now).Registration!;

    [Fact]
    public void AdmitByOrganizer_SeatsAPerson_WhereTheOrganizerClosedRegistration_OrTheSessionIsADraft()
    {
        var closed = Roster(capacity: 1, closed: true);
        var draft = Roster(capacity: 1, published: false);

        Assert.Equal(AdmissionOutcome.Closed, closed.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Outcome);
        Assert.Equal(AdmissionOutcome.Confirmed, closed.AdmitByOrganizer(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Outcome);
        Assert.Equal(AdmissionOutcome.Confirmed, draft.AdmitByOrganizer(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Outcome);
        Assert.Equal(AdmissionOutcome.Waitlisted, closed.AdmitByOrganizer(Person("b@example.org"), null, Group, Guid.NewGuid(), Now).Outcome);
    }

    [Fact]
    public void AdmitByOrganizer_IsRefused_ByACancelledSession_OrOneThatHasBegun()
    {
        var cancelled = Roster(capacity: 5, cancelled: true);
        var begun = Roster(capacity: 5);

        Assert.Equal(ClosedReason.SessionCancelled, cancelled.AdmitByOrganizer(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).ClosedReason);
        Assert.Equal(ClosedReason.SessionStarted, begun.AdmitByOrganizer(Person("a@example.org"), null, Group, Guid.NewGuid(), Starts).ClosedReason);
        Assert.Equal((0, 0), (cancelled.ConfirmedCount, begun.ConfirmedCount));
    }

    [Fact]
    public void Promote_GivesAFreeSeat_ToTheNamedRegistrant_OutOfArrivalOrder()
    {
        // Two seats, one taken, two waiting (as stored after seats were raised once the session had begun, say).
        var roster = new SessionRoster(Guid.NewGuid(), 2, Starts, false, 1, 2, 3, null, 0);
        var first = new Registration(Guid.NewGuid(), roster.SessionId, Group, Person("b@example.org"), RegistrationStatus.Waitlisted, 2, Now);
        var second = new Registration(Guid.NewGuid(), roster.SessionId, Group, Person("c@example.org"), RegistrationStatus.Waitlisted, 3, Now);

        var promotion = roster.Promote(second, overCapacity: false, Now);

        Assert.Equal(ManualPromotionOutcome.Promoted, promotion.Outcome);
        Assert.Equal(RegistrationStatus.Confirmed, second.Status);
        Assert.Equal(RegistrationStatus.Waitlisted, first.Status);
        Assert.Equal((2, 2, 1), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void Promote_IntoAFullSession_IsRefusedWithoutTheOverride_AndChangesNothing()
    {
        var roster = Roster(capacity: 1);
        roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);
        var waiting = Waitlist(roster, "b@example.org");

        var promotion = roster.Promote(waiting, overCapacity: false, Now);

        Assert.Equal(ManualPromotionOutcome.Full, promotion.Outcome);
        Assert.Equal(RegistrationStatus.Waitlisted, waiting.Status);
        Assert.Equal((1, 1, 1), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void Promote_WithTheOverride_AddsASeat_SoConfirmedNeverExceedsCapacity()
    {
        var roster = Roster(capacity: 1);
        roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now);
        var waiting = Waitlist(roster, "b@example.org");

        var promotion = roster.Promote(waiting, overCapacity: true, Now);

        Assert.Equal(ManualPromotionOutcome.PromotedOverCapacity, promotion.Outcome);
        Assert.Equal((2, 2, 0), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
        Assert.Equal(Now, waiting.PromotedAt);
    }

    [Fact]
    public void Promote_WithTheOverride_WhileASeatIsFree_TakesTheFreeSeat_WithoutAddingOne()
    {
        var roster = new SessionRoster(Guid.NewGuid(), 3, Starts, false, 1, 1, 2, null, 0);
        var waiting = new Registration(Guid.NewGuid(), roster.SessionId, Group, Person("b@example.org"), RegistrationStatus.Waitlisted, 2, Now);

        Assert.Equal(ManualPromotionOutcome.Promoted, roster.Promote(waiting, overCapacity: true, Now).Outcome);
        Assert.Equal((3, 2), (roster.Capacity, roster.ConfirmedCount));
    }

    [Fact]
    public void Promote_RefusesAHeldSeat_ACancelledRegistration_AndASessionThatHasBegun()
    {
        var roster = Roster(capacity: 1);
        var seated = roster.Admit(Person("a@example.org"), null, Group, Guid.NewGuid(), Now).Registration!;
        var waiting = Waitlist(roster, "b@example.org");
        var gone = Waitlist(roster, "c@example.org");
        roster.Cancel(gone, null, Now);

        Assert.Equal(ManualPromotionOutcome.NotWaiting, roster.Promote(seated, true, Now).Outcome);
        Assert.Equal(ManualPromotionOutcome.NotWaiting, roster.Promote(gone, true, Now).Outcome);
        Assert.Equal(ManualPromotionOutcome.SessionClosed, roster.Promote(waiting, true, Starts).Outcome);
        Assert.Equal((1, 1, 1), (roster.Capacity, roster.ConfirmedCount, roster.WaitlistedCount));
    }

    [Fact]
    public void Promote_ARegistrationOfAnotherSession_BreaksTheInvariant()
    {
        var roster = Roster(capacity: 1);
        var elsewhere = new Registration(Guid.NewGuid(), Guid.NewGuid(), Group, Person("b@example.org"), RegistrationStatus.Waitlisted, 1, Now);

        Assert.Throws<DomainException>(() => roster.Promote(elsewhere, true, Now));
    }
}
