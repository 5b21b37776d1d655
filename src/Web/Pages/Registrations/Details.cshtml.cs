using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Pages.Organizer;
using LearnHub.Web.Pages.Sessions;
using LearnHub.Web.Registrations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Registrations;

/// <summary>
/// The registrant corrects their name, agency, job role, zone or accommodation request through the manage link, by the
/// registration form's rules; each live registration of the link is changed through its own session grain (which
/// audits it). The email cannot change here: it is whose registration it is.
/// </summary>
[AllowAnonymous]
[Hosting.MultiLineFields("Form.Accommodations")]
public sealed class DetailsModel(ManageLinks links, SessionDirectory sessions, LearnHubClock clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    private RegistrationGroupView? _group;

    /// <summary>The fields, prefilled with the details as they are.</summary>
    [BindProperty]
    public RegistrationForm Form { get; set; } = new();

    /// <summary>What is wrong with what was sent.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>The email the registrations belong to.</summary>
    public string Email { get; private set; } = "";

    /// <summary>The titles of the live registrations the change applies to.</summary>
    public IReadOnlyList<string> Sessions { get; private set; } = [];

    /// <summary>The instant zone offsets are shown for (the first session's start).</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>Shows the form; 404 for a link that opens nothing, or nothing live.</summary>
    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(token, cancellationToken))
        {
            return NotFound();
        }

        var first = Live[0];
        Form = new RegistrationForm
        {
            Name = first.Name, Agency = first.Agency, JobRole = first.JobRole, TimeZone = first.TimeZone, Accommodations = first.Accommodations,
            RecordingConsent = Live.FirstOrDefault(r => r.SessionAsksRecordingConsent)?.RecordingConsent,
        };
        return Page();
    }

    /// <summary>Validates, then changes every live registration of the link; on any problem nothing is changed.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(token, cancellationToken))
        {
            return NotFound();
        }

        var validation = Applicant.Validate(Form.Name, Live[0].Email, Form.Agency, Form.JobRole, Form.TimeZone, Form.Accommodations);
        foreach (var (field, message) in validation.Errors)
        {
            Errors.Add(field, message);
        }

        if (AsksRecordingConsent && Form.RecordingConsent is null)
        {
            Errors.Add(RegistrationDesk.RecordingConsentField, localizer[RegistrationDesk.RecordingConsentMissing]);
        }

        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var from = HttpContext.Connection.RemoteIpAddress?.ToString();
        var outcomes = new List<EditOutcome>();
        foreach (var r in Live)
        {
            // Each session grain keeps the answer only if its session asks (an exchange that does not ask stores none).
            var corrected = validation.Applicant! with { RecordingConsent = Form.RecordingConsent };
            outcomes.Add(await sessions.RunAsync(r.SessionId, g => g.ChangeDetailsAsync(r.Id, corrected, from, cancellationToken), EditOutcome.NotFound, cancellationToken));
        }

        TempData["Notice"] = outcomes.Contains(EditOutcome.Changed)
            ? localizer["Your details are saved. The organizers see the change."].Value
            : localizer["Nothing to change: your details were already so."].Value;
        return RedirectToPage("Manage", new { token });
    }

    /// <summary>True when a live registration's session asks whether the registrant consents to appearing in its recording.</summary>
    public bool AsksRecordingConsent => Live.Any(r => r.SessionAsksRecordingConsent);

    /// <summary>The sessions whose recording the question is about, for its hint.</summary>
    public string RecordingConsentContext =>
        $"{localizer["{0} is recorded.", string.Join(localizer[" and "], Live.Where(r => r.SessionAsksRecordingConsent).Select(r => localizer["“{0}”", r.SessionTitle].Value))]} {localizer[RecordingConsentQuestionModel.WhatRecordedMeans]}";

    private List<RegistrationView> Live => _group!.Registrations.Where(r => r.Status != RegistrationStatus.Cancelled).ToList();

    private async Task<bool> LoadAsync(string token, CancellationToken cancellationToken)
    {
        _group = await links.OpenAsync(token, cancellationToken);
        if (_group is null || Live.Count == 0)
        {
            return false;
        }

        Response.Headers.CacheControl = "no-store";
        Email = Live[0].Email;
        Sessions = Live.Select(r => localizer["“{0}”", r.SessionTitle].Value).ToList();
        At = Live[0].StartsAt > clock.GetUtcNow() ? Live[0].StartsAt : clock.GetUtcNow();
        return true;
    }
}
