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

    /// <summary>
    /// Where an entry's object can be looked at now, or null: objects with a page of their own. Media, registrations and
    /// people have none an admin would open from here, and their titles say what they were.
    /// </summary>
    public static string? LinkTo(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!Guid.TryParse(entry.ObjectId, out var id))
        {
            return null;
        }

        return entry.ObjectType switch
        {
            "session" => $"/organizer/sessions/{id}",
            "series" => $"/organizer/series/edit/{id}",
            "course" => $"/organizer/courses/{id}",
            "mentorship" => $"/mentoring/{id}",
            "certificate" => $"/certificates/{id}",
            _ => null,
        };
    }

    /// <summary>The kind of object in words.</summary>
    public static string TypeName(string objectType) => objectType switch
    {
        "session" => "Session",
        "series" => "Series",
        "course" => "Course",
        "media" => "Handout or recording",
        "registration" => "Registration",
        "mentorship" => "Mentorship",
        "certificate" => "Certificate",
        "user" => "Person",
        "person" => "Person",
        "outbox-message" => "Mail",
        "follow-ups" => "Follow-ups",
        "branding" => "Branding",
        "retention" => "Retention",
        _ => objectType,
    };

    /// <summary>Lists the log.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Entries = await audit.ListAsync(Action, Actor, 500, cancellationToken);
}
