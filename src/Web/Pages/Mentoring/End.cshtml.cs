using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>A coordinator ends a mentorship (completed, withdrawn, reassigned) with a reason; its open follow-ups close. Audited.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class EndModel(MentoringStore mentoring, AuditLog audit, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The mentorship.</summary>
    public MentorshipView? View { get; private set; }

    /// <summary>Problems with the form, keyed by field.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    /// <summary>How it ends, as posted.</summary>
    public string? How { get; private set; }

    /// <summary>The reason, as posted.</summary>
    public string? Reason { get; private set; }

    /// <summary>The ways a mentorship ends.</summary>
    public static IReadOnlyList<(MentorshipStatus Status, string Label)> Endings { get; } =
        [(MentorshipStatus.Completed, "Completed"), (MentorshipStatus.Withdrawn, "Withdrawn"), (MentorshipStatus.Reassigned, "Reassigned to another mentor")];

    /// <summary>Shows the form.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        (View = await mentoring.FindAsync(id, cancellationToken)) is null ? NotFound() : Page();

    /// <summary>Ends the mentorship.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, string? how, string? reason, CancellationToken cancellationToken)
    {
        if ((View = await mentoring.FindAsync(id, cancellationToken)) is null)
        {
            return NotFound();
        }

        (How, Reason) = (how, reason);
        var status = Enum.TryParse<MentorshipStatus>(how, out var parsed) && Endings.Any(e => e.Status == parsed) ? parsed : MentorshipStatus.Active;
        Errors = await mentoring.EndAsync(id, status, reason, cancellationToken);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await audit.WriteAsync(this, "mentorship.ended", "mentorship", id, View.MenteeName,
            $"{status.Label().ToLowerInvariant()}: {reason!.Trim()}", cancellationToken);
        TempData["Notice"] = t["Ended the mentorship of {0} with {1} ({2}); its open follow-ups are closed.", View.MenteeName, View.MentorName,
            t[status.Label()].Value.ToLower(System.Globalization.CultureInfo.CurrentCulture)].Value;
        return RedirectToPage("/Mentoring/Mentorships");
    }
}
