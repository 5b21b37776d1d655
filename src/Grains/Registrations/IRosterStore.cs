using LearnHub.Grains.Messaging;

namespace LearnHub.Grains.Registrations;

/// <summary>
/// Loads and saves a session's roster. A turn runs with the session held exclusively (a row lock, or SQLite's
/// single writer) across every process sharing the database: that plays the part of an Orleans activation's
/// single-threaded turn, and is what keeps the capacity invariant under any concurrency.
/// </summary>
public interface IRosterStore
{
    /// <summary>
    /// Runs <paramref name="turn"/> inside one transaction with session <paramref name="sessionId"/> held. When the
    /// turn returns, the roster and the registrations it staged are saved and committed together; when it throws,
    /// nothing is saved.
    /// </summary>
    Task<T> RunTurnAsync<T>(Guid sessionId, Func<IRosterTurn, Task<T>> turn, CancellationToken cancellationToken);
}

/// <summary>One exclusive turn on a session's roster.</summary>
public interface IRosterTurn
{
    /// <summary>The roster as stored, or null when there is no such session.</summary>
    SessionRoster? Roster { get; }

    /// <summary>The live (confirmed or waitlisted) registrations in the session of these emails, keyed by email.</summary>
    Task<IReadOnlyDictionary<string, Registration>> FindActiveByEmailsAsync(IReadOnlyCollection<string> normalizedEmails, CancellationToken cancellationToken);

    /// <summary>A registration of this session by id, if any.</summary>
    Task<Registration?> FindAsync(Guid registrationId, CancellationToken cancellationToken);

    /// <summary>Every confirmed or waitlisted registration of the session (for changes that concern all of them).</summary>
    Task<IReadOnlyList<Registration>> ActiveRegistrationsAsync(CancellationToken cancellationToken);

    /// <summary>The earliest arrival still on the waitlist, if any.</summary>
    Task<Registration?> FirstWaitingAsync(CancellationToken cancellationToken);

    /// <summary>The first <paramref name="count"/> still on the waitlist, earliest arrival first.</summary>
    Task<IReadOnlyList<Registration>> WaitingAsync(int count, CancellationToken cancellationToken);

    /// <summary>Stages a new registration to be inserted when the turn ends.</summary>
    void StageNew(Registration registration);

    /// <summary>Stages a changed registration to be saved when the turn ends.</summary>
    void StageChanged(Registration registration);

    /// <summary>Stages an email for the outbox, written in the same transaction as the rest of the turn.</summary>
    void StageMail(MailIntent mail);
}
