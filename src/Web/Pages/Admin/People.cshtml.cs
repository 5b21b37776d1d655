using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Web.Accounts;
using LearnHub.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Admin;

/// <summary>People and roles: invite someone (they choose a password through an emailed link), grant or revoke roles.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class PeopleModel(AccountStore accounts, Invitations invitations, SignInSessions sessions, AuditLog audit, Silo.Privacy.PersonExport export,
    IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>Every account.</summary>
    public IReadOnlyList<Grains.Accounts.Account> People { get; private set; } = [];

    /// <summary>How many browsers each account is signed in on.</summary>
    public IReadOnlyDictionary<Guid, int> LiveSessions { get; private set; } = new Dictionary<Guid, int>();

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
    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Creates the account (no password yet) and emails the invitation link.</summary>
    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        var roles = Roles.Select(r => Grains.Accounts.Roles.TryParse(r, out var role) ? role : (Role?)null).ToList();
        if (roles.Any(r => r is null))
        {
            return BadRequest();
        }

        var invited = await invitations.InviteAsync(User.AccountId() ?? Guid.Empty, Email, Name, roles.Select(r => r!.Value).ToList(), cancellationToken);
        if (invited.Account is not { } account)
        {
            Errors = invited.Errors;
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await AuditAsync("user.invited", account, $"roles: {string.Join(", ", account.Roles)}", cancellationToken);
        Notice = t["Invited {0}; they have been emailed a link to choose a password.", account.Email];
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
            Notice = t["You cannot revoke your own Admin role; ask another admin."];
            return RedirectToPage();
        }

        var changed = grant ? account.Grant(parsed) : account.Revoke(parsed);
        if (changed)
        {
            await accounts.SaveAsync(account, cancellationToken);
            await AuditAsync(grant ? "role.granted" : "role.revoked", account, parsed.ToString(), cancellationToken);
        }

        // One sentence per direction, the role by its (translated) name, so each language orders the words its own way.
        var roleName = t[parsed.ToString()].Value;
        Notice = !changed ? t["Nothing changed."] : grant ? t["Granted {0} to {1}.", roleName, account.Email] : t["Revoked {0} from {1}.", roleName, account.Email];
        return RedirectToPage();
    }

    /// <summary>Ends every session of a person (a stolen cookie, a shared computer, someone leaving): on the record.</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(id, cancellationToken) is not { } account)
        {
            return NotFound();
        }

        var ended = await sessions.EndAllAsync(account.Id, SessionEndReason.EndedByAdmin, cancellationToken);
        await AuditAsync("sessions.ended", account, $"{ended} signed-in session(s) ended", cancellationToken);
        Notice = t.Plural(ended, "Signed {1} out everywhere ({0} session).", "Signed {1} out everywhere ({0} sessions).", account.Email);
        return RedirectToPage();
    }

    /// <summary>Everything LearnHub holds about any email (with or without an account), as JSON; audited.</summary>
    public async Task<IActionResult> OnPostExportAsync(string? exportEmail, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(exportEmail))
        {
            Notice = t["Give the email address of the person whose data to export."];
            return RedirectToPage();
        }

        var json = await export.ExportJsonAsync(exportEmail, cancellationToken);
        await audit.WriteAsync(User.AccountId(), User.Identity?.Name, "person.exported", "person", null,
            HttpContext.Connection.RemoteIpAddress?.ToString(), $"{Grains.Registrations.Applicant.NormalizeEmail(exportEmail)}: export by an admin", cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(json), "application/json", "learnhub-person-data.json");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        People = await accounts.ListAsync(cancellationToken);
        LiveSessions = await sessions.CountLiveAsync(cancellationToken);
    }

    private Task AuditAsync(string action, Grains.Accounts.Account account, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, "user", account.Id.ToString(),
            HttpContext.Connection.RemoteIpAddress?.ToString(), $"{account.Email}: {detail}", cancellationToken);
}
