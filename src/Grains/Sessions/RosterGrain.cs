using System.Security.Cryptography;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Logging;

namespace LearnHub.Grains.Sessions;

/// <summary>
/// What every session grain does, whatever its kind (<see cref="SessionGrain"/>, <see cref="LearningExchangeGrain"/>):
/// an Orleans activation that keeps the session's view in memory, runs each command as one turn of its store (the
/// roster's rules decide, the store saves what they staged in one transaction with the mail they cause), and after
/// the commit tells the learners whose registrations changed and the catalog that lists the session.
/// </summary>
/// <remarks>
/// Admissions that arrive while a turn is running are queued and admitted together in the next turn: one lock and one
/// commit for many registrants, in arrival order. That is why the grain is reentrant: a call must be able to join the
/// queue while an earlier turn awaits the database. Orleans still runs one piece of the grain's code at a time, so the
/// queue and the view need no lock. The store's row lock, not the activation, keeps capacity: it holds even while two
/// silos briefly both host the session (a cluster view change), or when processes that do not share a cluster use one
/// database. A turn that finds the row at another version than the view knew (a writer outside this activation)
/// reads the view again instead of patching it.
/// </remarks>
[Reentrant]
public abstract partial class RosterGrain(ISessionStore store, LearnHubClock clock, RichTextPolicy richText, ILogger logger) : Grain, IRosterGrain
{
    // Large enough that a storm on one session is admitted in a few dozen turns; small enough that one turn's
    // statements stay well inside both engines' parameter limits.
    private const int MaxBatch = 128;

    // How many learner grains one turn tells at once (each may read and write its state).
    private const int LearnerFanOut = 16;

    /// <summary>How long a view no command has refreshed is trusted before it is read again (changes made outside the cluster).</summary>
    public static readonly TimeSpan ViewLifetime = TimeSpan.FromSeconds(30);

    private readonly Queue<PendingAdmission> _pending = new();
    private bool _draining;
    private SessionView? _view;
    private long _viewReadAtMs;
    private List<long>? _waitlist;

    /// <summary>The session's id.</summary>
    protected Guid SessionId => this.GetPrimaryKey();

    /// <summary>The view as this activation last knew it.</summary>
    protected SessionView? View => _view;

    /// <summary>The clock.</summary>
    protected LearnHubClock Clock => clock;

    /// <summary>True for the kinds this grain type keeps.</summary>
    protected abstract bool Keeps(SessionKind kind);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ReadViewAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<SessionCreateResult> CreateAsync(SessionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!Keeps(draft.Kind))
        {
            throw new SessionKindMovedException(SessionId, draft.Kind);
        }

        if (_view is not null)
        {
            return new SessionCreateResult(SessionCreateOutcome.Exists, [$"Session {SessionId} exists already."]);
        }

        var problems = draft.Problems().ToList();
        if (problems.Count == 0 && await CheckNewAsync(draft) is { } linkProblem)
        {
            problems.Add(linkProblem);
        }

        if (problems.Count > 0)
        {
            return new SessionCreateResult(SessionCreateOutcome.Invalid, problems);
        }

        var presenters = draft.Presenters.Select(p => p with { BioHtml = richText.RenderMarkdown(p.Bio ?? "") }).ToList();
        var created = await store.CreateAsync(SessionId, draft, richText.RenderMarkdown(draft.Description), presenters, cancellationToken);
        switch (created)
        {
            case SessionCreation.Exists:
                return new SessionCreateResult(SessionCreateOutcome.Exists, [$"Session {SessionId} exists already."]);
            case SessionCreation.WebinarTaken:
                return new SessionCreateResult(SessionCreateOutcome.Invalid, ["That webinar already has a learning exchange."]);
            case SessionCreation.Created:
                break;
            default:
                throw new InvalidOperationException($"Unknown creation outcome {created}.");
        }

        await ReadViewAsync(cancellationToken);
        await ReportAsync();
        await LinksChangedAsync(null, draft.WebinarId);
        return SessionCreateResult.Created;
    }

    /// <summary>The link rules a new session of this type must meet beyond its draft's own; null when it may be stored.</summary>
    protected virtual Task<string?> CheckNewAsync(SessionDraft draft) => Task.FromResult<string?>(null);

    /// <inheritdoc />
    public async Task<RegistrationReceipt> RegisterAsync(
        Applicant applicant, bool includeLearningExchange, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        if (includeLearningExchange && applicant.RecordingConsent is null && _view?.LearningExchangeId is { } asked
            && await GrainFactory.GetGrain<ILearningExchangeGrain>(asked).GetViewAsync() is { RecordingConsentRequired: true })
        {
            // The exchange would refuse an applicant without an answer only after this seat was taken: refuse the
            // request whole, before anything is written, as when the exchange is missing.
            return new RegistrationReceipt(new RegistrationGroup(Guid.Empty, ""),
                new SessionAdmission(SessionId, SessionAdmissionOutcome.ConsentAnswerNeeded, null, null, null, asked), null);
        }

        var group = new RegistrationGroup(Guid.CreateVersion7(clock.GetUtcNow()), NewSecret());
        var session = await AdmitAsync(applicant, group, includeLearningExchange, cancellationToken);
        SessionAdmission? exchange = null;
        if (includeLearningExchange && session.Registered && session.LearningExchangeId is { } exchangeId)
        {
            // A separate turn on the exchange's own grain: the webinar seat stands even when the exchange is full
            // (waitlisted) or closed, and the receipt says which.
            exchange = await GrainFactory.GetGrain<ILearningExchangeGrain>(exchangeId).AdmitAsync(applicant, group, false, cancellationToken);
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
        RunAsync(async turn => (await CancelInTurnAsync(turn, registrationId, MailPurpose.RegistrationCancelled, cancellationToken)).Result, cancellationToken);

    /// <inheritdoc />
    public Task<SessionAdmission> AddByOrganizerAsync(Applicant applicant, OrganizerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        ArgumentNullException.ThrowIfNull(actor);
        // A turn of its own rather than the admission queue: additions are rare, and the queue's batch knows nothing of
        // the organizer's leave to pass a closed registration or of the audit entry.
        return RunAsync(turn => AdmitByOrganizerInTurnAsync(turn, applicant, new RegistrationGroup(Guid.CreateVersion7(clock.GetUtcNow()), NewSecret()), actor,
            (registration, position) => MailIntent.ForAdmission(registration, position),
            (registration, position) => new RegistrantAudit(actor, "registration.added-by-organizer", registration.Id,
                $"Added by an organizer: {Where(registration, position)}.", AuditTitle(registration))), cancellationToken);
    }

    /// <inheritdoc />
    public Task<SessionAdmission> AdmitMovedAsync(MovedRegistrant moved, OrganizerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(moved);
        ArgumentNullException.ThrowIfNull(actor);
        return RunAsync(turn => AdmitByOrganizerInTurnAsync(turn, moved.Applicant, moved.Group, actor,
            (registration, position) => MailIntent.Moved(registration, position, moved.FromTitle),
            (registration, position) => new RegistrantAudit(actor, "registration.moved-in", registration.Id,
                $"Moved here from {moved.FromTitle} (registration {moved.FromRegistrationId}) by an organizer: {Where(registration, position)}.", AuditTitle(registration))),
            cancellationToken);
    }

    private async Task<SessionAdmission> AdmitByOrganizerInTurnAsync(ISessionTurn turn, Applicant applicant, RegistrationGroup group, OrganizerActor actor,
        Func<Registration, int?, MailIntent> mail, Func<Registration, int?, RegistrantAudit> audit)
    {
        if (turn.Roster is not { } roster)
        {
            return new SessionAdmission(SessionId, SessionAdmissionOutcome.SessionNotFound, null, null, null, null);
        }

        var active = (await turn.FindActiveByEmailsAsync([applicant.NormalizedEmail], CancellationToken.None)).GetValueOrDefault(applicant.NormalizedEmail);
        var now = clock.GetUtcNow();
        var admission = roster.AdmitByOrganizer(applicant, active, group, Guid.CreateVersion7(now), now);
        Guid? newId = null;
        if (admission.Outcome is AdmissionOutcome.Confirmed or AdmissionOutcome.Waitlisted)
        {
            turn.StageNew(admission.Registration!);
            turn.StageMail(mail(admission.Registration!, admission.WaitlistPosition));
            turn.StageAudit(audit(admission.Registration!, admission.WaitlistPosition));
            newId = admission.Registration!.Id;
        }

        var outcome = admission.Outcome switch
        {
            AdmissionOutcome.Confirmed => SessionAdmissionOutcome.Confirmed,
            AdmissionOutcome.Waitlisted => SessionAdmissionOutcome.Waitlisted,
            AdmissionOutcome.AlreadyRegistered => SessionAdmissionOutcome.AlreadyRegistered,
            AdmissionOutcome.NoLearningExchange => SessionAdmissionOutcome.NoLearningExchange,
            AdmissionOutcome.Closed => SessionAdmissionOutcome.Closed,
            AdmissionOutcome.ConsentAnswerNeeded => SessionAdmissionOutcome.ConsentAnswerNeeded,
            _ => throw new InvalidOperationException($"Unknown admission outcome {admission.Outcome}."),
        };
        return new SessionAdmission(SessionId, outcome, newId, admission.WaitlistPosition, admission.ClosedReason, roster.LearningExchangeId);
    }

    /// <inheritdoc />
    public Task<CancelResult> CancelByOrganizerAsync(Guid registrationId, OrganizerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return RunAsync(async turn =>
        {
            var (result, registration, promoted) = await CancelInTurnAsync(turn, registrationId, MailPurpose.CancelledByOrganizer, cancellationToken);
            if (result.Outcome != CancelOutcome.Cancelled)
            {
                return result;
            }

            turn.StageAudit(new RegistrantAudit(actor, "registration.cancelled-by-organizer", registrationId,
                $"Cancelled by an organizer{FreedSeat(promoted)}.", AuditTitle(registration!)));
            return result;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ManualPromotionOutcome> PromoteAsync(Guid registrationId, bool overCapacity, OrganizerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return RunAsync(async turn =>
        {
            if (turn.Roster is not { } roster || await turn.FindAsync(registrationId, cancellationToken) is not { } registration)
            {
                return ManualPromotionOutcome.NotFound;
            }

            var seatsBefore = roster.Capacity;
            var promotion = roster.Promote(registration, overCapacity, clock.GetUtcNow());
            if (!promotion.Promoted)
            {
                return promotion.Outcome;
            }

            turn.StageChanged(registration);
            turn.StageMail(MailIntent.About(registration, MailPurpose.Promoted));
            turn.StageAudit(promotion.Outcome == ManualPromotionOutcome.PromotedOverCapacity
                ? new RegistrantAudit(actor, "registration.promoted-over-capacity", registrationId,
                    $"Given a seat from the waitlist by an organizer's override of a full session: seats {seatsBefore} → {roster.Capacity}.", AuditTitle(registration))
                : new RegistrantAudit(actor, "registration.promoted", registrationId,
                    "Given a free seat from the waitlist by an organizer.", AuditTitle(registration)));
            return promotion.Outcome;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ResendOutcome> ResendConfirmationAsync(Guid registrationId, OrganizerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return RunAsync(async turn =>
        {
            if (turn.Roster is null || await turn.FindAsync(registrationId, cancellationToken) is not { } registration)
            {
                return ResendOutcome.NotFound;
            }

            if (!registration.IsActive)
            {
                return ResendOutcome.Cancelled;
            }

            var mail = MailIntent.ConfirmationAgain(registration, clock.GetUtcNow());
            if (await turn.MailQueuedAsync(mail.IdempotencyKey, cancellationToken))
            {
                return ResendOutcome.AlreadySentRecently;
            }

            turn.StageMail(mail);
            turn.StageAudit(new RegistrantAudit(actor, "registration.confirmation-resent", registrationId,
                $"Confirmation sent again by an organizer ({(registration.Status == RegistrationStatus.Confirmed ? "holds a seat" : "on the waitlist")}).", AuditTitle(registration)));
            return ResendOutcome.Queued;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<MoveResult> MoveAsync(Guid registrationId, MoveTarget target, OrganizerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(actor);
        var registration = await RunAsync(async turn => turn.Roster is null ? null : await turn.FindAsync(registrationId, cancellationToken), cancellationToken);
        if (registration is null || _view is not { } here)
        {
            return new MoveResult(MoveOutcome.NotFound, null, null, null);
        }

        if (!registration.IsActive)
        {
            return new MoveResult(MoveOutcome.NotActive, null, null, null);
        }

        // Sessions never change series, so the target's view settles it; the target's own turn settles everything else.
        var targetGrain = GrainFactory.Roster(target.SessionId, target.Kind);
        if (target.SessionId == SessionId || await targetGrain.GetViewAsync() is not { } there || there.SeriesId != here.SeriesId)
        {
            return new MoveResult(MoveOutcome.NotInSeries, null, null, null);
        }

        var moved = new MovedRegistrant(registration.Applicant, registration.Group, SessionId, registrationId, here.Title);
        SessionAdmission admitted;
        try
        {
            admitted = await targetGrain.AdmitMovedAsync(moved, actor, cancellationToken);
        }
        catch (SessionKindMovedException kindMoved)
        {
            // The target's kind changed since the caller looked; its grain refused before writing anything.
            admitted = await GrainFactory.Roster(target.SessionId, kindMoved.Kind).AdmitMovedAsync(moved, actor, cancellationToken);
        }

        var refused = admitted.Outcome switch
        {
            SessionAdmissionOutcome.Confirmed or SessionAdmissionOutcome.Waitlisted => (MoveOutcome?)null,
            SessionAdmissionOutcome.AlreadyRegistered => MoveOutcome.AlreadyThere,
            SessionAdmissionOutcome.Closed => MoveOutcome.TargetClosed,
            SessionAdmissionOutcome.ConsentAnswerNeeded => MoveOutcome.ConsentAnswerNeeded,
            SessionAdmissionOutcome.SessionNotFound or SessionAdmissionOutcome.NoLearningExchange => MoveOutcome.NotInSeries,
            _ => throw new InvalidOperationException($"Unknown admission outcome {admitted.Outcome}."),
        };
        if (refused is { } no)
        {
            return new MoveResult(no, null, null, null);
        }

        // Admitted there: now leave here. No mail to the registrant (the target's mail told them where they are); the
        // freed seat goes to the first waiting, who is told as on any cancellation. Had the registrant cancelled here
        // meanwhile, the move still stands: they are where the organizer put them.
        var promotedHere = await RunAsync(async turn =>
        {
            var (result, left, promoted) = await CancelInTurnAsync(turn, registrationId, null, cancellationToken);
            if (result.Outcome != CancelOutcome.Cancelled)
            {
                return (Guid?)null;
            }

            turn.StageAudit(new RegistrantAudit(actor, "registration.moved-out", registrationId,
                $"Moved by an organizer to {there.Title} (registration {admitted.RegistrationId}){FreedSeat(promoted)}.", AuditTitle(left!)));
            return promoted?.Id;
        }, cancellationToken);
        return new MoveResult(admitted.Outcome == SessionAdmissionOutcome.Confirmed ? MoveOutcome.Seated : MoveOutcome.Waitlisted,
            admitted.RegistrationId, admitted.WaitlistPosition, promotedHere);
    }

    // The cancellation every path shares: the first waiting takes a freed seat and is told; the registrant is told with
    // the mail of <paramref name="purpose"/>, or not at all (a move tells them from the other session).
    private async Task<(CancelResult Result, Registration? Registration, Registration? Promoted)> CancelInTurnAsync(
        ISessionTurn turn, Guid registrationId, MailPurpose? purpose, CancellationToken cancellationToken)
    {
        if (turn.Roster is not { } roster || await turn.FindAsync(registrationId, cancellationToken) is not { } registration)
        {
            return (new CancelResult(CancelOutcome.NotFound, null), null, null);
        }

        var firstWaiting = registration.Status == RegistrationStatus.Confirmed
            ? (await turn.WaitingAsync(1, cancellationToken)).FirstOrDefault()
            : null;
        var cancellation = roster.Cancel(registration, firstWaiting, clock.GetUtcNow());
        if (cancellation.Outcome == CancellationOutcome.AlreadyCancelled)
        {
            return (new CancelResult(CancelOutcome.AlreadyCancelled, null), registration, null);
        }

        turn.StageChanged(cancellation.Registration);
        if (purpose is { } told)
        {
            turn.StageMail(MailIntent.About(cancellation.Registration, told));
        }

        if (cancellation.Promoted is { } promoted)
        {
            turn.StageChanged(promoted);
            turn.StageMail(MailIntent.About(promoted, MailPurpose.Promoted));
        }

        return (new CancelResult(CancelOutcome.Cancelled, cancellation.Promoted?.Id), registration, cancellation.Promoted);
    }

    // The audit log's title for a registrant's entry: who, and in which session.
    private string AuditTitle(Registration registration) => $"{registration.Applicant.Name} · {_view?.Title ?? SessionId.ToString()}";

    private static string Where(Registration registration, int? waitlistPosition) =>
        registration.Status == RegistrationStatus.Confirmed ? "holds a seat" : $"on the waitlist at position {waitlistPosition}";

    private static string FreedSeat(Registration? promoted) =>
        promoted is null ? "" : $"; the freed seat went to {promoted.Applicant.Name}, first on the waitlist";

    /// <inheritdoc />
    public Task<EditOutcome> ChangeDetailsAsync(Guid registrationId, Applicant corrected, string? fromAddress, CancellationToken cancellationToken = default) =>
        RunAsync(async turn =>
        {
            ArgumentNullException.ThrowIfNull(corrected);
            if (turn.Roster is not { } roster || await turn.FindAsync(registrationId, cancellationToken) is not { } registration
                || registration.Applicant.NormalizedEmail != corrected.NormalizedEmail)
            {
                return EditOutcome.NotFound;
            }

            if (!registration.IsActive)
            {
                return EditOutcome.Cancelled;
            }

            // The details form does not carry the answers to the series' questions: they stay as given.
            var changed = registration.ChangeDetails(corrected with
            {
                RecordingConsent = roster.RecordingConsentOf(corrected, registration.Applicant.RecordingConsent),
                Answers = registration.Applicant.Answers,
            }, clock.GetUtcNow());
            if (changed.Count == 0)
            {
                return EditOutcome.Unchanged;
            }

            turn.StageEdited(registration, new RegistrantEdit(changed, fromAddress));
            return EditOutcome.Changed;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<AccommodationAnswerOutcome> AnswerAccommodationAsync(
        Guid registrationId, AccommodationState state, string? note, OrganizerActor act, CancellationToken cancellationToken = default) =>
        RunAsync(async turn =>
        {
            ArgumentNullException.ThrowIfNull(act);
            if (Accommodation.AnswerProblem(state, note) is not null)
            {
                return AccommodationAnswerOutcome.Invalid;
            }

            if (turn.Roster is null || await turn.FindAsync(registrationId, cancellationToken) is not { } registration)
            {
                return AccommodationAnswerOutcome.NotFound;
            }

            if (!registration.IsActive)
            {
                return AccommodationAnswerOutcome.Cancelled;
            }

            if (registration.Accommodation.State == AccommodationState.None)
            {
                return AccommodationAnswerOutcome.NoRequest;
            }

            if (!registration.AnswerAccommodation(state, note ?? ""))
            {
                return AccommodationAnswerOutcome.Unchanged;
            }

            turn.StageAccommodation(registration, act);
            if (state is AccommodationState.Arranged or AccommodationState.CannotArrange)
            {
                // Keyed by the instant of the answer: a later change of mind (or a corrected note) is news of its own.
                turn.StageMail(new MailIntent(registration.Applicant.NormalizedEmail, MailPurpose.AccommodationAnswered,
                    $"registration:{registration.Id}:accommodation:{clock.GetUtcNow().ToUnixTimeMilliseconds()}", SessionId, registration.Id));
            }

            return AccommodationAnswerOutcome.Changed;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReplanRemindersAsync(IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken = default) =>
        RunAsync(turn =>
        {
            ArgumentNullException.ThrowIfNull(leads);
            if (turn.Roster is not { } roster || roster.IsCancelled || roster.StartsAt <= clock.GetUtcNow())
            {
                // Nothing ahead to remind anyone of: a past or cancelled session keeps its reminder rows as history.
                return Task.FromResult(false);
            }

            turn.StageReminderLeads(leads);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <inheritdoc />
    public virtual async Task<SessionChangeResult> RescheduleAsync(DateTimeOffset startsAt, DateTimeOffset endsAt, CancellationToken cancellationToken = default)
    {
        if (await CheckMoveAsync(startsAt, endsAt) is { } problem)
        {
            return new SessionChangeResult(SessionChangeOutcome.Refused, 0, problem);
        }

        return await ChangeSessionAsync(roster => roster.Reschedule(startsAt, endsAt), MailPurpose.SessionChanged, cancellationToken);
    }

    /// <summary>What this session's links say about moving it; null when it may move.</summary>
    protected virtual Task<string?> CheckMoveAsync(DateTimeOffset startsAt, DateTimeOffset endsAt) => Task.FromResult<string?>(null);

    /// <inheritdoc />
    public virtual Task<SessionChangeResult> CancelSessionAsync(CancellationToken cancellationToken = default) =>
        ChangeSessionAsync(roster => roster.CancelSession(), MailPurpose.SessionCancelled, cancellationToken);

    private Task<SessionChangeResult> ChangeSessionAsync(Func<SessionRoster, bool> change, MailPurpose purpose, CancellationToken cancellationToken) =>
        RunAsync(async turn =>
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
        RunAsync(async turn =>
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
                CapacityChangeOutcome.BelowConfirmed => CapacityChangeResultOutcome.BelowConfirmed,
                _ => throw new InvalidOperationException($"Unknown capacity outcome {change.Outcome}."),
            };
            return new CapacityChangeResult(outcome, roster.Capacity, roster.ConfirmedCount, change.Promoted.Select(r => r.Id).ToList());
        }, cancellationToken);

    /// <inheritdoc />
    public Task<CloseResult> CloseRegistrationAsync(CancellationToken cancellationToken = default) =>
        RunAsync(turn => Task.FromResult(
            turn.Roster is not { } roster ? CloseResult.SessionNotFound
            : roster.CloseRegistration() ? CloseResult.Closed
            : CloseResult.AlreadyClosed), cancellationToken);

    /// <inheritdoc />
    public Task<PublishResult> SetPublishedAsync(bool published, CancellationToken cancellationToken = default) =>
        RunAsync(turn =>
        {
            if (turn.Roster is not { } roster)
            {
                return Task.FromResult(PublishResult.SessionNotFound);
            }

            if (roster.IsPublished == published)
            {
                return Task.FromResult(PublishResult.Unchanged);
            }

            turn.StagePublished(published);
            return Task.FromResult(PublishResult.Changed);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<TranslationResult> SetTranslationsAsync(IReadOnlyList<ContentTranslation> translations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translations);
        return RunAsync(async turn =>
        {
            if (turn.Roster is null)
            {
                return TranslationResult.NotFound;
            }

            var presenters = (await turn.DetailsAsync(cancellationToken)).Presenters.Count;
            if (ContentTranslations.Problems(translations, presenters) is { Count: > 0 } problems)
            {
                return new TranslationResult(false, true, problems);
            }

            turn.StageTranslations(ContentTranslations.Render(translations, richText));
            return TranslationResult.Done;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DetailsResult> UpdateDetailsAsync(SessionDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        Guid? webinarBefore = null, webinarAfter = null;
        var result = await RunAsync(async turn =>
        {
            if (turn.Roster is not { } roster)
            {
                return new DetailsResult(DetailsOutcome.SessionNotFound, [$"There is no session {SessionId}."], 0);
            }

            var current = await turn.DetailsAsync(cancellationToken);
            var kind = details.Kind ?? current.Kind;
            var (recorded, consentRequired) = (details.Recorded ?? current.Recorded, details.RecordingConsentRequired ?? current.RecordingConsentRequired);
            var window = details.Window ?? current.Window ?? RegistrationWindow.Always;
            var problems = details.Problems(kind).ToList();
            problems.AddRange(window.Problems(roster.EndsAt).Values);
            if (!Recording.Fits(recorded, consentRequired))
            {
                problems.Add(Recording.ConsentWithoutRecordingProblem);
            }

            if (problems.Count > 0)
            {
                return new DetailsResult(DetailsOutcome.Invalid, problems, 0);
            }

            var webinarId = kind == SessionKind.LearningExchange ? details.WebinarId ?? current.WebinarId : null;
            if (kind != current.Kind || webinarId != current.WebinarId)
            {
                var facts = await turn.PairingFactsAsync(webinarId, cancellationToken);
                if (ExchangePairing.CheckLinks(SessionId, current.SeriesId, kind, webinarId, roster.StartsAt, facts) is { } problem)
                {
                    return new DetailsResult(DetailsOutcome.Invalid, [problem], 0);
                }
            }

            var joinChanged = details.JoinUrl is not null && !string.Equals(details.JoinUrl, current.JoinUrl, StringComparison.Ordinal);
            if (joinChanged)
            {
                roster.JoinLinkChanged();
            }

            turn.StageDetails(new StoredDetails(kind, details.Title, details.Description, richText.RenderMarkdown(details.Description), details.JoinUrl,
                details.Venue, details.City, webinarId, details.CeHoursCenti ?? current.CeHoursCenti,
                details.Presenters.Select(p => p with { BioHtml = richText.RenderMarkdown(p.Bio ?? "") }).ToList(), current.SeriesId, details.VenueAddress,
                recorded, consentRequired, window));
            var notified = 0;
            if (joinChanged && !roster.IsCancelled && roster.EndsAt > clock.GetUtcNow())
            {
                // A link removed is not news worth an email; a new or replaced one is, to those who hold a seat — while
                // the session is still to come or running (after it, the link changes nothing anyone can join). Keyed
                // by the invite sequence the change raised, so each change is mailed once.
                foreach (var seat in (await turn.ActiveRegistrationsAsync(cancellationToken)).Where(r => r.Status == RegistrationStatus.Confirmed))
                {
                    turn.StageMail(new MailIntent(seat.Applicant.NormalizedEmail, MailPurpose.JoinLinkChanged,
                        $"session:{SessionId}:join-link-changed:{roster.InviteSequence}", SessionId, seat.Id));
                    notified++;
                }
            }

            (webinarBefore, webinarAfter) = (current.WebinarId, webinarId);
            return new DetailsResult(DetailsOutcome.Changed, [], notified);
        }, cancellationToken);

        if (result.Outcome == DetailsOutcome.Changed)
        {
            await LinksChangedAsync(webinarBefore, webinarAfter);
            if (_view is { } view && !Keeps(view.Kind))
            {
                // The session became (or stopped being) a learning exchange: the other grain type keeps it from now on.
                DeactivateOnIdle();
            }
        }

        return result;
    }

    /// <inheritdoc />
    public Task<int> MessageRegistrantsAsync(RegistrantMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Problems() is { Count: > 0 } problems)
        {
            throw new DomainException(string.Join(" ", problems.Values));
        }

        // Keyed by the subject line: resending the same announcement is a no-op, a corrected subject is a new mail.
        var subject = $"message:{SessionId}:{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message.Subject)))[..32]}";
        return RunAsync(async turn =>
        {
            if (turn.Roster is null)
            {
                return 0;
            }

            var registrants = await turn.ActiveRegistrationsAsync(cancellationToken);
            foreach (var registration in registrants)
            {
                turn.StageMail(new MailIntent(registration.Applicant.NormalizedEmail, MailPurpose.OrganizerMessage, subject, SessionId, registration.Id) { Message = message });
            }

            return registrants.Count;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SessionView?> GetViewAsync()
    {
        if (_view is not null && Environment.TickCount64 - _viewReadAtMs > (long)ViewLifetime.TotalMilliseconds)
        {
            await ReadViewAsync(CancellationToken.None);
        }

        return _view;
    }

    /// <inheritdoc />
    public async Task<int?> WaitlistPositionAsync(long sequence)
    {
        _waitlist ??= [.. await store.WaitlistSequencesAsync(SessionId, CancellationToken.None)];
        var at = _waitlist.BinarySearch(sequence);
        return at >= 0 ? at + 1 : null;
    }

    /// <inheritdoc />
    public Task<RegistrationStatus?> StatusOfAsync(Guid registrationId) => store.StatusOfAsync(SessionId, registrationId, CancellationToken.None);

    /// <inheritdoc />
    public async Task RefreshAsync()
    {
        _waitlist = null;
        await ReadViewAsync(CancellationToken.None);
        await ReportAsync();
    }

    /// <summary>
    /// Runs a command as one turn of the store. After the commit: the view is patched (or read again when another writer
    /// was at the row since), the waitlist index follows, learners whose registrations changed are told, and the
    /// catalog gets the new view.
    /// </summary>
    protected async Task<T> RunAsync<T>(Func<ISessionTurn, Task<T>> command, CancellationToken cancellationToken)
    {
        var (result, learnersTold) = await RunTurnAsync(command, cancellationToken);
        await learnersTold;
        return result;
    }

    // The turn and what follows its commit, but for telling the learners, which is returned to await: admissions let the
    // next batch's turn start meanwhile, and answer each caller once its own learner has been told.
    private async Task<(T Result, Task LearnersTold)> RunTurnAsync<T>(Func<ISessionTurn, Task<T>> command, CancellationToken cancellationToken)
    {
        Staged? staged = null;
        var result = await store.RunTurnAsync(SessionId, async turn =>
        {
            if (turn.Roster is not null && !Keeps(turn.Kind))
            {
                throw new SessionKindMovedException(SessionId, turn.Kind);
            }

            staged = new Staged(turn);
            return await command(staged);
        }, cancellationToken);
        return (result, await AfterCommitAsync(staged!, cancellationToken));
    }

    private async Task<Task> AfterCommitAsync(Staged turn, CancellationToken cancellationToken)
    {
        // The session row is at the version the turn read: nothing saved, or only a registrant's own details (which
        // touch no count), whose learner must still hear of them.
        if (turn.Roster is not { } roster || turn.Version == roster.Version)
        {
            return turn.Roster is not null && turn.ChangedRegistrations.Count > 0 ? TellLearnersAsync(turn) : Task.CompletedTask;
        }

        var knewRow = _view is { } known && known.Revision == roster.Version;
        if (!knewRow || turn.DetailsChanged)
        {
            _waitlist = null;
            await ReadViewAsync(cancellationToken);
        }
        else
        {
            _view = _view! with
            {
                Capacity = roster.Capacity,
                ConfirmedCount = roster.ConfirmedCount,
                WaitlistedCount = roster.WaitlistedCount,
                RegistrationClosedByOrganizer = roster.ClosedByOrganizer,
                Cancelled = roster.IsCancelled,
                StartsAt = roster.StartsAt,
                EndsAt = roster.EndsAt,
                Published = turn.Published ?? _view.Published,
                Revision = turn.Version,
            };
            FollowWaitlist(turn);
        }

        await ReportAsync();
        return TellLearnersAsync(turn);
    }

    private void FollowWaitlist(Staged turn)
    {
        if (_waitlist is null)
        {
            return;
        }

        foreach (var registration in turn.New.Concat(turn.ChangedRegistrations))
        {
            var at = _waitlist.BinarySearch(registration.Sequence);
            if (registration.Status == RegistrationStatus.Waitlisted && at < 0)
            {
                _waitlist.Insert(~at, registration.Sequence);
            }
            else if (registration.Status != RegistrationStatus.Waitlisted && at >= 0)
            {
                _waitlist.RemoveAt(at);
            }
        }
    }

    // Every learner whose registrations changed is told before the command answers, so the page the registrant lands on
    // next (the confirmation, the manage page) already shows the change.
    private async Task TellLearnersAsync(Staged turn)
    {
        var byLearner = turn.New.Concat(turn.ChangedRegistrations)
            .GroupBy(r => r.Applicant.NormalizedEmail, StringComparer.Ordinal)
            .ToList();
        if (byLearner.Count == 0)
        {
            return;
        }

        try
        {
            // A few dozen at a time: a batch of 128 new learners would otherwise ask the database for 128 state reads
            // and writes at once, crowding out the registrations queued behind this turn.
            foreach (var chunk in byLearner.Chunk(LearnerFanOut))
            {
                await Task.WhenAll(chunk.Select(g =>
                    GrainFactory.GetGrain<ILearnerGrain>(g.Key).RecordAsync(g.Select(LearnerRegistration.From).ToList())));
            }
        }
        catch (Exception e)
        {
            // The registrations are committed; a learner index that missed this corrects itself from the rows.
            LogLearnersNotTold(logger, SessionId, e);
        }
    }

    // The catalog lists the session as it is now before the command answers, so an organizer sees their change at once.
    private async Task ReportAsync()
    {
        if (_view is not { } view)
        {
            return;
        }

        try
        {
            await GrainFactory.Catalog().SessionChangedAsync(view);
        }
        catch (Exception e)
        {
            // The change is committed; the catalog reads the rows again within a minute.
            LogCatalogNotTold(logger, SessionId, e);
        }
    }

    /// <summary>Reads the view from the store.</summary>
    protected async Task ReadViewAsync(CancellationToken cancellationToken)
    {
        var read = await store.LoadViewAsync(SessionId, cancellationToken);
        if (read is null || _view is null || read.Revision >= _view.Revision)
        {
            _view = read;
        }

        _viewReadAtMs = Environment.TickCount64;
    }

    // A learning exchange that now follows another webinar (or none): both webinars' views name their exchange.
    private async Task LinksChangedAsync(Guid? before, Guid? after)
    {
        if (before == after)
        {
            return;
        }

        foreach (var webinar in new[] { before, after }.OfType<Guid>())
        {
            await GrainFactory.GetGrain<ISessionGrain>(webinar).RefreshAsync();
        }
    }

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
            var (answers, learnersTold) = await RunTurnAsync(turn => AdmitInTurnAsync(turn, batch), CancellationToken.None);
            // The next batch's turn starts now; these callers hear back once their learners know (the page they land on
            // next reads the learner's index).
            _ = AnswerAsync(batch, answers, learnersTold);
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

    private static async Task AnswerAsync(List<PendingAdmission> batch, SessionAdmission[] answers, Task learnersTold)
    {
        // Never fails: TellLearnersAsync logs what it could not deliver, and the registrations are committed either way.
        await learnersTold;
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.SetResult(answers[i]);
        }
    }

    private async Task<SessionAdmission[]> AdmitInTurnAsync(ISessionTurn turn, List<PendingAdmission> batch)
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
            else if (admission.Outcome == AdmissionOutcome.AlreadyRegistered && admission.Registration!.RegisteredAt <= now - MailIntent.ResendWindow)
            {
                // Registering again is how people look for a lost manage link: send it again (once per window). Not for
                // a double-click: the confirmation with the link has only just been sent.
                turn.StageMail(MailIntent.ManageLinkAgain(admission.Registration, now));
            }

            var outcome = admission.Outcome switch
            {
                AdmissionOutcome.Confirmed => SessionAdmissionOutcome.Confirmed,
                AdmissionOutcome.Waitlisted => SessionAdmissionOutcome.Waitlisted,
                AdmissionOutcome.AlreadyRegistered => SessionAdmissionOutcome.AlreadyRegistered,
                AdmissionOutcome.NoLearningExchange => SessionAdmissionOutcome.NoLearningExchange,
                AdmissionOutcome.Closed => SessionAdmissionOutcome.Closed,
                AdmissionOutcome.ConsentAnswerNeeded => SessionAdmissionOutcome.ConsentAnswerNeeded,
                AdmissionOutcome.AnswersInvalid => SessionAdmissionOutcome.AnswersInvalid,
                _ => throw new InvalidOperationException($"Unknown admission outcome {admission.Outcome}."),
            };
            answers[i] = new SessionAdmission(SessionId, outcome, newId, admission.WaitlistPosition, admission.ClosedReason, roster.LearningExchangeId)
            {
                RegistrationOpensAt = admission.ClosedReason == ClosedReason.NotOpenYet ? roster.RegistrationOpensAt : null,
                AnswerErrors = admission.AnswerErrors,
            };
        }

        return answers;
    }

    // 128 random bits: the manage link is also signed, but the secret alone already makes it unguessable.
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the catalog was not told of a committed change; it reads the rows again within a minute")]
    private static partial void LogCatalogNotTold(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: learners were not told of committed registration changes; their indexes correct themselves from the rows")]
    private static partial void LogLearnersNotTold(ILogger logger, Guid sessionId, Exception exception);

    private sealed record PendingAdmission(Applicant Applicant, RegistrationGroup Group, bool WithLearningExchange)
    {
        public TaskCompletionSource<SessionAdmission> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // The turn as the command sees it, remembering what it staged for what follows the commit.
    private sealed class Staged(ISessionTurn inner) : ISessionTurn
    {
        public List<Registration> New { get; } = [];

        public List<Registration> ChangedRegistrations { get; } = [];

        public bool DetailsChanged { get; private set; }

        public bool? Published { get; private set; }

        public SessionRoster? Roster => inner.Roster;

        public SessionKind Kind => inner.Kind;

        public long Version => inner.Version;

        public Task<IReadOnlyDictionary<string, Registration>> FindActiveByEmailsAsync(IReadOnlyCollection<string> normalizedEmails, CancellationToken cancellationToken) =>
            inner.FindActiveByEmailsAsync(normalizedEmails, cancellationToken);

        public Task<Registration?> FindAsync(Guid registrationId, CancellationToken cancellationToken) => inner.FindAsync(registrationId, cancellationToken);

        public Task<IReadOnlyList<Registration>> ActiveRegistrationsAsync(CancellationToken cancellationToken) => inner.ActiveRegistrationsAsync(cancellationToken);

        public Task<IReadOnlyList<Registration>> WaitingAsync(int count, CancellationToken cancellationToken) => inner.WaitingAsync(count, cancellationToken);

        public Task<PairingFacts> PairingFactsAsync(Guid? webinarId, CancellationToken cancellationToken) => inner.PairingFactsAsync(webinarId, cancellationToken);

        public Task<StoredDetails> DetailsAsync(CancellationToken cancellationToken) => inner.DetailsAsync(cancellationToken);

        public void StageNew(Registration registration)
        {
            inner.StageNew(registration);
            New.Add(registration);
        }

        public void StageChanged(Registration registration)
        {
            inner.StageChanged(registration);
            ChangedRegistrations.Add(registration);
        }

        public void StageMail(MailIntent mail) => inner.StageMail(mail);

        public void StageEdited(Registration registration, RegistrantEdit edit)
        {
            inner.StageEdited(registration, edit);
            ChangedRegistrations.Add(registration);
        }

        public void StageAccommodation(Registration registration, OrganizerActor act)
        {
            inner.StageAccommodation(registration, act);
            ChangedRegistrations.Add(registration);
        }

        public void StageReminderLeads(IReadOnlyList<TimeSpan> leads) => inner.StageReminderLeads(leads);
        public void StageAudit(RegistrantAudit audit) => inner.StageAudit(audit);

        public Task<bool> MailQueuedAsync(string idempotencyKey, CancellationToken cancellationToken) => inner.MailQueuedAsync(idempotencyKey, cancellationToken);

        public void StageDetails(StoredDetails details)
        {
            inner.StageDetails(details);
            DetailsChanged = true;
        }

        public void StagePublished(bool published)
        {
            inner.StagePublished(published);
            Published = published;
        }

        public void StageTranslations(IReadOnlyList<ContentTranslation> translations)
        {
            inner.StageTranslations(translations);
            // The view carries the translations: read it afresh after the commit, as after any change of details.
            DetailsChanged = true;
        }
    }
}
