using LearnHub.Grains.Catalog;
using System.Globalization;
using LearnHub.Grains.Media;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using LearnHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// One session for its organizers: publish or unpublish, reschedule and cancel, and a message to all registrants
/// (each through the session's grain, which tells registrants), the registrant list with its CSV, and the session's
/// media (through its media grain).
/// </summary>
[Hosting.MultiLineFields("Body", "Add.Accommodations", "note")]
[Authorize(Policy = Policies.Organizer)]
public sealed class SessionModel(SessionDirectory sessions, RegistrationReader registrations, IGrainFactory grains, AuditLog audit, IStringLocalizer<OrganizerResource> t,
    Grains.Sessions.IExchangePreparationStore preparations) : PageModel
{
    /// <summary>The session's handouts and recordings.</summary>
    public IReadOnlyList<MediaItem> MediaItems { get; private set; } = [];

    /// <summary>For a Learning Exchange, the questions and cases its registrants bring, oldest first; empty otherwise.</summary>
    public IReadOnlyList<Grains.Sessions.Preparation> Preparations { get; private set; } = [];

    /// <summary>The session's knowledge check, or null when it has none.</summary>
    public Grains.Certificates.KnowledgeCheck? KnowledgeCheck { get; private set; }

    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>Registrants listed per page.</summary>
    public const int RegistrantsPerPage = 50;

    /// <summary>This page of its registrations, in arrival order.</summary>
    public IReadOnlyList<RegistrationView> Registrants { get; private set; } = [];

    /// <summary>Which page of registrants is shown (1-based).</summary>
    public int RegistrantPage { get; private set; } = 1;

    /// <summary>How many pages of registrants there are.</summary>
    public int RegistrantPages { get; private set; } = 1;

    /// <summary>How many registrations the session has, cancelled ones included.</summary>
    public int RegistrantTotal { get; private set; }

    /// <summary>The reschedule form's new local start.</summary>
    [BindProperty]
    public string? Starts { get; set; }

    /// <summary>The reschedule form's new local end.</summary>
    [BindProperty]
    public string? Ends { get; set; }

    /// <summary>The message's subject.</summary>
    [BindProperty]
    public string? Subject { get; set; }

    /// <summary>The message's body.</summary>
    [BindProperty]
    public string? Body { get; set; }

    /// <summary>The cancel form's confirmation box.</summary>
    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>The "add a registrant" form.</summary>
    [BindProperty]
    public AddRegistrantForm Add { get; set; } = new();

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Shows the session, with one page of its registrants (<c>?page=2</c>).</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        // From the query only: "page" is also the route value Razor Pages names the page by.
        if (!await LoadAsync(id, cancellationToken, pageNumber ?? 1))
        {
            return NotFound();
        }

        Starts = Local(Session.StartsAt);
        Ends = Local(Session.EndsAt);
        return Page();
    }

    /// <summary>Shows the session in the public catalog, or takes it out.</summary>
    public async Task<IActionResult> OnPostPublishAsync(Guid id, bool publish, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var result = await sessions.RunAsync(id, g => g.SetPublishedAsync(publish, cancellationToken), PublishResult.SessionNotFound, cancellationToken);
        await AuditAsync(publish ? "session.published" : "session.unpublished", "", cancellationToken);
        Notice = result switch
        {
            PublishResult.Changed => publish ? t["Published: the session is in the public catalog."] : t["Unpublished: the session is out of the public catalog."],
            PublishResult.Unchanged => t["Nothing changed."],
            PublishResult.SessionNotFound => t["The session no longer exists."],
            _ => throw new InvalidOperationException($"Unknown publish result {result}."),
        };
        return Redirect($"/organizer/sessions/{id}");
    }

    /// <summary>Moves the session through its grain; registrants get the change mail and an updated invite.</summary>
    public async Task<IActionResult> OnPostRescheduleAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var zone = Zones.Get(Session.TimeZone);
        var starts = Instant(Starts, zone);
        var ends = Instant(Ends, zone);
        if (starts is null)
        {
            Errors.Add("starts", t["Enter the new start as a date and time."]);
        }

        if (ends is null)
        {
            Errors.Add("ends", t["Enter the new end as a date and time."]);
        }
        else if (starts is not null && ends <= starts)
        {
            Errors.Add("ends", t["The session must end after it starts."]);
        }

        if (Session.Cancelled)
        {
            Errors.Add("starts", t["A cancelled session cannot be moved."]);
        }

        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await sessions.RunAsync(id, g => g.RescheduleAsync(starts!.Value, ends!.Value, cancellationToken),
            new SessionChangeResult(SessionChangeOutcome.SessionNotFound, 0), cancellationToken);
        if (result.Outcome == SessionChangeOutcome.Refused)
        {
            // Its learning exchange (or webinar) says no: the form comes back with why, and nothing changed.
            Errors.Add("starts", result.Problem!);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await AuditAsync("session.rescheduled", $"{starts:O} – {ends:O}", cancellationToken);
        Notice = result.Outcome switch
        {
            SessionChangeOutcome.Changed => t["Moved. {0} registrant(s) are being emailed the new time with an updated invite.", result.RegistrantsNotified],
            SessionChangeOutcome.Unchanged => t["Nothing changed: the session already has those times."],
            _ => t["The session no longer exists."],
        };
        return Redirect($"/organizer/sessions/{id}");
    }

    /// <summary>Cancels the session through its grain; registrants are told, waitlists closed, reminders dropped.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!Confirm)
        {
            Errors.Add("confirm", t["Tick the box to confirm that the session is cancelled for everyone."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            (Starts, Ends) = (Local(Session.StartsAt), Local(Session.EndsAt));
            return Page();
        }

        var result = await sessions.RunAsync(id, g => g.CancelSessionAsync(cancellationToken), new SessionChangeResult(SessionChangeOutcome.SessionNotFound, 0), cancellationToken);
        await AuditAsync("session.cancelled", result.Exchange is { Outcome: SessionChangeOutcome.Changed } ? "with its learning exchange" : "", cancellationToken);
        Notice = result.Outcome != SessionChangeOutcome.Changed
            ? t["Nothing changed: the session was already cancelled."]
            : result.Exchange is { Outcome: SessionChangeOutcome.Changed }
                ? t["Cancelled, with its Learning Exchange (it would discuss this webinar). {0} registrant(s) of the two are being told.", result.RegistrantsNotified]
                : t["Cancelled. {0} registrant(s) are being told.", result.RegistrantsNotified];
        return Redirect($"/organizer/sessions/{id}");
    }

    /// <summary>Queues a message to everyone holding or waiting for a seat.</summary>
    public async Task<IActionResult> OnPostMessageAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var message = new RegistrantMessage((Subject ?? "").Trim(), Body ?? "");
        foreach (var (field, problem) in message.Problems())
        {
            Errors.Add(field, problem);
        }

        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            (Starts, Ends) = (Local(Session.StartsAt), Local(Session.EndsAt));
            return Page();
        }

        var queued = await sessions.RunAsync(id, g => g.MessageRegistrantsAsync(message, cancellationToken), 0, cancellationToken);
        await AuditAsync("session.messaged", message.Subject, cancellationToken);
        Notice = t["Your message is on its way to {0} registrant(s).", queued];
        return Redirect($"/organizer/sessions/{id}");
    }

    /// <summary>The live registrations asking for an accommodation, open ones and settled ones.</summary>
    public IReadOnlyList<RegistrationView> Accommodations { get; private set; } = [];

    /// <summary>"3 requests: 1 open, 2 arranged" (none when there are none).</summary>
    public string AccommodationSummary
    {
        get
        {
            // One key per counted part ("{0} open"), so each language words its own count; the list separator too.
            var parts = new[]
            {
                (AccommodationState.Requested, "{0} open"), (AccommodationState.Arranged, "{0} arranged"), (AccommodationState.CannotArrange, "{0} cannot be arranged"),
            }.Select(p => (Count: Accommodations.Count(a => a.AccommodationState == p.Item1), Label: p.Item2)).Where(p => p.Count > 0)
             .Select(p => t[p.Label, p.Count].Value);
            return Accommodations.Count == 0 ? t["No accommodation requests."]
                : t.Plural(Accommodations.Count, "{0} request: {1}.", "{0} requests: {1}.", string.Join(t[", "].Value, parts));
        }
    }

    /// <summary>The field an answer's errors are named by: one form per registration.</summary>
    public static string AccommodationField(Guid registrationId) => $"accommodation-{registrationId:N}";

    /// <summary>
    /// An organizer's answer to one accommodation request (requested, arranged or cannot be arranged, with a note the
    /// registrant reads), through the session grain, which audits it and mails the registrant when it is settled.
    /// </summary>
    public async Task<IActionResult> OnPostAccommodationAsync(Guid id, Guid registrationId, string? state, string? note, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var field = AccommodationField(registrationId);
        var chosen = state switch
        {
            "requested" => AccommodationState.Requested,
            "arranged" => AccommodationState.Arranged,
            "cannot-arrange" => AccommodationState.CannotArrange,
            _ => AccommodationState.None,
        };
        var registrant = Accommodations.FirstOrDefault(a => a.Id == registrationId);
        if (Accommodation.AnswerProblem(chosen, note) is { } problem)
        {
            Errors.Add(field, registrant is null ? problem : $"{registrant.Name}: {problem}");
        }
        else
        {
            var act = new OrganizerActor(User.AccountId(), User.Identity?.Name, HttpContext.Connection.RemoteIpAddress?.ToString());
            var outcome = await sessions.RunAsync(id, g => g.AnswerAccommodationAsync(registrationId, chosen, note, act, cancellationToken),
                AccommodationAnswerOutcome.NotFound, cancellationToken);
            switch (outcome)
            {
                case AccommodationAnswerOutcome.Changed:
                    var who = registrant?.Name ?? t["the registrant"];
                    TempData["Notice"] = chosen switch
                    {
                        AccommodationState.Requested => t["Saved: {0}'s accommodation is requested.", who].Value,
                        AccommodationState.Arranged => t["Saved: {0}'s accommodation is arranged; they are being emailed.", who].Value,
                        _ => t["Saved: {0}'s accommodation is cannot be arranged; they are being emailed.", who].Value,
                    };
                    return Redirect($"/organizer/sessions/{id}#accommodations");
                case AccommodationAnswerOutcome.Unchanged:
                    TempData["Notice"] = t["Nothing changed: the request already stood so."].Value;
                    return Redirect($"/organizer/sessions/{id}#accommodations");
                case AccommodationAnswerOutcome.NoRequest:
                    Errors.Add(field, t["The registrant no longer asks for an accommodation."]);
                    break;
                case AccommodationAnswerOutcome.Cancelled:
                    Errors.Add(field, t["The registration was cancelled."]);
                    break;
                case AccommodationAnswerOutcome.NotFound:
                    Errors.Add(field, t["There is no such registration in this session."]);
                    break;
                case AccommodationAnswerOutcome.Invalid:
                    Errors.Add(field, Accommodation.AnswerProblem(chosen, note) ?? t["The answer was refused."]);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown accommodation outcome {outcome}.");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        (Starts, Ends) = (Local(Session.StartsAt), Local(Session.EndsAt));
        return Page();
    }

    /// <summary>
    /// Adds a person as registration does (seat or waitlist, confirmation with a manage link), through the session's
    /// grain, which audits it; registration the organizers closed does not stop it.
    /// </summary>
    public async Task<IActionResult> OnPostAddAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var validation = Applicant.Validate(Add.Name, Add.Email, Add.Agency, Add.JobRole, Add.TimeZone, Add.Accommodations);
        foreach (var (field, message) in validation.Errors)
        {
            // The public form speaks to the registrant ("your name"); here an organizer types someone else's.
            Errors.Add(field, message.Replace("your ", "their ", StringComparison.Ordinal));
        }

        if (Session.RecordingConsentRequired && Add.RecordingConsent is null)
        {
            Errors.Add("recordingConsent", t["Choose whether they consent to appearing in the recording; the session asks every registrant."]);
        }

        if (!Errors.None)
        {
            return AddRefused(StatusCodes.Status400BadRequest);
        }

        var applicant = validation.Applicant! with { RecordingConsent = Add.RecordingConsent };
        var actor = new OrganizerActor(User.AccountId(), User.Identity?.Name, HttpContext.Connection.RemoteIpAddress?.ToString());
        var result = await sessions.RunAsync(id, g => g.AddByOrganizerAsync(applicant, actor, cancellationToken),
            new SessionAdmission(id, SessionAdmissionOutcome.SessionNotFound, null, null, null, null), cancellationToken);
        (string Field, string Text)? problem = result.Outcome switch
        {
            SessionAdmissionOutcome.Confirmed or SessionAdmissionOutcome.Waitlisted => null,
            SessionAdmissionOutcome.AlreadyRegistered => ("email", t["{0} already holds or waits for a place in this session. Nothing changed.", applicant.Email]),
            SessionAdmissionOutcome.Closed => ("name", result.ClosedReason == ClosedReason.SessionCancelled
                ? t["The session is cancelled: nobody can be added."] : t["The session has begun: nobody can be added now."]),
            SessionAdmissionOutcome.ConsentAnswerNeeded => ("recordingConsent", t["Choose whether they consent to appearing in the recording; the session asks every registrant."]),
            SessionAdmissionOutcome.SessionNotFound or SessionAdmissionOutcome.NoLearningExchange => ("name", t["The session no longer exists."]),
            _ => throw new InvalidOperationException($"Unknown admission outcome {result.Outcome}."),
        };
        if (problem is { } p)
        {
            Errors.Add(p.Field, p.Text);
            return AddRefused(StatusCodes.Status409Conflict);
        }

        Notice = result.Outcome == SessionAdmissionOutcome.Confirmed
            ? t["Added {0}: they hold a seat and are being emailed their confirmation with a manage link.", applicant.Name]
            : t["Added {0} to the waitlist at position {1}: every seat is taken. They are being emailed.", applicant.Name, (object?)result.WaitlistPosition ?? ""];
        return Redirect($"/organizer/sessions/{id}#registrants-heading");
    }

    private PageResult AddRefused(int status)
    {
        Response.StatusCode = status;
        (Starts, Ends) = (Local(Session.StartsAt), Local(Session.EndsAt));
        return Page();
    }

    /// <summary>Changes who may see a handout or recording of this session.</summary>
    public async Task<IActionResult> OnPostVisibilityAsync(Guid id, Guid mediaId, string? visibility, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || MediaItems.FirstOrDefault(m => m.Id == mediaId) is not { } item)
        {
            return NotFound();
        }

        if (!MediaWire.TryParseVisibility(visibility, out var parsed))
        {
            return BadRequest();
        }

        await Media(id).SetVisibilityAsync(item.Id, parsed);
        await AuditAsync("media.visibility", $"{item.Title}: {parsed.ToWire()}", cancellationToken);
        Notice = t["“{0}” is now visible to: {1}.", item.Title, t[parsed.DisplayName()].Value.ToLower(CultureInfo.CurrentCulture)];
        return Redirect($"/organizer/sessions/{id}");
    }

    /// <summary>Publishes a recording; confirmed registrants are emailed that it is ready.</summary>
    public async Task<IActionResult> OnPostPublishRecordingAsync(Guid id, Guid mediaId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || MediaItems.FirstOrDefault(m => m.Id == mediaId && m.Kind == MediaKind.Recording) is not { } item)
        {
            return NotFound();
        }

        var published = await Media(id).PublishRecordingAsync(item.Id);
        await AuditAsync("recording.published", item.Title, cancellationToken);
        Notice = published.Outcome == MediaChangeOutcome.Changed
            ? t["Published “{0}”; {1} registrant(s) are being emailed that it is ready.", item.Title, published.Queued]
            : t["The recording was already published."];
        return Redirect($"/organizer/sessions/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, int pageNumber = 1)
    {
        if (await sessions.ViewAsync(id, cancellationToken) is not { } session)
        {
            return false;
        }

        Session = session;
        var registrants = await registrations.PageForSessionAsync(id, pageNumber, RegistrantsPerPage, cancellationToken);
        (Registrants, RegistrantPage, RegistrantPages, RegistrantTotal) = (registrants.Registrations, registrants.Page, registrants.PageCount, registrants.Total);
        MediaItems = await Media(id).ItemsAsync();
        KnowledgeCheck = await grains.GetGrain<Grains.Certificates.IKnowledgeCheckGrain>(id).GetAsync();
        Preparations = session.Kind == SessionKind.LearningExchange ? await preparations.ForSessionAsync(id, cancellationToken) : [];
        Accommodations = await registrations.AccommodationsForSessionAsync(id, cancellationToken);
        return true;
    }

    private ISessionMediaGrain Media(Guid id) => grains.GetGrain<ISessionMediaGrain>(id);

    /// <summary>An instant as the session's local datetime-local value.</summary>
    public string Local(DateTimeOffset instant) => ZonedTime.In(instant, Session.TimeZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Instant(string? local, TimeZoneInfo zone) =>
        DateTime.TryParseExact(local, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? ZonedTime.AtLocal(DateOnly.FromDateTime(parsed), TimeOnly.FromDateTime(parsed), zone)
            : null;

    private Task AuditAsync(string action, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, "session", Session.Id.ToString(),
            HttpContext.Connection.RemoteIpAddress?.ToString(), detail, cancellationToken, Session.Title);
}

/// <summary>The organizer's "add a registrant" form: the public registration form's fields.</summary>
public sealed class AddRegistrantForm
{
    /// <summary>Full name.</summary>
    public string? Name { get; set; }

    /// <summary>Email.</summary>
    public string? Email { get; set; }

    /// <summary>Agency.</summary>
    public string? Agency { get; set; }

    /// <summary>Job role.</summary>
    public string? JobRole { get; set; }

    /// <summary>Their IANA time zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>An accommodation request.</summary>
    public string? Accommodations { get; set; }

    /// <summary>Their answer about appearing in the recording (asked only when the session asks).</summary>
    public bool? RecordingConsent { get; set; }
}
