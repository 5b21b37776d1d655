using System.Security.Cryptography;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Registrations;

/// <summary>
/// The session grain: an Orleans activation that loads the roster, asks the roster's methods what happens, and lets
/// the roster store save the result. Admissions that arrive while a turn is running are queued and admitted together
/// in the next turn: one lock and one commit for many registrants, in arrival order. That is why the grain is
/// reentrant: a call must be able to join the queue while an earlier turn awaits the database. Orleans still runs one
/// piece of the grain's code at a time, so the queue needs no lock.
/// </summary>
/// <remarks>
/// The roster is relational state (one row per registration, which the catalog, exports and reminders read), so it is
/// stored through <see cref="IRosterStore"/> rather than as one serialized blob. The store's row lock, not the
/// activation, keeps capacity: it holds even while two silos briefly both host the session (a cluster view change),
/// or when processes that do not share a cluster use one database.
/// </remarks>
[Reentrant]
public sealed class SessionGrain(IRosterStore store, LearnHubClock clock) : Grain, ISessionGrain
{
    // Large enough that a storm on one session is admitted in a few dozen turns; small enough that one turn's
    // statements stay well inside both engines' parameter limits.
    private const int MaxBatch = 128;

    private readonly Queue<PendingAdmission> _pending = new();
    private bool _draining;

    private Guid SessionId => this.GetPrimaryKey();

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
            exchange = await GrainFactory.GetGrain<ISessionGrain>(exchangeId).AdmitAsync(applicant, group, false, cancellationToken);
        }

        return new RegistrationReceipt(group, session, exchange);
    }

    /// <inheritdoc />
    public Task<SessionAdmission> AdmitAsync(
        Applicant applicant, RegistrationGroup group, bool withLearningExchange = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        var pending = new PendingAdmission(applicant, group, withLearningExchange);
        _pending.Enqueue(pending);
        if (!_draining)
        {
            // Once queued, an admission is carried through even if its caller gives up waiting: nothing submitted is
            // dropped half-way. The drain runs on the activation's scheduler like any other turn of this grain.
            _draining = true;
            _ = DrainAsync();
        }

        return pending.Completion.Task;
    }

    /// <inheritdoc />
    public Task<CancelResult> CancelAsync(Guid registrationId, CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(SessionId, async turn =>
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
        store.RunTurnAsync(SessionId, async turn =>
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
    public Task<CapacityChangeResult> ChangeCapacityAsync(int capacity, CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(SessionId, async turn =>
        {
            if (turn.Roster is not { } roster)
            {
                return new CapacityChangeResult(CapacityChangeResultOutcome.SessionNotFound, 0, 0, []);
            }

            // Only as many as could be promoted are read: a raise by 5 on a 10,000-long waitlist loads 5 rows.
            var opening = Math.Clamp(capacity - roster.ConfirmedCount, 0, roster.WaitlistedCount);
            var waiting = opening > 0 ? await turn.WaitingAsync(opening, cancellationToken) : [];
            var change = roster.ChangeCapacity(capacity, waiting, clock.GetUtcNow());
            foreach (var promoted in change.Promoted)
            {
                turn.StageChanged(promoted);
                turn.StageMail(MailIntent.About(promoted, MailPurpose.Promoted));
            }

            var outcome = change.Outcome switch
            {
                CapacityChangeOutcome.Changed => CapacityChangeResultOutcome.Changed,
                CapacityChangeOutcome.Unchanged => CapacityChangeResultOutcome.Unchanged,
                _ => CapacityChangeResultOutcome.BelowConfirmed,
            };
            return new CapacityChangeResult(outcome, roster.Capacity, roster.ConfirmedCount, change.Promoted.Select(r => r.Id).ToList());
        }, cancellationToken);

    /// <inheritdoc />
    public Task<CloseResult> CloseRegistrationAsync(CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(SessionId, turn => Task.FromResult(
            turn.Roster is not { } roster ? CloseResult.SessionNotFound
            : roster.CloseRegistration() ? CloseResult.Closed
            : CloseResult.AlreadyClosed), cancellationToken);

    private async Task DrainAsync()
    {
        while (_pending.Count > 0)
        {
            var batch = new List<PendingAdmission>(Math.Min(_pending.Count, MaxBatch));
            while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            await AdmitBatchAsync(batch);
        }

        _draining = false;
    }

    private async Task AdmitBatchAsync(List<PendingAdmission> batch)
    {
        try
        {
            var answers = await store.RunTurnAsync(SessionId, turn => AdmitInTurnAsync(turn, batch), CancellationToken.None);
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
            return batch.Select(_ => new SessionAdmission(SessionId, SessionAdmissionOutcome.SessionNotFound, null, null, null, null)).ToArray();
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
            answers[i] = new SessionAdmission(SessionId, outcome, newId, admission.WaitlistPosition, admission.ClosedReason, roster.LearningExchangeId);
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
