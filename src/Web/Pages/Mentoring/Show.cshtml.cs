using System.Security.Claims;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using LearnHub.Web.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// One mentorship, shown by the confidentiality rule: the mentor sees and writes notes; a coordinator sees that
/// follow-ups happened, and the notes only after stating a reason (audited); the mentee sees their mentor and the
/// dates; anyone else gets "not found", so the page does not even confirm that the mentorship exists.
/// </summary>
[Hosting.MultiLineFields("notes", "nextSteps")]
[Authorize(Policy = Policies.SignedIn)]
public sealed class ShowModel(MentoringStore mentoring, AuditLog audit, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The mentorship.</summary>
    public MentorshipView? View { get; private set; }

    /// <summary>What the viewer may see.</summary>
    public NoteAccessLevel Access { get; private set; }

    /// <summary>The follow-ups at that level.</summary>
    public IReadOnlyList<FollowUpView> FollowUps { get; private set; } = [];

    /// <summary>The next follow-up date, if any.</summary>
    public DateOnly? NextDue { get; private set; }

    /// <summary>
    /// The next follow-up as the page says it: its date while the mentorship runs (logging or skipping one plans the
    /// next at once, so there always is one), and when it ended otherwise.
    /// </summary>
    public string NextDueText => NextDue is { } due ? DayDates.WithWeekday(due)
        : View?.Mentorship.EndedOn is { } ended ? t["none: the mentorship ended on {0}", DayDates.Long(ended)]
        : t["Being planned"];

    /// <summary>
    /// Which month a meeting logged on the form counts for, said before it is saved (the same rule as
    /// <see cref="FollowUp.CompletedBy"/>): from two weeks before the next follow-up's date it is that month's; before
    /// that, an extra meeting.
    /// </summary>
    public string CountsForText => Next is { } next
        ? t["A meeting held from {0} on counts as the {1} follow-up (due {2}); one held earlier is logged as an extra meeting. To log a particular month's follow-up, open it from your mentees page.",
            DayDates.Long(next.CountsFrom), next.ScheduledOn.ToString("Y", System.Globalization.CultureInfo.CurrentCulture), DayDates.MonthDay(next.DueOn)]
        : t["This mentorship has no follow-up planned: a meeting logged here is an extra one."];

    private FollowUp? Next { get; set; }

    /// <summary>Problems with a follow-up the mentor tried to log.</summary>
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();

    /// <summary>Shows the mentorship.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, reason: null, cancellationToken) ? Page() : NotFound();

    /// <summary>A coordinator asks for the notes, giving a reason that goes into the audit log with the access.</summary>
    public async Task<IActionResult> OnPostNotesAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        await LoadAsync(id, reason, cancellationToken) ? Page() : NotFound();

    /// <summary>The mentor logs a follow-up.</summary>
    public async Task<IActionResult> OnPostLogAsync(Guid id, DateOnly heldOn, FollowUpMode mode, int durationMinutes, List<string> topics,
        string? notes, string? nextSteps, CancellationToken cancellationToken)
    {
        var me = User.AccountId() ?? Guid.Empty;
        Problems = await mentoring.LogAsync(id, me, new FollowUpLog(heldOn, mode, durationMinutes, topics ?? [], notes ?? "", nextSteps ?? ""), cancellationToken);
        if (Problems.ContainsKey("mentorship"))
        {
            return NotFound();
        }

        if (Problems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(id, null, cancellationToken);
            return Page();
        }

        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid id, string? reason, CancellationToken cancellationToken)
    {
        View = await mentoring.FindAsync(id, cancellationToken);
        var me = User.AccountId();
        if (View is null || me is null)
        {
            return false;
        }

        var roles = User.FindAll(ClaimTypes.Role).Select(c => Roles.TryParse(c.Value, out var r) ? r : (Role?)null).OfType<Role>().ToHashSet();
        Access = NoteAccess.Decide(me.Value, roles, View.Mentorship, reason);
        if (Access == NoteAccessLevel.None)
        {
            return false;
        }

        if (Access == NoteAccessLevel.Notes && me != View.Mentorship.MentorId)
        {
            await audit.WriteAsync(me, User.Identity?.Name, "mentoring.notes.read", "mentorship", id.ToString(),
                HttpContext.Connection.RemoteIpAddress?.ToString(), $"reason: {reason}", cancellationToken);
        }

        FollowUps = await mentoring.FollowUpsAsync(id, Access, cancellationToken);
        // The next pending follow-up, where the mentor may have moved it; none once the mentorship has ended.
        Next = (await mentoring.OccurrencesAsync(id, cancellationToken)).Where(f => f.State == FollowUpState.Pending).MinBy(f => (f.DueOn, f.Number));
        NextDue = Next?.DueOn;
        return true;
    }
}
