using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Messaging;

/// <summary>Why an email is sent; together with the recipient and its subject it identifies the email.</summary>
public enum MailPurpose
{
    /// <summary>A seat is confirmed (with a calendar invite).</summary>
    RegistrationConfirmed,

    /// <summary>No seat yet: on the waitlist at a position.</summary>
    Waitlisted,

    /// <summary>A seat freed up and is now theirs (with a calendar invite).</summary>
    Promoted,

    /// <summary>The registration was cancelled (with a cancelling invite).</summary>
    RegistrationCancelled,

    /// <summary>A reminder before the session starts.</summary>
    Reminder,

    /// <summary>The session moved (an updated invite: same UID, higher SEQUENCE).</summary>
    SessionChanged,

    /// <summary>The session was cancelled (a cancelling invite).</summary>
    SessionCancelled,

    /// <summary>A one-time link that signs a person in.</summary>
    SignInLink,

    /// <summary>An invitation to an account, with a link to set a first password.</summary>
    Invitation,

    /// <summary>A one-time link to choose a new password.</summary>
    PasswordReset,

    /// <summary>A mentor is told about a new mentee.</summary>
    MenteeAssigned,

    /// <summary>A new staff member is told who their peer mentor is.</summary>
    MentorAssigned,

    /// <summary>A mentor is told a monthly follow-up is due.</summary>
    FollowUpDue,

    /// <summary>A mentor is reminded of a follow-up that is overdue.</summary>
    FollowUpOverdue,

    /// <summary>A coordinator is told a follow-up has been overdue for long.</summary>
    FollowUpEscalated,

    /// <summary>An organizer's message to a session's registrants.</summary>
    OrganizerMessage,

    /// <summary>A session's recording can be watched now.</summary>
    RecordingReady,

    /// <summary>An attendee is asked to evaluate the session, with their private survey link.</summary>
    EvaluationRequested,
    /// <summary>A certificate (of a session or a course) was issued, with the link to it.</summary>
    CertificateIssued,

    /// <summary>A certificate was revoked (its attendance was corrected), with the link that verifies it as revoked.</summary>
    CertificateRevoked,
    /// <summary>A confirmed registrant who did not attend: "you missed it, here is the recording".</summary>
    RecordingMissed,

    /// <summary>
    /// Two days before a Learning Exchange, to its registrants who did not attend its webinar: the webinar's recording
    /// (through a pass) and handouts, to prepare with.
    /// </summary>
    ExchangePreparation,

    /// <summary>The session's join link changed (the new link and an updated invite, to seat holders).</summary>
    JoinLinkChanged,

    /// <summary>Someone registered again with an address already registered: the manage link, sent again.</summary>
    ManageLinkResent,

    /// <summary>"Email me my registrations": an address's upcoming and past registrations with their manage links.</summary>
    RegistrationList,

    /// <summary>A one-time link that proves an address, to create a Learner account for it.</summary>
    SignUpLink,

    /// <summary>An organizer arranged a registrant's accommodation, or cannot: the state and the organizer's note.</summary>
    AccommodationAnswered,

    /// <summary>To an organizer, at most hourly: the accommodation requests made since the last such mail.</summary>
    AccommodationRequestsDigest,

    /// <summary>To an organizer, 7 days before a session: its accommodation requests still open.</summary>
    AccommodationRequestsOpen,
    /// <summary>An organizer cancelled the registration (with a cancelling invite).</summary>
    CancelledByOrganizer,

    /// <summary>An organizer sent the registrant's confirmation again: where they stand, the manage link, the invite if seated.</summary>
    ConfirmationResent,

    /// <summary>An organizer moved the registrant to another session of the series: where they now are, with the new invite.</summary>
    RegistrationMoved,
}

/// <summary>How purposes are written in the outbox.</summary>
public static class MailPurposes
{
    /// <summary>
    /// Mail a person is waiting on: a sign-in, sign-up or reset link, their manage link or list of registrations (each
    /// asked for at the screen), and an invitation to an account (which an admin has just told them to expect). It goes
    /// out within a quarter second even while delivery gives way to a burst of registrations. The outbox's index
    /// <c>ix_outbox_awaited</c> (migration 0068) names exactly these, in this order.
    /// </summary>
    public static IReadOnlyList<MailPurpose> Awaited { get; } =
        [MailPurpose.SignInLink, MailPurpose.SignUpLink, MailPurpose.PasswordReset, MailPurpose.Invitation, MailPurpose.ManageLinkResent,
         MailPurpose.RegistrationList];

    /// <summary>The stable wire name of a purpose.</summary>
    public static string ToWire(this MailPurpose purpose) => purpose switch
    {
        MailPurpose.RegistrationConfirmed => "registration-confirmed",
        MailPurpose.Waitlisted => "waitlisted",
        MailPurpose.Promoted => "promoted",
        MailPurpose.RegistrationCancelled => "registration-cancelled",
        MailPurpose.Reminder => "reminder",
        MailPurpose.SessionChanged => "session-changed",
        MailPurpose.SessionCancelled => "session-cancelled",
        MailPurpose.SignInLink => "sign-in-link",
        MailPurpose.Invitation => "invitation",
        MailPurpose.PasswordReset => "password-reset",
        MailPurpose.MenteeAssigned => "mentee-assigned",
        MailPurpose.MentorAssigned => "mentor-assigned",
        MailPurpose.FollowUpDue => "follow-up-due",
        MailPurpose.FollowUpOverdue => "follow-up-overdue",
        MailPurpose.FollowUpEscalated => "follow-up-escalated",
        MailPurpose.OrganizerMessage => "organizer-message",
        MailPurpose.RecordingReady => "recording-ready",
        MailPurpose.EvaluationRequested => "evaluation-requested",
        MailPurpose.CertificateIssued => "certificate-issued",
        MailPurpose.CertificateRevoked => "certificate-revoked",
        MailPurpose.RecordingMissed => "recording-missed",
        MailPurpose.ExchangePreparation => "exchange-preparation",
        MailPurpose.JoinLinkChanged => "join-link-changed",
        MailPurpose.ManageLinkResent => "manage-link-resent",
        MailPurpose.RegistrationList => "registration-list",
        MailPurpose.SignUpLink => "sign-up-link",
        MailPurpose.AccommodationAnswered => "accommodation-answered",
        MailPurpose.AccommodationRequestsDigest => "accommodation-requests",
        MailPurpose.AccommodationRequestsOpen => "accommodation-requests-open",
        MailPurpose.CancelledByOrganizer => "cancelled-by-organizer",
        MailPurpose.ConfirmationResent => "confirmation-resent",
        MailPurpose.RegistrationMoved => "registration-moved",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    /// <summary>Reads a wire name back.</summary>
    public static MailPurpose FromWire(string wire) => wire switch
    {
        "registration-confirmed" => MailPurpose.RegistrationConfirmed,
        "waitlisted" => MailPurpose.Waitlisted,
        "promoted" => MailPurpose.Promoted,
        "registration-cancelled" => MailPurpose.RegistrationCancelled,
        "reminder" => MailPurpose.Reminder,
        "session-changed" => MailPurpose.SessionChanged,
        "session-cancelled" => MailPurpose.SessionCancelled,
        "sign-in-link" => MailPurpose.SignInLink,
        "invitation" => MailPurpose.Invitation,
        "password-reset" => MailPurpose.PasswordReset,
        "mentee-assigned" => MailPurpose.MenteeAssigned,
        "mentor-assigned" => MailPurpose.MentorAssigned,
        "follow-up-due" => MailPurpose.FollowUpDue,
        "follow-up-overdue" => MailPurpose.FollowUpOverdue,
        "follow-up-escalated" => MailPurpose.FollowUpEscalated,
        "organizer-message" => MailPurpose.OrganizerMessage,
        "recording-ready" => MailPurpose.RecordingReady,
        "evaluation-requested" => MailPurpose.EvaluationRequested,
        "certificate-issued" => MailPurpose.CertificateIssued,
        "certificate-revoked" => MailPurpose.CertificateRevoked,
        "recording-missed" => MailPurpose.RecordingMissed,
        "exchange-preparation" => MailPurpose.ExchangePreparation,
        "join-link-changed" => MailPurpose.JoinLinkChanged,
        "manage-link-resent" => MailPurpose.ManageLinkResent,
        "registration-list" => MailPurpose.RegistrationList,
        "sign-up-link" => MailPurpose.SignUpLink,
        "accommodation-answered" => MailPurpose.AccommodationAnswered,
        "accommodation-requests" => MailPurpose.AccommodationRequestsDigest,
        "accommodation-requests-open" => MailPurpose.AccommodationRequestsOpen,
        "cancelled-by-organizer" => MailPurpose.CancelledByOrganizer,
        "confirmation-resent" => MailPurpose.ConfirmationResent,
        "registration-moved" => MailPurpose.RegistrationMoved,
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown mail purpose."),
    };
}

/// <summary>
/// An email to be sent, decided by a grain in the same turn as the change that causes it; the store writes it to the
/// outbox in that turn's transaction. Its key — recipient, purpose, subject — makes a second enqueue a no-op.
/// </summary>
public sealed record MailIntent(string Recipient, MailPurpose Purpose, string SubjectRef, Guid? SessionId, Guid? RegistrationId, int? WaitlistPosition = null)
{
    /// <summary>For account and mentoring mail: the link the message carries.</summary>
    public string? Link { get; init; }

    /// <summary>For mentoring mail: the other person of the pair, as "Name <email>".</summary>
    public string? Counterpart { get; init; }

    /// <summary>For mentoring mail: the fact the message reports (a follow-up's date), as it was when queued.</summary>
    public string? Detail { get; init; }

    /// <summary>For an organizer's message: its subject line and plain-text body, as written.</summary>
    public RegistrantMessage? Message { get; init; }

    /// <summary>
    /// The earliest instant the mail may be delivered (a survey about a session waits for its end); null, or an
    /// instant already past when it is queued: at once.
    /// </summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Recipient, purpose and subject of the mail: the outbox's uniqueness key.</summary>
    public string IdempotencyKey => $"{Recipient}|{Purpose.ToWire()}|{SubjectRef}";

    /// <summary>The mail a registrant gets for where a new registration landed.</summary>
    public static MailIntent ForAdmission(Registration registration, int? waitlistPosition)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var purpose = registration.Status switch
        {
            RegistrationStatus.Confirmed => MailPurpose.RegistrationConfirmed,
            RegistrationStatus.Waitlisted => MailPurpose.Waitlisted,
            _ => throw DomainException.InvalidTransition($"Registration {registration.Id}", registration.Status, "be announced as new"),
        };
        return About(registration, purpose, waitlistPosition);
    }

    /// <summary>The mail every live registrant gets when their session moves or is cancelled (one per change).</summary>
    public static MailIntent AboutSession(Registration registration, MailPurpose purpose, long inviteSequence)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new MailIntent(registration.Applicant.NormalizedEmail, purpose,
            $"session:{registration.SessionId}:{purpose.ToWire()}:{inviteSequence}", registration.SessionId, registration.Id);
    }

    /// <summary>
    /// How often an address can be sent its manage link again, or its list of registrations: requests within one window
    /// share one outbox key, so a second is a no-op and a flood of requests for one address sends one mail per window.
    /// </summary>
    public static readonly TimeSpan ResendWindow = TimeSpan.FromMinutes(10);

    /// <summary>The window <paramref name="now"/> falls in, as it appears in an outbox key.</summary>
    public static long ResendWindowOf(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / (long)ResendWindow.TotalMilliseconds;

    /// <summary>The manage link sent again to someone who registered again for a session they already hold or wait for.</summary>
    public static MailIntent ManageLinkAgain(Registration registration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new MailIntent(registration.Applicant.NormalizedEmail, MailPurpose.ManageLinkResent,
            $"registration:{registration.Id}:{ResendWindowOf(now)}", registration.SessionId, registration.Id);
    }

    /// <summary>
    /// The confirmation an organizer sends again: keyed by the resend window, so however often an organizer presses the
    /// button, the registrant gets at most one per window.
    /// </summary>
    public static MailIntent ConfirmationAgain(Registration registration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new MailIntent(registration.Applicant.NormalizedEmail, MailPurpose.ConfirmationResent,
            $"registration:{registration.Id}:{ResendWindowOf(now)}", registration.SessionId, registration.Id);
    }

    /// <summary>
    /// The one mail a moved registrant gets, about their new registration (<paramref name="registration"/>, in the
    /// session they were moved to); <paramref name="fromTitle"/> names the session they left.
    /// </summary>
    public static MailIntent Moved(Registration registration, int? waitlistPosition, string fromTitle)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return About(registration, MailPurpose.RegistrationMoved, waitlistPosition) with { Detail = fromTitle };
    }

    /// <summary>The mail for a registration that was just cancelled or promoted.</summary>
    public static MailIntent About(Registration registration, MailPurpose purpose, int? waitlistPosition = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new MailIntent(registration.Applicant.NormalizedEmail, purpose, $"registration:{registration.Id}", registration.SessionId, registration.Id, waitlistPosition);
    }
}

/// <summary>An organizer's message to everyone registered for a session (sent as plain text, never as markup).</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrantMessage(string Subject, string Body)
{
    /// <summary>The problems that stop it being sent, keyed by field; empty when it can be.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Subject) || Subject.Length > 200 || Subject.Any(char.IsControl))
        {
            problems["subject"] = "Enter a subject of 1–200 characters on one line.";
        }

        if (string.IsNullOrWhiteSpace(Body) || Body.Length > 20_000)
        {
            problems["body"] = "Enter a message of 1–20,000 characters.";
        }

        return problems;
    }
}
