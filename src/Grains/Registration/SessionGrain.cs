using System.Security.Cryptography;

namespace LearnHub.Grains.Registrations;

/// <summary>
/// The session grain: it loads the roster, asks the roster's methods what happens, and lets the store save the
/// result. It holds no rules of its own beyond which grain to call next.
/// </summary>
public sealed class SessionGrain(Guid sessionId, IRosterStore store, IGrainFactory grains, TimeProvider clock) : ISessionGrain
{
    /// <inheritdoc />
    public async Task<RegistrationReceipt> RegisterAsync(
        Applicant applicant, bool includeLearningExchange, CancellationToken cancellationToken = default)
    {
        var group = new RegistrationGroup(Guid.CreateVersion7(clock.GetUtcNow()), NewSecret());
        var session = await AdmitAsync(applicant, group, cancellationToken);
        SessionAdmission? exchange = null;
        if (includeLearningExchange && session.Registered && session.LearningExchangeId is { } exchangeId)
        {
            // A separate turn on the exchange's own grain, as Orleans would: the webinar seat stands even when the
            // exchange is full (waitlisted) or closed, and the receipt says which.
            exchange = await grains.Session(exchangeId).AdmitAsync(applicant, group, cancellationToken);
        }

        return new RegistrationReceipt(group, session, exchange);
    }

    /// <inheritdoc />
    public Task<SessionAdmission> AdmitAsync(Applicant applicant, RegistrationGroup group, CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(sessionId, async turn =>
        {
            if (turn.Roster is not { } roster)
            {
                return new SessionAdmission(sessionId, SessionAdmissionOutcome.SessionNotFound, null, null, null, null);
            }

            var active = await turn.FindActiveByEmailAsync(applicant.NormalizedEmail, cancellationToken);
            var now = clock.GetUtcNow();
            var admission = roster.Admit(applicant, active, group, Guid.CreateVersion7(now), now);
            if (admission.Outcome is AdmissionOutcome.Confirmed or AdmissionOutcome.Waitlisted)
            {
                turn.StageNew(admission.Registration!);
            }

            var outcome = admission.Outcome switch
            {
                AdmissionOutcome.Confirmed => SessionAdmissionOutcome.Confirmed,
                AdmissionOutcome.Waitlisted => SessionAdmissionOutcome.Waitlisted,
                AdmissionOutcome.AlreadyRegistered => SessionAdmissionOutcome.AlreadyRegistered,
                _ => SessionAdmissionOutcome.Closed,
            };
            var newId = admission.Outcome == AdmissionOutcome.AlreadyRegistered ? null : admission.Registration?.Id;
            return new SessionAdmission(sessionId, outcome, newId, admission.WaitlistPosition, admission.ClosedReason, roster.LearningExchangeId);
        }, cancellationToken);

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
            if (cancellation.Promoted is { } promoted)
            {
                turn.StageChanged(promoted);
            }

            return new CancelResult(CancelOutcome.Cancelled, cancellation.Promoted?.Id);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<CloseResult> CloseRegistrationAsync(CancellationToken cancellationToken = default) =>
        store.RunTurnAsync(sessionId, turn => Task.FromResult(
            turn.Roster is not { } roster ? CloseResult.SessionNotFound
            : roster.CloseRegistration() ? CloseResult.Closed
            : CloseResult.AlreadyClosed), cancellationToken);

    // 128 random bits: the manage link is also signed, but the secret alone already makes it unguessable.
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
