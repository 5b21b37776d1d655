using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>The coordinators' page: mentor profiles, assigning new staff to mentors, and every mentorship.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class CoordinationModel(MentoringStore mentoring, AccountStore accounts, AuditLog audit) : PageModel
{
    /// <summary>Every mentorship.</summary>
    public IReadOnlyList<MentorshipView> Mentorships { get; private set; } = [];

    /// <summary>Why the last action was refused, if it was.</summary>
    public string? Problem { get; private set; }

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists mentorships.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Mentorships = await mentoring.AllAsync(cancellationToken);

    /// <summary>Creates or updates a mentor's profile.</summary>
    public async Task<IActionResult> OnPostProfileAsync(string? email, string? agency, string? region, string? timeZone, int capacity, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(email ?? "", cancellationToken) is not { } account || !account.Roles.Contains(Grains.Accounts.Role.Mentor))
        {
            return await RefuseAsync("Give the email of an account that holds the Mentor role.", cancellationToken);
        }

        if (!Grains.Time.Zones.TryFind(timeZone, out _) || capacity < 0 || string.IsNullOrWhiteSpace(agency) || string.IsNullOrWhiteSpace(region))
        {
            return await RefuseAsync("A mentor profile needs an agency, a region, an IANA time zone (e.g. America/Chicago) and a capacity of 0 or more.", cancellationToken);
        }

        await mentoring.SaveProfileAsync(new MentorProfile(account.Id, agency.Trim(), region.Trim(), [], [], timeZone!, capacity, true), cancellationToken);
        await AuditAsync("mentor.profile.saved", account.Id, $"{account.Email}: capacity {capacity}", cancellationToken);
        Notice = $"Saved the mentor profile of {account.Email}.";
        return RedirectToPage();
    }

    /// <summary>Assigns a mentee to a mentor; both are emailed.</summary>
    public async Task<IActionResult> OnPostAssignAsync(string? mentorEmail, string? menteeEmail, bool overrideCapacity, CancellationToken cancellationToken)
    {
        var mentor = await accounts.FindAsync(mentorEmail ?? "", cancellationToken);
        var mentee = await accounts.FindAsync(menteeEmail ?? "", cancellationToken);
        if (mentor is null || mentee is null)
        {
            return await RefuseAsync("Both people need a LearnHub account: invite them first.", cancellationToken);
        }

        var (outcome, id) = await mentoring.AssignAsync(mentor.Id, mentee.Id, overrideCapacity, cancellationToken);
        if (outcome != AssignOutcome.Assigned)
        {
            return await RefuseAsync(outcome switch
            {
                AssignOutcome.NotAMentor => $"{mentor.Email} has no active mentor profile.",
                AssignOutcome.OverCapacity => $"{mentor.Email} is at capacity. Tick the override to assign anyway.",
                AssignOutcome.MenteeAlreadyMentored => $"{mentee.Email} already has a mentor. End that mentorship first.",
                _ => "A person cannot mentor themselves.",
            }, cancellationToken);
        }

        await AuditAsync("mentorship.assigned", id!.Value, $"{mentor.Email} mentors {mentee.Email}{(overrideCapacity ? " (capacity overridden)" : "")}", cancellationToken);
        Notice = $"Assigned {mentee.Email} to {mentor.Email}; both have been emailed.";
        return RedirectToPage();
    }

    private async Task<IActionResult> RefuseAsync(string problem, CancellationToken cancellationToken)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Mentorships = await mentoring.AllAsync(cancellationToken);
        return Page();
    }

    private Task AuditAsync(string action, Guid objectId, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, action.StartsWith("mentor.", StringComparison.Ordinal) ? "user" : "mentorship",
            objectId.ToString(), HttpContext.Connection.RemoteIpAddress?.ToString(), detail, cancellationToken);
}
