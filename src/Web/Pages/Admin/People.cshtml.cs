using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Admin;

/// <summary>People and roles: invite someone (they choose a password through an emailed link), grant or revoke roles.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class PeopleModel(AccountStore accounts, AccountLinks links, AuditLog audit) : PageModel
{
    /// <summary>Every account.</summary>
    public IReadOnlyList<Grains.Accounts.Account> People { get; private set; } = [];

    /// <summary>The invitation's email.</summary>
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The invitation's display name.</summary>
    [BindProperty]
    public string? Name { get; set; }

    /// <summary>The invitation's roles.</summary>
    [BindProperty]
    public List<string> Roles { get; set; } = [];

    /// <summary>Field errors of the invitation.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists people.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => People = await accounts.ListAsync(cancellationToken);

    /// <summary>Creates the account (no password yet) and emails the invitation link.</summary>
    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        var roles = Roles.Select(r => Grains.Accounts.Roles.TryParse(r, out var role) ? role : (Role?)null).ToList();
        if (roles.Any(r => r is null))
        {
            return BadRequest();
        }

        var created = await accounts.CreateAsync(Email, Name, password: null, roles.Select(r => r!.Value), cancellationToken);
        if (created.Account is not { } account)
        {
            Errors = created.Errors;
            People = await accounts.ListAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await links.IssueAsync(account, AccountLinkPurpose.Invitation, cancellationToken);
        await AuditAsync("user.invited", account, $"roles: {string.Join(", ", account.Roles)}", cancellationToken);
        Notice = $"Invited {account.Email}; they have been emailed a link to choose a password.";
        return RedirectToPage();
    }

    /// <summary>Grants or revokes one role.</summary>
    public async Task<IActionResult> OnPostRoleAsync(Guid id, string role, bool grant, CancellationToken cancellationToken)
    {
        if (!Grains.Accounts.Roles.TryParse(role, out var parsed) || await accounts.FindAsync(id, cancellationToken) is not { } account)
        {
            return NotFound();
        }

        if (!grant && parsed == Role.Admin && account.Id == User.AccountId())
        {
            Notice = "You cannot revoke your own Admin role; ask another admin.";
            return RedirectToPage();
        }

        var changed = grant ? account.Grant(parsed) : account.Revoke(parsed);
        if (changed)
        {
            await accounts.SaveAsync(account, cancellationToken);
            await AuditAsync(grant ? "role.granted" : "role.revoked", account, parsed.ToString(), cancellationToken);
        }

        Notice = changed ? $"{(grant ? "Granted" : "Revoked")} {parsed} {(grant ? "to" : "from")} {account.Email}." : "Nothing changed.";
        return RedirectToPage();
    }

    private Task AuditAsync(string action, Grains.Accounts.Account account, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, "user", account.Id.ToString(),
            HttpContext.Connection.RemoteIpAddress?.ToString(), $"{account.Email}: {detail}", cancellationToken);
}
