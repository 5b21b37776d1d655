using LearnHub.Silo.Auditing;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// How the coordination pages put an action on the record: who did it, from where, and the person it concerned by
/// name as the entry's title, so the audit log reads "Maya Mentor" rather than an account id.
/// </summary>
internal static class CoordinationAudit
{
    /// <summary>Writes one entry for an action of the signed-in coordinator.</summary>
    public static Task WriteAsync(this AuditLog audit, PageModel page, string action, string objectType, Guid objectId, string title, string detail,
        CancellationToken cancellationToken) =>
        audit.WriteAsync(page.User.AccountId(), page.User.Identity?.Name, action, objectType, objectId.ToString(),
            page.HttpContext.Connection.RemoteIpAddress?.ToString(), detail, cancellationToken, title: title);
}
