namespace LearnHub.Grains.Registrations;

/// <summary>Why a session takes no new registrations.</summary>
[GenerateSerializer]
public enum ClosedReason
{
    /// <summary>The session has begun (or ended).</summary>
    SessionStarted,

    /// <summary>An organizer closed registration.</summary>
    ClosedByOrganizer,

    /// <summary>The session was cancelled.</summary>
    SessionCancelled,

    /// <summary>The session is an organizer's draft, not yet in the catalog.</summary>
    NotPublished,

    /// <summary>The organizer's registration window has not opened yet (it opens at <see cref="SessionRoster.RegistrationOpensAt"/>).</summary>
    NotOpenYet,

    /// <summary>The organizer's registration window closed before the session starts.</summary>
    WindowClosed,
}

/// <summary>
/// The seat ledger of one session: capacity, counts and arrival order. It is the state the session grain guards;
/// every rule about seats lives in its methods, which do no I/O, so the same code runs inside any storage turn.
/// Invariant: ConfirmedCount never exceeds Capacity.
/// </summary>
public sealed class SessionRoster
{
    /// <summary>Rebuilds a roster from storage.</summary>
    public SessionRoster(
        Guid sessionId,
        int capacity,
        DateTimeOffset startsAt,
        bool closedByOrganizer,
        int confirmedCount,
        int waitlistedCount,
        long lastSequence,
        Guid? learningExchangeId,
        long version,
        DateTimeOffset? endsAt = null,
        long inviteSequence = 0,
        bool cancelled = false,
        bool published = true,
        bool asksRecordingConsent = false,
        RegistrationWindow? window = null,
        IReadOnlyList<Catalog.RegistrationQuestion>? questions = null)
    {
        if (capacity < 0 || confirmedCount < 0 || waitlistedCount < 0 || confirmedCount > capacity)
        {
            throw new DomainException(
                $"Session {sessionId} has an impossible roster: capacity {capacity}, confirmed {confirmedCount}, waitlisted {waitlistedCount}.");
        }

        SessionId = sessionId;
        Capacity = capacity;
        StartsAt = startsAt;
        ClosedByOrganizer = closedByOrganizer;
        ConfirmedCount = confirmedCount;
        WaitlistedCount = waitlistedCount;
        LastSequence = lastSequence;
        LearningExchangeId = learningExchangeId;
        Version = version;
        EndsAt = endsAt ?? startsAt.AddHours(1);
        InviteSequence = inviteSequence;
        IsCancelled = cancelled;
        IsPublished = published;
        AsksRecordingConsent = asksRecordingConsent;
        Window = window ?? RegistrationWindow.Always;
        Questions = questions ?? [];
    }

    /// <summary>When the organizer opens and closes registration, beyond publishing and the start (details the roster only reads).</summary>
    public RegistrationWindow Window { get; }

    /// <summary>When registration opens, if the organizer set a time.</summary>
    public DateTimeOffset? RegistrationOpensAt => Window.OpensAt;

    /// <summary>
    /// The questions the session's series asks everyone registering, read with the roster in the same turn, so the
    /// answers stored are checked against the questions as they are when the seat is taken.
    /// </summary>
    public IReadOnlyList<Catalog.RegistrationQuestion> Questions { get; }

    /// <summary>
    /// True when the session is recorded and its organizer asks every registrant whether they consent to appearing in
    /// the recording. Like publishing it is the session's details, which the roster only reads.
    /// </summary>
    public bool AsksRecordingConsent { get; }

    /// <summary>
    /// False while the session is an organizer's draft: it takes no registrations, even from someone who knows its id.
    /// Publishing is the catalog's business, so the roster only reads it and never saves it.
    /// </summary>
    public bool IsPublished { get; }

    /// <summary>The session this ledger belongs to.</summary>
    public Guid SessionId { get; }

    /// <summary>Seats in total.</summary>
    public int Capacity { get; private set; }

    /// <summary>When the session starts; registration closes then.</summary>
    public DateTimeOffset StartsAt { get; private set; }

    /// <summary>When the session ends.</summary>
    public DateTimeOffset EndsAt { get; private set; }

    /// <summary>The iCalendar SEQUENCE of the session's invites: raised by every change attendees must see.</summary>
    public long InviteSequence { get; private set; }

    /// <summary>True once the session is cancelled.</summary>
    public bool IsCancelled { get; private set; }

    /// <summary>True once an organizer has closed registration.</summary>
    public bool ClosedByOrganizer { get; private set; }

    /// <summary>Registrations holding a seat.</summary>
    public int ConfirmedCount { get; private set; }

    /// <summary>Registrations waiting for a seat.</summary>
    public int WaitlistedCount { get; private set; }

    /// <summary>The arrival number last handed out.</summary>
    public long LastSequence { get; private set; }

    /// <summary>For a webinar: the learning exchange that follows it, if any.</summary>
    public Guid? LearningExchangeId { get; }

    /// <summary>The stored version this state was read at (the optimistic-concurrency check on save).</summary>
    public long Version { get; }

    /// <summary>Seats not yet taken.</summary>
    public int SeatsLeft => Capacity - ConfirmedCount;

    /// <summary>Why registration is closed at <paramref name="now"/>, or null while it is open.</summary>
    public ClosedReason? ClosedAt(DateTimeOffset now) =>
        IsCancelled ? ClosedReason.SessionCancelled
        : !IsPublished ? ClosedReason.NotPublished
        : now >= StartsAt ? ClosedReason.SessionStarted
        : ClosedByOrganizer ? ClosedReason.ClosedByOrganizer
        : Window.OpensAt is { } opens && now < opens ? ClosedReason.NotOpenYet
        : Window.ClosesAt is { } closes && now >= closes ? ClosedReason.WindowClosed
        : null;

    /// <summary>
    /// Decides where a new applicant lands. <paramref name="active"/> is the applicant's live registration in this
    /// session, if they have one: then nothing changes and the answer is "already registered". When the applicant
    /// also wants the learning exchange (<paramref name="withLearningExchange"/>) and this session has none, nothing
    /// changes either: a request that cannot be met whole is refused whole.
    /// </summary>
    public Admission Admit(
        Applicant applicant, Registration? active, RegistrationGroup group, Guid newId, DateTimeOffset now, bool withLearningExchange = false) =>
        Admit(applicant, active, group, newId, now, withLearningExchange, byOrganizer: false);

    /// <summary>
    /// Decides where a person an organizer adds (or moves here from another session of the series) lands: as
    /// <see cref="Admit(Applicant, Registration?, RegistrationGroup, Guid, DateTimeOffset, bool)"/>, seat or waitlist in
    /// arrival order, but an organizer's own decisions do not stop them: registration closed by an organizer, a
    /// registration window not yet open or already shut, or a session still a draft. A cancelled session, or one that
    /// has begun, refuses them as it refuses everyone.
    /// </summary>
    public Admission AdmitByOrganizer(Applicant applicant, Registration? active, RegistrationGroup group, Guid newId, DateTimeOffset now) =>
        Admit(applicant, active, group, newId, now, withLearningExchange: false, byOrganizer: true);

    private Admission Admit(
        Applicant applicant, Registration? active, RegistrationGroup group, Guid newId, DateTimeOffset now, bool withLearningExchange, bool byOrganizer)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        if (withLearningExchange && LearningExchangeId is null)
        {
            return new Admission(AdmissionOutcome.NoLearningExchange, null, null, null);
        }

        if (active is { IsActive: true })
        {
            return new Admission(AdmissionOutcome.AlreadyRegistered, active, null, null);
        }

        if (ClosedAt(now) is { } reason
            && !(byOrganizer && reason is ClosedReason.ClosedByOrganizer or ClosedReason.NotPublished or ClosedReason.NotOpenYet or ClosedReason.WindowClosed))
        {
            return new Admission(AdmissionOutcome.Closed, null, null, reason);
        }

        if (AsksRecordingConsent && applicant.RecordingConsent is null)
        {
            // Either answer gets a seat, but the organizer asked: a registration without one would be neither.
            return new Admission(AdmissionOutcome.ConsentAnswerNeeded, null, null, null);
        }

        var answers = RegistrationAnswers.Check(Questions, applicant.Answers);
        if (!answers.IsValid)
        {
            return new Admission(AdmissionOutcome.AnswersInvalid, null, null, null) { AnswerErrors = answers.Errors };
        }

        applicant = applicant with { RecordingConsent = RecordingConsentOf(applicant, null), Answers = answers.Answers };

        LastSequence++;
        if (ConfirmedCount < Capacity)
        {
            ConfirmedCount++;
            var confirmed = new Registration(newId, SessionId, group, applicant, RegistrationStatus.Confirmed, LastSequence, now);
            return new Admission(AdmissionOutcome.Confirmed, confirmed, null, null);
        }

        WaitlistedCount++;
        var waiting = new Registration(newId, SessionId, group, applicant, RegistrationStatus.Waitlisted, LastSequence, now);
        return new Admission(AdmissionOutcome.Waitlisted, waiting, WaitlistedCount, null);
    }

    /// <summary>
    /// The answer a registration of this session keeps when <paramref name="applicant"/> gives theirs and
    /// <paramref name="stored"/> is the one it had: a session that asks takes a new answer (and keeps the old one when
    /// none is given); a session that does not ask stores none for a newcomer and leaves an earlier answer as it was
    /// (given while the organizer still asked), since nobody asked this time.
    /// </summary>
    public bool? RecordingConsentOf(Applicant applicant, bool? stored)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        return AsksRecordingConsent ? applicant.RecordingConsent ?? stored : stored;
    }

    /// <summary>
    /// Cancels a registration of this session. When it held a seat and the session has not begun, the seat goes to
    /// <paramref name="firstWaiting"/>, the earliest arrival still on the waitlist. Cancelling twice changes nothing.
    /// </summary>
    public Cancellation Cancel(Registration registration, Registration? firstWaiting, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.SessionId != SessionId)
        {
            throw new DomainException($"Registration {registration.Id} belongs to session {registration.SessionId}, not {SessionId}.");
        }

        if (!registration.IsActive)
        {
            return new Cancellation(CancellationOutcome.AlreadyCancelled, registration, null);
        }

        var heldSeat = registration.Status == RegistrationStatus.Confirmed;
        registration.Cancel(now);
        if (IsCancelled)
        {
            // The waitlist of a cancelled session is closed: a freed seat goes to nobody.
            if (heldSeat)
            {
                ConfirmedCount--;
            }
            else
            {
                WaitlistedCount--;
            }

            return new Cancellation(CancellationOutcome.Cancelled, registration, null);
        }

        if (!heldSeat)
        {
            WaitlistedCount--;
            return new Cancellation(CancellationOutcome.Cancelled, registration, null);
        }

        ConfirmedCount--;
        if (firstWaiting is null || now >= StartsAt)
        {
            return new Cancellation(CancellationOutcome.Cancelled, registration, null);
        }

        if (firstWaiting.SessionId != SessionId || firstWaiting.Status != RegistrationStatus.Waitlisted)
        {
            throw new DomainException($"Registration {firstWaiting.Id} is not waiting in session {SessionId}; it cannot take the freed seat.");
        }

        firstWaiting.Promote(now);
        WaitlistedCount--;
        ConfirmedCount++;
        return new Cancellation(CancellationOutcome.Cancelled, registration, firstWaiting);
    }

    /// <summary>
    /// An organizer moves one named registrant from the waitlist to a seat, out of arrival order. With a free seat it is
    /// simply theirs. With none, it is refused unless <paramref name="overCapacity"/>: then the session gains a seat for
    /// them (capacity rises by one), so the invariant — never more confirmed than seats — holds in the roster and in the
    /// database's own check, and the seat count shows what the organizer allowed. A session that has begun, or was
    /// cancelled, promotes nobody.
    /// </summary>
    public ManualPromotion Promote(Registration waiting, bool overCapacity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        if (waiting.SessionId != SessionId)
        {
            throw new DomainException($"Registration {waiting.Id} belongs to session {waiting.SessionId}, not {SessionId}.");
        }

        if (waiting.Status != RegistrationStatus.Waitlisted)
        {
            return new ManualPromotion(ManualPromotionOutcome.NotWaiting, waiting);
        }

        if (IsCancelled || now >= StartsAt)
        {
            return new ManualPromotion(ManualPromotionOutcome.SessionClosed, waiting);
        }

        var over = ConfirmedCount >= Capacity;
        if (over && !overCapacity)
        {
            return new ManualPromotion(ManualPromotionOutcome.Full, waiting);
        }

        if (over)
        {
            if (Capacity >= MaxCapacity)
            {
                throw new DomainException($"Session {SessionId} already has the most seats a session may have ({MaxCapacity}).");
            }

            Capacity++;
        }

        waiting.Promote(now);
        WaitlistedCount--;
        ConfirmedCount++;
        return new ManualPromotion(over ? ManualPromotionOutcome.PromotedOverCapacity : ManualPromotionOutcome.Promoted, waiting);
    }

    /// <summary>
    /// Moves the session. Attendees' calendars replace the event because the SEQUENCE rises; reminders are planned
    /// again from the new start. Moving a cancelled session, or making it end before it starts, is refused.
    /// </summary>
    public bool Reschedule(DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        if (IsCancelled)
        {
            throw DomainException.InvalidTransition($"Session {SessionId}", "cancelled", "move");
        }

        if (endsAt <= startsAt)
        {
            throw new DomainException($"Session {SessionId} cannot end ({endsAt:O}) before it starts ({startsAt:O}).");
        }

        if (startsAt == StartsAt && endsAt == EndsAt)
        {
            return false;
        }

        StartsAt = startsAt;
        EndsAt = endsAt;
        InviteSequence++;
        return true;
    }

    /// <summary>
    /// A new join link was given: attendees' invites must show it, so the SEQUENCE rises (each such change is mailed once,
    /// keyed by the new sequence).
    /// </summary>
    public void JoinLinkChanged() => InviteSequence++;

    /// <summary>Cancels the session: registration closes and so does the waitlist. False when it already was cancelled.</summary>
    public bool CancelSession()
    {
        if (IsCancelled)
        {
            return false;
        }

        IsCancelled = true;
        InviteSequence++;
        return true;
    }

    /// <summary>
    /// Sets the number of seats. Raising it gives the new seats to the waitlist first come, first served:
    /// <paramref name="waitingInOrder"/> is the head of the waitlist in arrival order, at least as long as the seats that
    /// open (a session that has begun promotes nobody, as with a cancellation). Lowering it below the seats already
    /// taken is refused and changes nothing: nobody loses a confirmed seat. A cancelled session's seats cannot change.
    /// </summary>
    public CapacityChange ChangeCapacity(int capacity, IReadOnlyList<Registration> waitingInOrder, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(waitingInOrder);
        if (IsCancelled)
        {
            throw DomainException.InvalidTransition($"Session {SessionId}", "cancelled", "change its seats");
        }

        if (capacity is < 0 or > MaxCapacity)
        {
            throw new DomainException($"Session {SessionId} cannot have {capacity} seats; it may have 0 to 100,000.");
        }

        if (capacity < ConfirmedCount)
        {
            return new CapacityChange(CapacityChangeOutcome.BelowConfirmed, []);
        }

        if (capacity == Capacity)
        {
            return new CapacityChange(CapacityChangeOutcome.Unchanged, []);
        }

        Capacity = capacity;
        var promoted = new List<Registration>();
        if (now >= StartsAt)
        {
            return new CapacityChange(CapacityChangeOutcome.Changed, promoted);
        }

        var open = Math.Min(capacity - ConfirmedCount, WaitlistedCount);
        if (waitingInOrder.Count < open)
        {
            throw new DomainException($"Session {SessionId} opens {open} seat(s) to its waitlist but was shown only {waitingInOrder.Count} waiting.");
        }

        long lastSequence = 0;
        foreach (var waiting in waitingInOrder.Take(open))
        {
            if (waiting.SessionId != SessionId || waiting.Status != RegistrationStatus.Waitlisted || waiting.Sequence <= lastSequence)
            {
                throw new DomainException($"Registration {waiting.Id} is not the next one waiting in session {SessionId}; it cannot take a new seat.");
            }

            lastSequence = waiting.Sequence;
            waiting.Promote(now);
            WaitlistedCount--;
            ConfirmedCount++;
            promoted.Add(waiting);
        }

        return new CapacityChange(CapacityChangeOutcome.Changed, promoted);
    }

    /// <summary>The most seats a session may have.</summary>
    public const int MaxCapacity = 100_000;

    /// <summary>Stops new registrations; existing ones and the waitlist stay as they are.</summary>
    public bool CloseRegistration()
    {
        if (ClosedByOrganizer)
        {
            return false;
        }

        ClosedByOrganizer = true;
        return true;
    }
}

/// <summary>What admitting an applicant came to.</summary>
public enum AdmissionOutcome
{
    /// <summary>A seat was free and is now theirs.</summary>
    Confirmed,

    /// <summary>No seat was free: they wait, first come first served.</summary>
    Waitlisted,

    /// <summary>They already hold or wait for a place; nothing changed.</summary>
    AlreadyRegistered,

    /// <summary>Registration is closed; nothing changed.</summary>
    Closed,

    /// <summary>The learning exchange was asked for, but this session has none; nothing changed.</summary>
    NoLearningExchange,

    /// <summary>The session asks for consent to appear in its recording and the applicant gave no answer; nothing changed.</summary>
    ConsentAnswerNeeded,

    /// <summary>An answer to the series' questions is missing or does not fit its question; nothing changed.</summary>
    AnswersInvalid,
}

/// <summary>The decision of <see cref="SessionRoster.Admit"/>; <c>Registration</c> is new unless AlreadyRegistered.</summary>
public sealed record Admission(AdmissionOutcome Outcome, Registration? Registration, int? WaitlistPosition, ClosedReason? ClosedReason)
{
    /// <summary>For AnswersInvalid: what is wrong, keyed by field (<c>answers.{questionId}</c>).</summary>
    public IReadOnlyDictionary<string, string>? AnswerErrors { get; init; }
}

/// <summary>What cancelling came to.</summary>
public enum CancellationOutcome
{
    /// <summary>The registration was cancelled now.</summary>
    Cancelled,

    /// <summary>It had been cancelled before; nothing changed.</summary>
    AlreadyCancelled,
}

/// <summary>The decision of <see cref="SessionRoster.Cancel"/>, with whoever took the freed seat.</summary>
public sealed record Cancellation(CancellationOutcome Outcome, Registration Registration, Registration? Promoted);

/// <summary>What changing the number of seats came to.</summary>
public enum CapacityChangeOutcome
{
    /// <summary>The session has the new number of seats; any new seats went to the waitlist first.</summary>
    Changed,

    /// <summary>It already had that many seats; nothing changed.</summary>
    Unchanged,

    /// <summary>More seats are already confirmed than the new number; nothing changed.</summary>
    BelowConfirmed,
}

/// <summary>The decision of <see cref="SessionRoster.ChangeCapacity"/>, with whoever moved from the waitlist to a seat.</summary>
public sealed record CapacityChange(CapacityChangeOutcome Outcome, IReadOnlyList<Registration> Promoted);

/// <summary>What an organizer's promotion of a named waitlisted registrant came to.</summary>
[GenerateSerializer]
public enum ManualPromotionOutcome
{
    /// <summary>A seat was free and is now theirs.</summary>
    Promoted,

    /// <summary>No seat was free; the organizer overrode, so the session gained a seat for them.</summary>
    PromotedOverCapacity,

    /// <summary>No seat is free and no override was given; nothing changed.</summary>
    Full,

    /// <summary>The registration is not on the waitlist (it holds a seat, or was cancelled); nothing changed.</summary>
    NotWaiting,

    /// <summary>The session has begun or was cancelled; nothing changed.</summary>
    SessionClosed,

    /// <summary>The session has no such registration (the grain's answer; the roster is never asked); nothing changed.</summary>
    NotFound,
}

/// <summary>The decision of <see cref="SessionRoster.Promote"/>.</summary>
public sealed record ManualPromotion(ManualPromotionOutcome Outcome, Registration Registration)
{
    /// <summary>True when the registrant now holds a seat because of this decision.</summary>
    public bool Promoted => Outcome is ManualPromotionOutcome.Promoted or ManualPromotionOutcome.PromotedOverCapacity;
}
