using LearnHub.Silo.Auditing;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Admin;

/// <summary>The audit log for admins, newest first, filtered by action or actor.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AuditModel(AuditLog audit) : PageModel
{
    /// <summary>Only this action (e.g. outbox.retry).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    /// <summary>Only actors whose email contains this.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    /// <summary>The entries shown.</summary>
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>Lists the log.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Entries = await audit.ListAsync(Action, Actor, 500, cancellationToken);
}
