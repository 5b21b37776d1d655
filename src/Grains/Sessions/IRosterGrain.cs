using LearnHub.Grains.Catalog;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Sessions;

/// <summary>
/// What every session grain does, whatever its kind: it is the only writer of its session's row, presenters, planned
/// reminders and registrations, and keeps the session's hot view in memory. National webinars and in-person trainings
/// are <see cref="ISessionGrain"/>s; learning exchanges are <see cref="ILearningExchangeGrain"/>s; both run the same
/// roster rules (<see cref="SessionRoster"/>) through one base class. Reach the right one with
/// <see cref="SessionGrains.Roster"/>.
/// </summary>
public interface IRosterGrain : IGrainWithGuidKey
{
    /// <summary>Creates the session this grain's key names; refuses an invalid draft with its problems.</summary>
    Task<SessionCreateResult> CreateAsync(SessionDraft draft, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// A registrant's correction of their own details (validated as at registration; the email stays): saved with an
    /// audit entry, and the learner's index told. A cancelled registration cannot be changed.
    /// </summary>
    Task<EditOutcome> ChangeDetailsAsync(Guid registrationId, Applicant corrected, string? fromAddress, CancellationToken cancellationToken = default);

    /// <summary>
    /// An organizer's answer to a registration's accommodation request: requested, arranged or cannot be arranged, with
    /// a note the registrant reads. Saved with an audit entry; the registrant is emailed, in the same transaction, when
    /// it is arranged or cannot be.
    /// </summary>
    Task<AccommodationAnswerOutcome> AnswerAccommodationAsync(Guid registrationId, AccommodationState state, string? note, OrganizerActor act, CancellationToken cancellationToken = default);

    /// <summary>
    /// Plans the session's reminders still to come with new lead times (its series' changed). False, and nothing
    /// changed, for a session that has started or was cancelled.
    /// </summary>
    Task<bool> ReplanRemindersAsync(IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken = default);

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

    /// <summary>Shows the session in the public catalog, or keeps it out.</summary>
    Task<PublishResult> SetPublishedAsync(bool published, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the organizer's Spanish and Chinese versions of the session's title, description and presenters' bios;
    /// refused whole, with a problem per field, when one is wrong. Registrants are not mailed: the session did not change.
    /// </summary>
    Task<TranslationResult> SetTranslationsAsync(IReadOnlyList<Catalog.ContentTranslation> translations, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes what an organizer may change besides times and seats; presenters are replaced as a list. A join link
    /// that really changed is mailed, with an updated invite, to everyone holding a seat, in the same transaction.
    /// </summary>
    Task<DetailsResult> UpdateDetailsAsync(SessionDetails details, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues an organizer's message to everyone holding or waiting for a seat, in one transaction, one mail per person;
    /// the same subject sent again queues nothing new. Returns how many were queued; an invalid message is refused
    /// (check <see cref="Messaging.RegistrantMessage.Problems"/> first).
    /// </summary>
    Task<int> MessageRegistrantsAsync(Messaging.RegistrantMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// An organizer adds a person, as registration does (seat, or waitlist in arrival order; a new manage link and the
    /// confirmation mail), but over registration the organizer closed and into a draft. Audited in the same transaction.
    /// </summary>
    Task<SessionAdmission> AddByOrganizerAsync(Applicant applicant, OrganizerActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// An organizer cancels a registration: as <see cref="CancelAsync"/> (the first on the waitlist takes a freed seat),
    /// but the registrant is told the organizers cancelled it. Audited in the same transaction.
    /// </summary>
    Task<CancelResult> CancelByOrganizerAsync(Guid registrationId, OrganizerActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// An organizer gives a named waitlisted registrant a seat, out of arrival order. With no free seat it is refused
    /// unless <paramref name="overCapacity"/>, when the session gains a seat for them (and the audit says so).
    /// </summary>
    Task<ManualPromotionOutcome> PromoteAsync(Guid registrationId, bool overCapacity, OrganizerActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a live registrant their confirmation again (where they stand, the same manage link, the invite when seated),
    /// at most once per <see cref="MailIntent.ResendWindow"/>.
    /// </summary>
    Task<ResendOutcome> ResendConfirmationAsync(Guid registrationId, OrganizerActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a live registrant to another session of the same series. The target's grain admits them first (seat, or
    /// its waitlist; their manage link stays the same); when it refuses, nothing changes anywhere. Then this session
    /// cancels their registration here, its waitlist promoting into a freed seat. One mail tells them where they are now.
    /// </summary>
    Task<MoveResult> MoveAsync(Guid registrationId, MoveTarget target, OrganizerActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// The target's half of <see cref="MoveAsync"/>: admits a registrant moved here from another session of the series,
    /// as an organizer's addition, with the one mail that tells them of the move.
    /// </summary>
    Task<SessionAdmission> AdmitMovedAsync(MovedRegistrant moved, OrganizerActor actor, CancellationToken cancellationToken = default);

    /// <summary>The session as pages show it, from memory; null when there is no such session.</summary>
    [AlwaysInterleave]
    Task<SessionView?> GetViewAsync();

    /// <summary>Where the registrant with arrival number <paramref name="sequence"/> stands on the waitlist (1 = next), or null.</summary>
    Task<int?> WaitlistPositionAsync(long sequence);

    /// <summary>Where one registration of this session stands, or null when the session has no such registration.</summary>
    Task<RegistrationStatus?> StatusOfAsync(Guid registrationId);

    /// <summary>Reads the view again from the database (after a change made around the grain: its series was renamed).</summary>
    Task RefreshAsync();
}

/// <summary>Who made a staff change to a session or a registrant, for its audit entry: the account, its email and the client address.</summary>
[GenerateSerializer, Immutable]
public sealed record OrganizerActor(Guid? AccountId, string? Email, string? FromAddress);

/// <summary>The session a registrant is to be moved to, and its kind (which grain type keeps it).</summary>
[GenerateSerializer, Immutable]
public sealed record MoveTarget(Guid SessionId, SessionKind Kind);

/// <summary>A registrant on their way from another session of the series: who, their group (manage link) and where from.</summary>
[GenerateSerializer, Immutable]
public sealed record MovedRegistrant(Applicant Applicant, RegistrationGroup Group, Guid FromSessionId, Guid FromRegistrationId, string FromTitle);

/// <summary>What sending a confirmation again came to.</summary>
[GenerateSerializer]
public enum ResendOutcome
{
    /// <summary>Queued now.</summary>
    Queued,

    /// <summary>It was sent again within the last window already; nothing new was queued.</summary>
    AlreadySentRecently,

    /// <summary>The registration is cancelled; nothing was queued.</summary>
    Cancelled,

    /// <summary>No such registration in this session.</summary>
    NotFound,
}

/// <summary>What moving a registrant came to.</summary>
[GenerateSerializer]
public enum MoveOutcome
{
    /// <summary>Moved: they hold a seat in the target.</summary>
    Seated,

    /// <summary>Moved: the target is full, so they are on its waitlist.</summary>
    Waitlisted,

    /// <summary>No such registration in this session.</summary>
    NotFound,

    /// <summary>The registration is cancelled; nothing changed.</summary>
    NotActive,

    /// <summary>The target is this session, another series' session, or no session at all; nothing changed.</summary>
    NotInSeries,

    /// <summary>The person already holds or waits for a place in the target; nothing changed.</summary>
    AlreadyThere,

    /// <summary>The target was cancelled or has begun; nothing changed.</summary>
    TargetClosed,

    /// <summary>The target asks for consent to appear in its recording, and the registrant has not answered; nothing changed.</summary>
    ConsentAnswerNeeded,
}

/// <summary>The answer to a move: the outcome, and for a move made, the new registration and its waitlist position.</summary>
[GenerateSerializer, Immutable]
public sealed record MoveResult(MoveOutcome Outcome, Guid? NewRegistrationId, int? WaitlistPosition, Guid? PromotedHere)
{
    /// <summary>True when the registrant was moved.</summary>
    public bool Moved => Outcome is MoveOutcome.Seated or MoveOutcome.Waitlisted;
}

/// <summary>
/// A national webinar or an in-person training. A webinar learns of the exchange that follows it through
/// <see cref="IRosterGrain.RefreshAsync"/>, which the exchange's grain calls when it is linked or unlinked.
/// </summary>
public interface ISessionGrain : IRosterGrain
{
}

/// <summary>
/// A Learning Exchange: the small-group discussion of one national webinar of its series, starting after the webinar
/// ends. It admits with the same roster rules as every session, and settles with its webinar what the webinar's moves
/// and cancellation mean for it.
/// </summary>
public interface ILearningExchangeGrain : IRosterGrain
{
    /// <summary>
    /// The webinar asks, before it moves to end at <paramref name="webinarEndsAt"/>: null when the exchange still starts
    /// after that, otherwise the sentence the organizer reads.
    /// </summary>
    [AlwaysInterleave]
    Task<string?> ReviewWebinarMoveAsync(DateTimeOffset webinarEndsAt);

    /// <summary>The webinar was cancelled: the exchange, which would discuss it, is cancelled too (its registrants are told).</summary>
    Task<SessionChangeResult> WebinarCancelledAsync();
}

/// <summary>
/// Thrown by a session grain asked about a session whose kind belongs to the other grain type (an organizer changed
/// it to or from a learning exchange since the caller looked). <see cref="SessionGrains"/> retries with the right type.
/// </summary>
[GenerateSerializer]
public sealed class SessionKindMovedException : Exception
{
    /// <summary>For the serializer.</summary>
    public SessionKindMovedException()
    {
    }

    /// <summary>The session and the kind it has now.</summary>
    public SessionKindMovedException(Guid sessionId, SessionKind kind)
        : base($"Session {sessionId} is now a {kind.DisplayName()}.")
    {
        SessionId = sessionId;
        Kind = kind;
    }

    /// <summary>For the serializer.</summary>
    public SessionKindMovedException(string message)
        : base(message)
    {
    }

    /// <summary>For the serializer.</summary>
    public SessionKindMovedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The session.</summary>
    [Id(0)]
    public Guid SessionId { get; init; }

    /// <summary>The kind it has now.</summary>
    [Id(1)]
    public SessionKind Kind { get; init; }
}

/// <summary>Which grain type owns a session of which kind.</summary>
public static class SessionGrains
{
    /// <summary>The grain of session <paramref name="sessionId"/>, of <paramref name="kind"/>.</summary>
    public static IRosterGrain Roster(this IGrainFactory grains, Guid sessionId, SessionKind kind)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return kind == SessionKind.LearningExchange
            ? grains.GetGrain<ILearningExchangeGrain>(sessionId)
            : grains.GetGrain<ISessionGrain>(sessionId);
    }

    /// <summary>True when a session of <paramref name="kind"/> is kept by a learning-exchange grain.</summary>
    public static bool IsExchange(SessionKind kind) => kind == SessionKind.LearningExchange;
}

/// <summary>What creating a session came to.</summary>
[GenerateSerializer]
public enum SessionCreateOutcome
{
    /// <summary>Created (a draft unless the draft said published).</summary>
    Created,

    /// <summary>The draft has problems; nothing was stored.</summary>
    Invalid,

    /// <summary>A session with this id exists already; nothing changed.</summary>
    Exists,
}

/// <summary>The answer to creating a session, with every problem of an invalid draft.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionCreateResult(SessionCreateOutcome Outcome, IReadOnlyList<string> Problems)
{
    /// <summary>Created.</summary>
    public static SessionCreateResult Created { get; } = new(SessionCreateOutcome.Created, []);
}

/// <summary>What saving a series' or a session's translations came to: saved, or the problems by field (nothing saved).</summary>
[GenerateSerializer, Immutable]
public sealed record TranslationResult(bool Saved, bool Found, IReadOnlyDictionary<string, string> Problems)
{
    /// <summary>Saved.</summary>
    public static TranslationResult Done { get; } = new(true, true, new Dictionary<string, string>());

    /// <summary>There is no such series or session.</summary>
    public static TranslationResult NotFound { get; } = new(false, false, new Dictionary<string, string>());
}

/// <summary>What publishing or unpublishing came to.</summary>
[GenerateSerializer]
public enum PublishResult
{
    /// <summary>Changed now.</summary>
    Changed,

    /// <summary>It already was so.</summary>
    Unchanged,

    /// <summary>There is no such session.</summary>
    SessionNotFound,
}

/// <summary>What changing a session's details came to.</summary>
[GenerateSerializer]
public enum DetailsOutcome
{
    /// <summary>Saved.</summary>
    Changed,

    /// <summary>The details, or the links they ask for, are not allowed; nothing changed.</summary>
    Invalid,

    /// <summary>There is no such session.</summary>
    SessionNotFound,
}

/// <summary>The answer to a details change: the problems when refused, and how many seat holders were sent a new join link.</summary>
[GenerateSerializer, Immutable]
public sealed record DetailsResult(DetailsOutcome Outcome, IReadOnlyList<string> Problems, int JoinLinkNotified);

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

    /// <summary>
    /// The session (or the learning exchange asked for with it) asks whether the registrant consents to appearing in
    /// the recording, and the applicant gave no answer; nothing changed.
    /// </summary>
    ConsentAnswerNeeded,

    /// <summary>An answer to the series' registration questions is missing or does not fit; nothing changed.</summary>
    AnswersInvalid,
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
    /// <summary>For AnswersInvalid: what is wrong, keyed by field (<c>answers.{questionId}</c>), each naming its question.</summary>
    [Id(6)]
    public IReadOnlyDictionary<string, string>? AnswerErrors { get; init; }

    /// <summary>For a session whose registration has not opened yet: when it opens.</summary>
    [Id(7)]
    public DateTimeOffset? RegistrationOpensAt { get; init; }

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

/// <summary>What a registrant's correction of their details came to.</summary>
[GenerateSerializer]
public enum EditOutcome
{
    /// <summary>Saved (and audited).</summary>
    Changed,

    /// <summary>The details were already so; nothing was written.</summary>
    Unchanged,

    /// <summary>The registration is cancelled; nothing was written.</summary>
    Cancelled,

    /// <summary>No such registration in this session; nothing was written.</summary>
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

    /// <summary>The change is not allowed (see <see cref="SessionChangeResult.Problem"/>); nothing changed.</summary>
    Refused,
}

/// <summary>
/// The answer to a session change, with how many registrants were told (a cancelled webinar's exchange included) and,
/// when refused, why.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionChangeResult(SessionChangeOutcome Outcome, int RegistrantsNotified, string? Problem = null)
{
    /// <summary>For a webinar cancelled with its learning exchange: the exchange's own answer.</summary>
    [Id(3)]
    public SessionChangeResult? Exchange { get; init; }
}

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
