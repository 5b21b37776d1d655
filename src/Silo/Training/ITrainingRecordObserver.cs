using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Training;

/// <summary>
/// Told, inside the transaction that wrote it, that what LearnHub knows about some people's completion of a session
/// changed: their attendance (imported or checked in) or their evaluation. Whatever follows from that fact (the
/// evaluation invitation to a new attendee, a certificate issued or revoked, a course completed) is written in the same
/// transaction, so a crash can never leave an attendee without the invitation or a certificate that the rows beneath it
/// no longer justify. Implementations must be idempotent: the same registrations may be reported again.
/// </summary>
public interface ITrainingRecordObserver
{
    /// <summary>Called by the writer after its rows are written and before it commits.</summary>
    Task TrainingRecordChangedAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken);
}

/// <summary>The registrations of one session whose attendance or evaluation just changed, and who changed them.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="RegistrationIds">The registrations concerned.</param>
/// <param name="ActorId">The organizer who changed attendance, or null when the person themself (an evaluation) or a job did.</param>
/// <param name="At">The instant of the change, from the injected clock.</param>
/// <param name="Reason">Why, when someone gave a reason (a correction after a certificate was issued needs one).</param>
public sealed record TrainingRecordChange(Guid SessionId, IReadOnlyCollection<Guid> RegistrationIds, Guid? ActorId, DateTimeOffset At, string Reason = "");
