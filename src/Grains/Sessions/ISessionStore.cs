using LearnHub.Grains.Catalog;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Sessions;

/// <summary>
/// Where the session grains keep a session: its row, presenters, planned reminders and registrations. The only code
/// that writes those rows is behind this interface, and only the session grains call it: a turn runs with the session
/// held exclusively (a row lock, or SQLite's single writer) across every process sharing the database, which is what
/// keeps the capacity invariant even while a membership change briefly gives a session two activations.
/// </summary>
public interface ISessionStore
{
    /// <summary>
    /// Runs <paramref name="turn"/> inside one transaction with session <paramref name="sessionId"/> held. When the
    /// turn returns, everything it staged is saved and committed together (and the row's version rises); when it
    /// throws, nothing is saved.
    /// </summary>
    Task<T> RunTurnAsync<T>(Guid sessionId, Func<ISessionTurn, Task<T>> turn, CancellationToken cancellationToken);

    /// <summary>Stores a new session with its presenters and planned reminders; the draft has been checked.</summary>
    Task<SessionCreation> CreateAsync(Guid id, SessionDraft draft, string descriptionHtml, IReadOnlyList<Presenter> presenters, CancellationToken cancellationToken);

    /// <summary>The session as pages show it (drafts too), or null when there is none.</summary>
    Task<SessionView?> LoadViewAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>The arrival numbers of the session's waitlist, first in line first.</summary>
    Task<IReadOnlyList<long>> WaitlistSequencesAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Where one registration of the session stands, or null when the session has no such registration.</summary>
    Task<RegistrationStatus?> StatusOfAsync(Guid sessionId, Guid registrationId, CancellationToken cancellationToken);
}

/// <summary>What storing a new session came to.</summary>
[GenerateSerializer]
public enum SessionCreation
{
    /// <summary>Stored.</summary>
    Created,

    /// <summary>The webinar it was to follow already has a learning exchange (the database's unique key said so).</summary>
    WebinarTaken,

    /// <summary>A session with that id exists already; nothing changed.</summary>
    Exists,
}

/// <summary>One exclusive turn on a session.</summary>
public interface ISessionTurn
{
    /// <summary>The roster as stored, or null when there is no such session.</summary>
    SessionRoster? Roster { get; }

    /// <summary>The session's kind as stored (meaningless when <see cref="Roster"/> is null).</summary>
    SessionKind Kind { get; }

    /// <summary>The row's version: as read while the turn runs, and as saved once it has committed.</summary>
    long Version { get; }

    /// <summary>The live (confirmed or waitlisted) registrations in the session of these emails, keyed by email.</summary>
    Task<IReadOnlyDictionary<string, Registration>> FindActiveByEmailsAsync(IReadOnlyCollection<string> normalizedEmails, CancellationToken cancellationToken);

    /// <summary>A registration of this session by id, if any.</summary>
    Task<Registration?> FindAsync(Guid registrationId, CancellationToken cancellationToken);

    /// <summary>Every confirmed or waitlisted registration of the session (for changes that concern all of them).</summary>
    Task<IReadOnlyList<Registration>> ActiveRegistrationsAsync(CancellationToken cancellationToken);

    /// <summary>The first <paramref name="count"/> still on the waitlist, earliest arrival first.</summary>
    Task<IReadOnlyList<Registration>> WaitingAsync(int count, CancellationToken cancellationToken);

    /// <summary>What the link rules between webinars and learning exchanges need to know, read under the turn's lock.</summary>
    Task<PairingFacts> PairingFactsAsync(Guid? webinarId, CancellationToken cancellationToken);

    /// <summary>The session's current details (title, description, join link …) as stored.</summary>
    Task<StoredDetails> DetailsAsync(CancellationToken cancellationToken);

    /// <summary>Stages a new registration to be inserted when the turn ends.</summary>
    void StageNew(Registration registration);

    /// <summary>Stages a changed registration to be saved when the turn ends.</summary>
    void StageChanged(Registration registration);

    /// <summary>Stages an email for the outbox, written in the same transaction as the rest of the turn.</summary>
    void StageMail(MailIntent mail);

    /// <summary>
    /// Stages a registrant's own correction of their details, saved with its audit entry (naming the fields that
    /// changed and where the request came from) when the turn ends.
    /// </summary>
    void StageEdited(Registration registration, RegistrantEdit edit);

    /// <summary>
    /// Stages an organizer's answer to a registration's accommodation request (state and note), saved with its audit
    /// entry naming the organizer when the turn ends.
    /// </summary>
    void StageAccommodation(Registration registration, OrganizerActor act);

    /// <summary>
    /// Stages new reminder lead times for the session's reminders still to come: pending reminders for leads no longer
    /// asked for are dropped, new leads are planned from the start (one already past is recorded as skipped, never sent
    /// late), and reminders already sent stay as they were.
    /// </summary>
    void StageReminderLeads(IReadOnlyList<TimeSpan> leads);
    /// <summary>Stages an audit entry for an organizer's change to a registrant, written in the same transaction.</summary>
    void StageAudit(RegistrantAudit audit);

    /// <summary>True when the outbox holds a mail with this key already (sent or waiting), read under the turn's lock.</summary>
    Task<bool> MailQueuedAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Stages new details (presenters replaced as a list) to be saved when the turn ends.</summary>
    void StageDetails(StoredDetails details);

    /// <summary>Stages showing the session in the public catalog, or keeping it out.</summary>
    void StagePublished(bool published);

    /// <summary>Stages the organizer's translations of the session's text (rendered; replacing the stored ones).</summary>
    void StageTranslations(IReadOnlyList<Catalog.ContentTranslation> translations);
}

/// <summary>What a registrant changed of their own details, for the audit log: the fields, and the client address it came from.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrantEdit(IReadOnlyList<string> ChangedFields, string? FromAddress);

/// <summary>
/// An audit entry for an organizer's change to a registration: who, what (an action such as
/// <c>registration.cancelled-by-organizer</c>), the detail, and the title the log shows (the registrant's name and the
/// session's title).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistrantAudit(OrganizerActor Actor, string Action, Guid RegistrationId, string Detail, string Title);

/// <summary>The editable details of a session as they are stored (rich text already rendered and sanitized).</summary>
[GenerateSerializer, Immutable]
public sealed record StoredDetails(
    SessionKind Kind,
    string Title,
    string Description,
    string DescriptionHtml,
    string? JoinUrl,
    string? Venue,
    string? City,
    Guid? WebinarId,
    int CeHoursCenti,
    IReadOnlyList<Presenter> Presenters,
    Guid SeriesId,
    string? VenueAddress = null,
    bool Recorded = false,
    bool RecordingConsentRequired = false,
    RegistrationWindow? Window = null);

/// <summary>
/// Facts about a session's links, for <see cref="ExchangePairing"/>: the exchange that follows it (if it is a webinar)
/// and, for a webinar it is to follow, that webinar's kind, series, end and other exchange.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PairingFacts(Guid? FollowedBy, PairingTarget? Target);

/// <summary>A webinar an exchange is to follow, as stored.</summary>
[GenerateSerializer, Immutable]
public sealed record PairingTarget(Guid Id, SessionKind Kind, Guid SeriesId, DateTimeOffset EndsAt, Guid? ExchangeId);
