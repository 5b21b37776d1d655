using System.Security.Cryptography;
using LearnHub.Grains.Messaging;

namespace LearnHub.Grains.Registrations;

/// <summary>
/// The session grain: it loads the roster, asks the roster's methods what happens, and lets the store save the
/// result. One activation per session and process (see <see cref="GrainFactory"/>) queues the admissions that arrive
/// while a turn is running and admits them together in the next turn: one lock and one commit for many registrants,
/// in arrival order. The lock, not the queue, is what keeps capacity: other processes' activations take it in turn.
/// </summary>
public sealed class SessionGrain(Guid sessionId, IRosterStore store, IGrainFactory grains, TimeProvider clock) : ISessionGrain
{
    // Large enough that a storm on one session is admitted in a few dozen turns; small enough that one turn's
    // statements stay well inside both engines' parameter limits.
    private const int MaxBatch = 128;

    private readonly Lock _gate = new();
    private readonly Queue<PendingAdmission> _pending = new();
    private bool _draining;

    /// <inheritdoc />
    public async Task<RegistrationReceipt> RegisterAsync(
        Applicant applicant, bool includeLearningExchange, CancellationToken cancellationToken = default)
    {
        var group = new RegistrationGroup(Guid.CreateVersion7(clock.GetUtcNow()), NewSecret());
        var session = await AdmitAsync(applicant, group, includeLearningExchange, cancellationToken);
        SessionAdmission? exchange = null;
        if (includeLearningExchange && session.Registered && session.LearningExchangeId is { } exchangeId)
        {
            // A separate turn on the exchange's own grain, as Orleans would: the webinar seat stands even when the
            // exchange is full (waitlisted) or closed, and the receipt says which.
            exchange = await grains.Session(exchangeId).AdmitAsync(applicant, group, false, cancellationToken);
        }

        return new RegistrationReceipt(group, session, exchange);
    }

    /// <inheritdoc />
    public Task<SessionAdmission> AdmitAsync(
        Applicant applicant, RegistrationGroup group, bool withLearningExchange = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        var pending = new PendingAdmission(applicant, group, withLearningExchange);
        bool start;
        lock (_gate)
        {
            _pending.Enqueue(pending);
            start = !_draining;
            _draining = true;
        }

        if (start)
        {
            // Once queued, an admission is carried through even if its caller gives up waiting: nothing submitted is
            // dropped half-way.
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return pending.Completion.Task;
    }

    /// <inheritdoc />
    public Task<CancelResult> CancelAsync(Guid registrationId, CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(sessionId, async turn =>
        {
            if (turn.Roster is not { } roster || await turn.FindAsync(registrationId, cancellationToken) is not { } registration)
            {
                return new CancelResult(CancelOutcome.NotFound, null);
            }

            var firstWaiting = registration.Status == RegistrationStatus.Confirmed
                ? await turn.FirstWaitingAsync(cancellationToken)
                : null;
            var cancellation = roster.Cancel(registration, firstWaiting, clock.GetUtcNow());
            if (cancellation.Outcome == CancellationOutcome.AlreadyCancelled)
            {
                return new CancelResult(CancelOutcome.AlreadyCancelled, null);
            }

            turn.StageChanged(cancellation.Registration);
            turn.StageMail(MailIntent.About(cancellation.Registration, MailPurpose.RegistrationCancelled));
            if (cancellation.Promoted is { } promoted)
            {
                turn.StageChanged(promoted);
                turn.StageMail(MailIntent.About(promoted, MailPurpose.Promoted));
            }

            return new CancelResult(CancelOutcome.Cancelled, cancellation.Promoted?.Id);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<SessionChangeResult> RescheduleAsync(DateTimeOffset startsAt, DateTimeOffset endsAt, CancellationToken cancellationToken = default) =>
        ChangeSessionAsync(roster => roster.Reschedule(startsAt, endsAt), MailPurpose.SessionChanged, cancellationToken);

    /// <inheritdoc />
    public Task<SessionChangeResult> CancelSessionAsync(CancellationToken cancellationToken = default) =>
        ChangeSessionAsync(roster => roster.CancelSession(), MailPurpose.SessionCancelled, cancellationToken);

    private Task<SessionChangeResult> ChangeSessionAsync(Func<SessionRoster, bool> change, MailPurpose purpose, CancellationToken cancellationToken) =>
        store.RunTurnAsync(sessionId, async turn =>
        {
            if (turn.Roster is not { } roster)
            {
                return new SessionChangeResult(SessionChangeOutcome.SessionNotFound, 0);
            }

            if (!change(roster))
            {
                return new SessionChangeResult(SessionChangeOutcome.Unchanged, 0);
            }

            var registrants = await turn.ActiveRegistrationsAsync(cancellationToken);
            foreach (var registration in registrants)
            {
                turn.StageMail(MailIntent.AboutSession(registration, purpose, roster.InviteSequence));
            }

            return new SessionChangeResult(SessionChangeOutcome.Changed, registrants.Count);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<CloseResult> CloseRegistrationAsync(CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(sessionId, turn => Task.FromResult(
            turn.Roster is not { } roster ? CloseResult.SessionNotFound
            : roster.CloseRegistration() ? CloseResult.Closed
            : CloseResult.AlreadyClosed), cancellationToken);

    private async Task DrainAsync()
    {
        while (true)
        {
            List<PendingAdmission> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _draining = false;
                    return;
                }

                batch = [];
                while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            await AdmitBatchAsync(batch);
        }
    }

    private async Task AdmitBatchAsync(List<PendingAdmission> batch)
    {
        try
        {
            var answers = await store.RunTurnAsync(sessionId, turn => AdmitInTurnAsync(turn, batch), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.SetResult(answers[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // The whole turn rolled back. Run each admission alone, so one that cannot be saved fails only itself.
            foreach (var single in batch)
            {
                await AdmitBatchAsync([single]);
            }
        }
        catch (Exception e)
        {
            batch[0].Completion.SetException(e);
        }
    }

    private async Task<SessionAdmission[]> AdmitInTurnAsync(IRosterTurn turn, List<PendingAdmission> batch)
    {
        if (turn.Roster is not { } roster)
        {
            return batch.Select(_ => new SessionAdmission(sessionId, SessionAdmissionOutcome.SessionNotFound, null, null, null, null)).ToArray();
        }

        var emails = batch.Select(p => p.Applicant.NormalizedEmail).Distinct(StringComparer.Ordinal).ToList();
        var active = new Dictionary<string, Registration>(await turn.FindActiveByEmailsAsync(emails, CancellationToken.None), StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var answers = new SessionAdmission[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (applicant, group, withExchange) = (batch[i].Applicant, batch[i].Group, batch[i].WithLearningExchange);
            var admission = roster.Admit(applicant, active.GetValueOrDefault(applicant.NormalizedEmail), group, Guid.CreateVersion7(now), now, withExchange);
            Guid? newId = null;
            if (admission.Outcome is AdmissionOutcome.Confirmed or AdmissionOutcome.Waitlisted)
            {
                turn.StageNew(admission.Registration!);
                turn.StageMail(MailIntent.ForAdmission(admission.Registration!, admission.WaitlistPosition));
                // A second request from the same person in this very batch must see the first.
                active[applicant.NormalizedEmail] = admission.Registration!;
                newId = admission.Registration!.Id;
            }

            var outcome = admission.Outcome switch
            {
                AdmissionOutcome.Confirmed => SessionAdmissionOutcome.Confirmed,
                AdmissionOutcome.Waitlisted => SessionAdmissionOutcome.Waitlisted,
                AdmissionOutcome.AlreadyRegistered => SessionAdmissionOutcome.AlreadyRegistered,
                AdmissionOutcome.NoLearningExchange => SessionAdmissionOutcome.NoLearningExchange,
                _ => SessionAdmissionOutcome.Closed,
            };
            answers[i] = new SessionAdmission(sessionId, outcome, newId, admission.WaitlistPosition, admission.ClosedReason, roster.LearningExchangeId);
        }

        return answers;
    }

    // 128 random bits: the manage link is also signed, but the secret alone already makes it unguessable.
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private sealed record PendingAdmission(Applicant Applicant, RegistrationGroup Group, bool WithLearningExchange)
    {
        public TaskCompletionSource<SessionAdmission> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
