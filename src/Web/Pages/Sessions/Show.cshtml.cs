using System.ComponentModel.DataAnnotations;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Grains.Time;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Registrations;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Sessions;

/// <summary>
/// A session page: details, seats, and the registration form. Everything it shows comes from grains' memory (the
/// session's, its exchange's or webinar's, and its media's), not from the database: this is the page a national
/// webinar's announcement sends thousands of registrants to at once.
/// </summary>
[Hosting.MultiLineFields("Form.Accommodations", "Form.Preparation", "answers[*]")]
[AllowAnonymous]
[EnableRateLimiting(Accounts.Policies.RegistrationLimit)]
public sealed class ShowModel(SessionDirectory sessions, IGrainFactory grains, RegistrationDesk desk, LearnHubClock clock, IStringLocalizer<SharedResource> localizer, Hosting.RenderedPages pages) : PageModel
{
    /// <summary>The handouts and recordings this visitor may see.</summary>
    public IReadOnlyList<MediaItem> Media { get; private set; } = [];

    /// <summary>The session.</summary>
    public SessionView? Session { get; private set; }

    /// <summary>The learning exchange that follows this webinar, if any.</summary>
    public SessionView? Exchange { get; private set; }

    /// <summary>The webinar this learning exchange discusses, if this is one.</summary>
    public SessionView? Webinar { get; private set; }

    /// <summary>
    /// The render instant. The page compares it with the session's start and registration window only: a rendered copy is
    /// kept until the next of those instants (<see cref="OnGetAsync"/>), so any other use needs its instant listed there.
    /// </summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The zone times are shown in.</summary>
    public string Zone { get; private set; } = "UTC";

    /// <summary>The visitor's chosen zone, if any.</summary>
    public string? ChosenZone { get; private set; }

    /// <summary>A problem with the registration as a whole (closed, already registered).</summary>
    public string? FormProblem { get; private set; }

    /// <summary>Field errors, keyed by field name (name, email …).</summary>
    public IReadOnlyDictionary<string, string> FieldErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The questions the session's series asks everyone registering.</summary>
    public IReadOnlyList<RegistrationQuestion> Questions { get; private set; } = [];

    /// <summary>The answers posted (question id to values), to fill the form again after an error.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The form's fields.</summary>
    [BindProperty]
    public RegistrationForm Form { get; set; } = new();

    /// <summary>Shows the session.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Form.TimeZone = Zone;
        // An anonymous visitor gets the copy rendered for the same views, zone and language. The page reads the clock
        // only to compare it with the session's start and registration window (open, closed, opens later), so a copy
        // holds until the next of those instants.
        var s = Session!;
        return await pages.ServeAsync(HttpContext, Page(), $"{Zone}|{ChosenZone is not null}", Now, [s.StartsAt, s.RegistrationOpensAt, s.RegistrationClosesAt],
            s, Exchange, Webinar, Media, Questions);
    }

    /// <summary>Registers; on any problem shows the form again with what was typed and what is wrong.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        // Posted as answers[questionId], one value per text box, chosen radio button or ticked checkbox.
        Answers = Request.Form.Where(f => f.Key.StartsWith("answers[", StringComparison.Ordinal) && f.Key.EndsWith(']'))
            .ToDictionary(f => f.Key["answers[".Length..^1], f => (IReadOnlyList<string>)f.Value.Select(v => v ?? "").ToList(), StringComparer.Ordinal);
        // The question or case for the exchange is checked first: a registration is never made with part of the form refused.
        if (Grains.Sessions.PreparationRules.Problem(Form.Preparation) is { } preparationProblem)
        {
            FieldErrors = new Dictionary<string, string> { ["preparation"] = LearnHub.Web.Localization.Messages.Translate(preparationProblem) };
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await desk.RegisterAsync(id, new RegistrationRequest(
            Form.Name, Form.Email, Form.Agency, Form.JobRole, Form.TimeZone, Form.Accommodations, Form.IncludeLearningExchange, Form.RecordingConsent, Answers,
            LearnHub.Web.Localization.Languages.Current.Tag), localizer, cancellationToken);
        if (result.Outcome == DeskOutcome.Registered)
        {
            ViewerTimeZone.Remember(Response, Form.TimeZone!.Trim());
            var (exchange, seat) = Session!.Kind == SessionKind.LearningExchange
                ? (id, result.Receipt?.Session.RegistrationId)
                : (Session.LearningExchangeId ?? Guid.Empty, result.Receipt?.LearningExchange?.RegistrationId);
            if (!string.IsNullOrWhiteSpace(Form.Preparation) && seat is { } exchangeSeat)
            {
                // Checked above; the exchange's grain is its only writer. Refused only if the exchange began meanwhile.
                await grains.GetGrain<Grains.Sessions.IExchangePreparationGrain>(exchange).SubmitAsync(exchangeSeat, Form.Preparation);
            }

            return RedirectToPage("/Registrations/Confirmation", new { token = result.ManageToken });
        }

        FieldErrors = result.Errors ?? new Dictionary<string, string>();
        FormProblem = result.Outcome == DeskOutcome.Invalid ? null : result.Message;
        Response.StatusCode = result.Outcome == DeskOutcome.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>
    /// True when the form asks about the recording: the session asks, or the learning exchange it offers does (then the
    /// answer is needed only when that box is ticked, which the session grain checks).
    /// </summary>
    public bool AsksRecordingConsent => Session is { RecordingConsentRequired: true }
        || (Session is { } s && RegistrationDesk.OffersExchange(s) && Exchange is { RecordingConsentRequired: true });

    /// <summary>Which session the consent question is about, and what its recording is for.</summary>
    public string RecordingConsentContext => Session is { RecordingConsentRequired: true }
        ? localizer["The organizer asks everyone registering for this recorded session."]
        : localizer["Its Learning Exchange is recorded: answer if you also register for it. The recording is published to everyone registered for it, to watch afterwards."];

    /// <summary>The error for a field, if any.</summary>
    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Session = await sessions.PublishedViewAsync(id, cancellationToken);
        if (Session is null)
        {
            return false;
        }

        Now = clock.GetUtcNow();
        ChosenZone = ViewerTimeZone.Chosen(Request);
        Zone = ChosenZone ?? Session.TimeZone;
        var exchange = Session.LearningExchangeId is { } le ? sessions.PublishedViewAsync(le, cancellationToken) : Task.FromResult<SessionView?>(null);
        var webinar = Session.WebinarId is { } w ? sessions.PublishedViewAsync(w, cancellationToken) : Task.FromResult<SessionView?>(null);
        var media = grains.GetGrain<ISessionMediaGrain>(id).VisibleToAsync(Web.Media.MediaEndpoints.AsMediaViewer(User));
        var questions = grains.GetGrain<ISeriesGrain>(Session.SeriesId).QuestionsAsync(cancellationToken);
        (Exchange, Webinar, Media, Questions) = (await exchange, await webinar, await media, await questions);
        return true;
    }
}

/// <summary>The registration form's fields; the rules live in the domain's Applicant, not in attributes here.</summary>
public sealed class RegistrationForm
{
    /// <summary>Full name.</summary>
    public string? Name { get; set; }

    /// <summary>Email address.</summary>
    public string? Email { get; set; }

    /// <summary>Agency.</summary>
    public string? Agency { get; set; }

    /// <summary>Job role.</summary>
    public string? JobRole { get; set; }

    /// <summary>IANA time zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Accommodation request.</summary>
    [DataType(DataType.MultilineText)]
    public string? Accommodations { get; set; }

    /// <summary>Also register for the learning exchange.</summary>
    public bool IncludeLearningExchange { get; set; }

    /// <summary>The answer about appearing in the recording: true consents, false does not, null not answered.</summary>
    public bool? RecordingConsent { get; set; }

    /// <summary>A question or case from their practice, brought to the Learning Exchange (optional).</summary>
    [DataType(DataType.MultilineText)]
    public string? Preparation { get; set; }
}
