using LearnHub.Grains.Registrations;
using LearnHub.Silo.Attendance;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A paper sign-in sheet for an in-person session: every confirmed registrant by name with their agency and an empty
/// signature column, plus blank lines for walk-ins; printed from the browser with its own print stylesheet.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class SignInSheetModel(AttendanceStore attendance) : PageModel
{
    /// <summary>Blank lines at the end for people who are not on the list.</summary>
    public const int BlankLines = 5;

    /// <summary>The session.</summary>
    public AttendanceSession Session { get; private set; } = null!;

    /// <summary>Where the session is held, from the parts that are known ("Venue, City", "Venue" or "City"); empty when neither is.</summary>
    public string Place => string.Join(", ", new[] { Session.Venue, Session.City }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));

    /// <summary>Confirmed registrants, by name.</summary>
    public IReadOnlyList<AttendanceEntry> People { get; private set; } = [];

    /// <summary>Shows the sheet.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await attendance.SessionAsync(id, cancellationToken) is not { } session)
        {
            return NotFound();
        }

        Session = session;
        People = (await attendance.ListAsync(id, cancellationToken)).Where(e => e.Status == RegistrationStatus.Confirmed)
            .OrderBy(e => e.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        return Page();
    }
}
