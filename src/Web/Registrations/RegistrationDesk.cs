using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Registrations;

/// <summary>
/// The raw fields of a registration, as a form or the JSON API sends them (the body of
/// POST /api/sessions/{id}/registrations; includeLearningExchange may be left out, and recordingConsent too unless the
/// session, or the learning exchange asked for with it, asks for consent to appear in its recording). answers holds the
/// answers to the series' registration questions keyed by question id: a string (text, "yes"/"no", an option id), a
/// boolean for yes/no, or an array of option ids for a multiple choice. language (optional: "en", "es" or "zh-Hans";
/// English when left out) is the language everything sent to the registrant later is written in.
/// </summary>
public sealed record RegistrationRequest(
    string? Name,
    string? Email,
    string? Agency,
    string? JobRole,
    string? TimeZone,
    string? Accommodations,
    bool IncludeLearningExchange = false,
    bool? RecordingConsent = null,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(AnswerValuesConverter))]
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Answers = null,
    string? Language = null)
{
    /// <summary>The answers as the applicant carries them to the session grain (values only; the grain checks them).</summary>
    public IReadOnlyList<RegistrationAnswer> AnswerList =>
        (Answers ?? new Dictionary<string, IReadOnlyList<string>>()).Select(a => new RegistrationAnswer(a.Key, a.Value)).ToList();
}

/// <summary>How a registration request ended.</summary>
public enum DeskOutcome
{
    /// <summary>Registered (confirmed or waitlisted); see the receipt.</summary>
    Registered,

    /// <summary>Fields were missing or malformed; see the errors. Nothing was written.</summary>
    Invalid,

    /// <summary>No such session. Nothing was written.</summary>
    UnknownSession,

    /// <summary>Registration is closed. Nothing was written.</summary>
    Closed,

    /// <summary>The email already holds or waits for a place. Nothing was written.</summary>
    AlreadyRegistered,
}

/// <summary>The answer of the desk, with a sentence for people.</summary>
public sealed record DeskResult(
    DeskOutcome Outcome,
    RegistrationReceipt? Receipt = null,
    string? ManageToken = null,
    IReadOnlyDictionary<string, string>? Errors = null,
    string? Message = null);

/// <summary>
/// Takes a registration from the web page or the API: validates every field before anything is written, then asks the
/// session grain. The page and the API share it so they cannot disagree about what is valid.
/// </summary>
public sealed class RegistrationDesk(SessionDirectory sessions, ManageLinks links, IGrainFactory grains)
{
    /// <summary>
    /// Validates the fields (no database needed), then hands the applicant to the session's grain, whose turn checks the
    /// rest (unknown session, closed, already registered, no learning exchange) before it writes anything. This is
    /// the hot path of a registration storm, so it reads nothing else (the session's kind, which says which grain type
    /// keeps it, is remembered after the first request). The desk's own sentences are in the language of
    /// <paramref name="localizer"/> (the page's); without one they are English (the JSON API's). The field rules'
    /// messages come from the domain and stay English.
    /// </summary>
    public Task<DeskResult> RegisterAsync(Guid sessionId, RegistrationRequest request, CancellationToken cancellationToken) =>
        RegisterAsync(sessionId, request, null, cancellationToken);

    /// <summary>As <see cref="RegisterAsync(Guid, RegistrationRequest, CancellationToken)"/>, with the desk's sentences in the localizer's language.</summary>
    public async Task<DeskResult> RegisterAsync(Guid sessionId, RegistrationRequest request, IStringLocalizer? localizer, CancellationToken cancellationToken)
    {
        string Say(string english, params object[] arguments) => WindowText.Say(localizer, english, arguments);
        var attention = Say("Some fields need your attention.");
        ArgumentNullException.ThrowIfNull(request);
        var validation = Applicant.Validate(request.Name, request.Email, request.Agency, request.JobRole, request.TimeZone, request.Accommodations);
        var language = RegistrantLanguage.Normalize(request.Language);
        if (!validation.IsValid || (request.Language is not null && language is null))
        {
            // Off the hot path: a form sent back anyway names every missing answer at once, the consent one included.
            var errors = new Dictionary<string, string>(validation.Errors, StringComparer.Ordinal);
            if (request.Language is not null && language is null)
            {
                errors[LanguageField] = RegistrantLanguage.Problem(request.Language);
            }

            if (request.RecordingConsent is null && await AsksRecordingConsentAsync(sessionId, request.IncludeLearningExchange, cancellationToken))
            {
                errors[RecordingConsentField] = Say(RecordingConsentMissing);
            }

            foreach (var (field, problem) in RegistrationAnswers.Check(await QuestionsAsync(sessionId, cancellationToken), request.AnswerList).Errors)
            {
                errors[field] = problem;
            }

            return new DeskResult(DeskOutcome.Invalid, Errors: errors, Message: attention);
        }

        // The answers are checked by the session grain, against the questions as they are in its turn.
        var applicant = validation.Applicant! with { RecordingConsent = request.RecordingConsent, Answers = request.AnswerList, Language = language };
        var receipt = await sessions.TryRunAsync(sessionId, g => g.RegisterAsync(applicant, request.IncludeLearningExchange, cancellationToken), cancellationToken);
        if (receipt is null)
        {
            return new DeskResult(DeskOutcome.UnknownSession, Message: Say("There is no such session."));
        }

        return receipt.Session.Outcome switch
        {
            SessionAdmissionOutcome.Confirmed or SessionAdmissionOutcome.Waitlisted =>
                new DeskResult(DeskOutcome.Registered, receipt, links.TokenFor(receipt.Group)),
            SessionAdmissionOutcome.AlreadyRegistered => new DeskResult(DeskOutcome.AlreadyRegistered, receipt,
                Message: AlreadyRegisteredMessage(validation.Applicant!.Email, localizer)),
            SessionAdmissionOutcome.Closed => new DeskResult(DeskOutcome.Closed, receipt,
                Message: ClosedMessage(receipt.Session.ClosedReason, receipt.Session.RegistrationOpensAt is { } opens
                    && await sessions.ViewAsync(sessionId, cancellationToken) is { } view ? ZonedTime.Start(opens, view.TimeZone) : null, localizer)),
            SessionAdmissionOutcome.NoLearningExchange => new DeskResult(DeskOutcome.Invalid, receipt,
                Errors: new Dictionary<string, string> { ["includeLearningExchange"] = Say("This session has no Learning Exchange to register for.") },
                Message: attention),
            SessionAdmissionOutcome.ConsentAnswerNeeded => new DeskResult(DeskOutcome.Invalid, receipt,
                Errors: new Dictionary<string, string> { [RecordingConsentField] = Say(RecordingConsentMissing) },
                Message: attention),
            SessionAdmissionOutcome.AnswersInvalid => new DeskResult(DeskOutcome.Invalid, receipt,
                Errors: receipt.Session.AnswerErrors ?? new Dictionary<string, string>(), Message: attention),
            SessionAdmissionOutcome.SessionNotFound => new DeskResult(DeskOutcome.UnknownSession, Message: Say("There is no such session.")),
            _ => throw new InvalidOperationException($"Unknown admission outcome {receipt.Session.Outcome}."),
        };
    }

    /// <summary>The field a language LearnHub does not write in is named by in errors (the JSON API's name).</summary>
    public const string LanguageField = "language";

    /// <summary>The field the consent answer is named by in errors (the JSON API's name).</summary>
    public const string RecordingConsentField = "recordingConsent";

    /// <summary>What a registrant reads when the session asks about the recording and they did not answer.</summary>
    public const string RecordingConsentMissing =
        "Answer whether you consent to appearing in the recording. Either answer keeps your place: if you do not consent, keep your camera and microphone off.";

    /// <summary>The sentence for a stored answer about the recording (null: never asked).</summary>
    public static string RecordingConsentLabel(bool? consent) => consent switch
    {
        true => "Consents to appearing in the recording",
        false => "Does not consent to appearing in the recording (camera and microphone off)",
        null => "Not asked",
    };

    /// <summary>The questions the session's series asks (empty for an unknown session).</summary>
    public async Task<IReadOnlyList<RegistrationQuestion>> QuestionsAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await sessions.ViewAsync(sessionId, cancellationToken) is { } session
            ? await grains.GetGrain<ISeriesGrain>(session.SeriesId).QuestionsAsync(cancellationToken)
            : [];

    private async Task<bool> AsksRecordingConsentAsync(Guid sessionId, bool includeLearningExchange, CancellationToken cancellationToken)
    {
        var session = await sessions.ViewAsync(sessionId, cancellationToken);
        if (session is null || session.RecordingConsentRequired)
        {
            return session is not null;
        }

        return includeLearningExchange && session.LearningExchangeId is { } exchange
            && await sessions.ViewAsync(exchange, cancellationToken) is { RecordingConsentRequired: true };
    }

    /// <summary>The answer to registering again: what happened instead, and where the way back is.</summary>
    public static string AlreadyRegisteredMessage(string email, IStringLocalizer? localizer = null) =>
        WindowText.Say(localizer, "{0} is already registered for this session, so nothing changed. We have emailed the private manage link to that address again: use it to see, change or cancel the registration.", email);

    /// <summary>The sentence for a closed session.</summary>
    public static string ClosedMessage(ClosedReason? reason, string? opensAt = null, IStringLocalizer? localizer = null) => WindowText.Say(localizer, reason switch
    {
        ClosedReason.NotOpenYet => opensAt is null ? "Registration for this session has not opened yet." : "Registration for this session opens {0}.",
        ClosedReason.WindowClosed => "Registration for this session has closed.",
        ClosedReason.ClosedByOrganizer => "Registration for this session has been closed by the organizer.",
        ClosedReason.SessionCancelled => "This session has been cancelled.",
        ClosedReason.NotPublished => "This session is not open for registration yet.",
        _ => "Registration for this session has closed: it has already started.",
    }, opensAt ?? "");

    /// <summary>The label people read for a status.</summary>
    public static string StatusLabel(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => "Confirmed",
        RegistrationStatus.Waitlisted => "On the waitlist",
        RegistrationStatus.Cancelled => "Cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown registration status."),
    };

    /// <summary>The status as the JSON API writes it.</summary>
    public static string StatusWire(SessionAdmissionOutcome outcome) => outcome switch
    {
        SessionAdmissionOutcome.Confirmed => "confirmed",
        SessionAdmissionOutcome.Waitlisted => "waitlisted",
        SessionAdmissionOutcome.AlreadyRegistered => "already-registered",
        SessionAdmissionOutcome.Closed => "closed",
        SessionAdmissionOutcome.NoLearningExchange => "no-learning-exchange",
        SessionAdmissionOutcome.ConsentAnswerNeeded => "recording-consent-needed",
        SessionAdmissionOutcome.AnswersInvalid => "answers-invalid",
        SessionAdmissionOutcome.SessionNotFound => "session-not-found",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown admission outcome."),
    };

    /// <summary>True when the session is a kind people register for with "also the exchange".</summary>
    public static bool OffersExchange(SessionView session) =>
        session is { Kind: SessionKind.NationalWebinar, LearningExchangeId: not null };
}
