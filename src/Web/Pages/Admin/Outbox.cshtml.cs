using LearnHub.Silo.Auditing;
using LearnHub.Silo.Messaging;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Admin;

/// <summary>The outbox for admins: queued, sent and failed messages (with the SMTP error), and retry.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class OutboxModel(OutboxAdmin outbox, AuditLog audit, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The status shown (queued, sent, failed, skipped) or all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>Counts by status.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();

    /// <summary>The rows shown.</summary>
    public IReadOnlyList<OutboxRow> Rows { get; private set; } = [];

    /// <summary>What the last retry did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists the outbox.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await outbox.CountsAsync(cancellationToken);
        Rows = await outbox.ListAsync(Status, 200, cancellationToken);
    }

    /// <summary>Queues a failed message again, and records who did it.</summary>
    public async Task<IActionResult> OnPostRetryAsync(string id, CancellationToken cancellationToken)
    {
        var retried = await outbox.RetryAsync(id, cancellationToken);
        if (retried)
        {
            await audit.WriteAsync(User.AccountId(), User.Identity?.Name, "outbox.retry", "outbox-message", id,
                HttpContext.Connection.RemoteIpAddress?.ToString(), "", cancellationToken);
        }

        Notice = retried ? t["The message is queued again."] : t["That message is not failed (any more); nothing changed."];
        return RedirectToPage(new { Status });
    }
}
