using LearnHub.Grains.Time;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Registrations;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Registrations;

/// <summary>
/// Shown right after registering: what happened, when the session is in the registrant's zone, and the private
/// manage link, and how to join or add each session to a calendar. Reached through the same token as the manage page, so it reveals nothing the link does not.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmationModel(ManageLinks links, SessionDirectory sessions, LearnHubClock clock) : PageModel
{
    /// <summary>Per registration: how to join or where to go, and how to add it to a calendar.</summary>
    public IReadOnlyDictionary<Guid, SessionAccess> Access { get; private set; } = new Dictionary<Guid, SessionAccess>();

    /// <summary>The registrations made together.</summary>
    public RegistrationGroupView? Group { get; private set; }

    /// <summary>The absolute manage link.</summary>
    public string ManageUrl { get; private set; } = "";

    /// <summary>The zone times are shown in.</summary>
    public string Zone { get; private set; } = "UTC";

    /// <summary>Loads the group; 404 for a token that opens nothing.</summary>
    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        Group = await links.OpenAsync(token, cancellationToken);
        if (Group is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        Zone = ViewerTimeZone.Chosen(Request) ?? Group.Registrations[0].TimeZone;
        Access = await SessionAccess.ForAsync(Group.Registrations, sessions, clock.GetUtcNow(),
            r => $"/registrations/{token}/sessions/{r.SessionId}/event.ics", cancellationToken);
        ManageUrl = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/registrations/{token}";
        return Page();
    }
}
