namespace LearnHub.Grains.Registrations;

/// <summary>One session's registrations: the only way seats are given, waited for and given back.</summary>
public interface ISessionGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Registers an applicant, and for a webinar also for its learning exchange when asked. Both registrations share
    /// one new group (one manage link).
    /// </summary>
    Task<RegistrationReceipt> RegisterAsync(Applicant applicant, bool includeLearningExchange, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers an applicant into an existing group (how a webinar brings its learning exchange along). With
    /// <paramref name="withLearningExchange"/>, a session that has no learning exchange refuses the whole request.
    /// </summary>
    Task<SessionAdmission> AdmitAsync(Applicant applicant, RegistrationGroup group, bool withLearningExchange = false, CancellationToken cancellationToken = default);

    /// <summary>Cancels a registration of this session, promoting the first on the waitlist when a seat frees up.</summary>
    Task<CancelResult> CancelAsync(Guid registrationId, CancellationToken cancellationToken = default);

    /// <summary>Moves the session; every live registrant is told, with an updated invite for those holding a seat.</summary>
    Task<SessionChangeResult> RescheduleAsync(DateTimeOffset startsAt, DateTimeOffset endsAt, CancellationToken cancellationToken = default);

    /// <summary>Cancels the session; every live registrant is told, and reminders are dropped.</summary>
    Task<SessionChangeResult> CancelSessionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the number of seats. New seats go to the waitlist first come, first served (each promoted registrant is
    /// emailed, with an invite); fewer seats than are confirmed is refused and changes nothing.
    /// </summary>
    Task<CapacityChangeResult> ChangeCapacityAsync(int capacity, CancellationToken cancellationToken = default);

    /// <summary>Closes registration (an organizer's decision). False when it already was closed.</summary>
    Task<CloseResult> CloseRegistrationAsync(CancellationToken cancellationToken = default);
}

/// <summary>What registering for one session came to.</summary>
[GenerateSerializer]
public enum SessionAdmissionOutcome
{
    /// <summary>Holds a seat.</summary>
    Confirmed,

    /// <summary>On the waitlist at <see cref="SessionAdmission.WaitlistPosition"/>.</summary>
    Waitlisted,

    /// <summary>This email already holds or waits for a place; nothing changed.</summary>
    AlreadyRegistered,

    /// <summary>Registration is closed; nothing changed.</summary>
    Closed,

    /// <summary>There is no such session; nothing changed.</summary>
    SessionNotFound,

    /// <summary>The learning exchange was asked for, but the session has none; nothing changed.</summary>
    NoLearningExchange,
}

/// <summary>The answer for one session.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionAdmission(
    Guid SessionId,
    SessionAdmissionOutcome Outcome,
    Guid? RegistrationId,
    int? WaitlistPosition,
    ClosedReason? ClosedReason,
    Guid? LearningExchangeId)
{
    /// <summary>True when a registration was created.</summary>
    public bool Registered => Outcome is SessionAdmissionOutcome.Confirmed or SessionAdmissionOutcome.Waitlisted;
}

/// <summary>The answer to a registration: the group behind the manage link, and each session's outcome.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationReceipt(RegistrationGroup Group, SessionAdmission Session, SessionAdmission? LearningExchange);

/// <summary>What cancelling came to.</summary>
[GenerateSerializer]
public enum CancelOutcome
{
    /// <summary>Cancelled now.</summary>
    Cancelled,

    /// <summary>It was already cancelled; nothing changed.</summary>
    AlreadyCancelled,

    /// <summary>No such registration in this session; nothing changed.</summary>
    NotFound,
}

/// <summary>The answer to a cancellation, naming whoever the freed seat went to.</summary>
[GenerateSerializer, Immutable]
public sealed record CancelResult(CancelOutcome Outcome, Guid? PromotedRegistrationId);

/// <summary>What moving or cancelling a session came to.</summary>
[GenerateSerializer]
public enum SessionChangeOutcome
{
    /// <summary>Changed now; the registrants were told.</summary>
    Changed,

    /// <summary>Nothing to change (same times, or already cancelled).</summary>
    Unchanged,

    /// <summary>There is no such session.</summary>
    SessionNotFound,
}

/// <summary>The answer to a session change, with how many registrants were told.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionChangeResult(SessionChangeOutcome Outcome, int RegistrantsNotified);

/// <summary>What closing registration came to.</summary>
[GenerateSerializer]
public enum CloseResult
{
    /// <summary>Closed now.</summary>
    Closed,

    /// <summary>It was already closed.</summary>
    AlreadyClosed,

    /// <summary>There is no such session.</summary>
    SessionNotFound,
}

/// <summary>The answer to a change of seats: the outcome, the seats and confirmed count after it, and who was promoted.</summary>
[GenerateSerializer, Immutable]
public sealed record CapacityChangeResult(CapacityChangeResultOutcome Outcome, int Capacity, int ConfirmedCount, IReadOnlyList<Guid> Promoted);

/// <summary>What changing the seats of a session came to.</summary>
[GenerateSerializer]
public enum CapacityChangeResultOutcome
{
    /// <summary>Changed now; anyone promoted was told.</summary>
    Changed,

    /// <summary>The session already had that many seats.</summary>
    Unchanged,

    /// <summary>More people hold a confirmed seat than the new number; nothing changed (nobody is un-confirmed).</summary>
    BelowConfirmed,

    /// <summary>There is no such session.</summary>
    SessionNotFound,
}
