using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Web.Accounts;
using LearnHub.Web.Pages.Organizer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// A coordinator invites the mentors and new staff they assign, without an admin: Mentor and Learner only. The page
/// refuses any other role itself (an admin who happens to be here gets the same limits as a coordinator; other roles
/// are given on the admin People page), and <see cref="Invitations"/> checks the inviter's stored roles again before
/// anything is written.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class InviteModel(Invitations invitations, AuditLog audit, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The roles this page offers, as the form names them.</summary>
    public static IReadOnlyList<(Role Role, string Label)> Choices { get; } =
        [(Role.Mentor, "Mentor: takes new staff as mentees"), (Role.Learner, "New staff member: is assigned a mentor, registers for training")];

    /// <summary>The invitation's email.</summary>
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The invitation's name.</summary>
    [BindProperty]
    public string? DisplayName { get; set; }

    /// <summary>The roles asked for, as posted (wire names).</summary>
    [BindProperty]
    public List<string> Roles { get; set; } = [];

    /// <summary>Problems with the invitation, by field (email, displayName, roles).</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Creates the account (no password yet) and emails the invitation link; audited with the person's name.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var asked = Roles.Select(r => Grains.Accounts.Roles.TryParse(r, out var role) ? role : (Role?)null).ToList();
        if (asked.Any(r => r is null))
        {
            return Refuse("roles", t["Choose Mentor or New staff member; no other role is given here."]);
        }

        var roles = asked.Select(r => r!.Value).Distinct().ToList();
        // The coordinator's limits, whoever is signed in: a forged post asking for Organizer, Coordinator or Admin stops here.
        if (InvitationRules.Problem(new HashSet<Role> { Role.Coordinator }, roles) is { } problem)
        {
            return Refuse("roles", problem);
        }

        var invited = await invitations.InviteAsync(User.AccountId() ?? Guid.Empty, Email, DisplayName, roles, cancellationToken);
        if (invited.Account is not { } account)
        {
            foreach (var (field, message) in invited.Errors)
            {
                Errors.Add(field, message);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var described = string.Join(" and ", account.Roles.Order().Select(r => r.Describe()));
        await audit.WriteAsync(this, "user.invited", "user", account.Id, account.DisplayName, $"{account.Email}: invited as {described}", cancellationToken);
        // The notice in the coordinator's language: each role as a phrase of its own, two of them joined by one sentence.
        var phrases = account.Roles.Order().Select(r => t[r.Describe()].Value).ToList();
        var said = phrases.Count == 2 ? t["{0} and {1}", phrases[0], phrases[1]].Value : string.Join(t[", "].Value, phrases);
        Notice = t["Invited {0} ({1}) as {2}; they have been emailed a link to choose a password.", account.DisplayName, account.Email, said].Value
            + (account.Roles.Contains(Role.Mentor) ? " " + t["Set up their mentor profile on the Mentors page."].Value : "");
        return RedirectToPage();
    }

    private PageResult Refuse(string field, string message)
    {
        Errors.Add(field, message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
