using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Registrations;

/// <summary>
/// The confirmation step before cancelling through the manage link (one registration, or every one of the link when
/// none is named): a page with a form, so it works without JavaScript and a stray click on the manage page cancels nothing.
/// </summary>
[AllowAnonymous]
public sealed class CancelModel(ManageLinks links, SessionDirectory sessions, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>What would be cancelled: the named registration of this link, or all of its live ones.</summary>
    public IReadOnlyList<RegistrationView> Targets { get; private set; } = [];

    /// <summary>The zone times are shown in.</summary>
    public string Zone { get; private set; } = "UTC";

    /// <summary>Asks for confirmation; 404 for a token that opens nothing or a registration not of this link.</summary>
    public async Task<IActionResult> OnGetAsync(string token, Guid? registrationId, CancellationToken cancellationToken) =>
        await LoadAsync(token, registrationId, cancellationToken) ? Page() : NotFound();

    /// <summary>Cancels what the page showed and returns to the manage page with what happened.</summary>
    public async Task<IActionResult> OnPostAsync(string token, Guid? registrationId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(token, registrationId, cancellationToken))
        {
            return NotFound();
        }

        foreach (var r in Targets)
        {
            await sessions.TryRunAsync(r.SessionId, g => g.CancelAsync(r.Id, cancellationToken), cancellationToken);
        }

        // Written in the language of the post (the page's), which the manage page shows after the redirect.
        TempData["Notice"] = Targets.Count == 0
            ? localizer["Nothing to cancel: that registration was already cancelled."].Value
            : localizer["Cancelled: {0}.", string.Join(localizer["; "], Targets.Select(t => t.SessionTitle))].Value;
        return RedirectToPage("Manage", new { token });
    }

    private async Task<bool> LoadAsync(string token, Guid? registrationId, CancellationToken cancellationToken)
    {
        var group = await links.OpenAsync(token, cancellationToken);
        // Only registrations of this link's own group can be named: an id from elsewhere matches nothing here.
        if (group is null || (registrationId is { } id && group.Registrations.All(r => r.Id != id)))
        {
            return false;
        }

        Response.Headers.CacheControl = "no-store";
        Targets = group.Registrations
            .Where(r => r.Status != RegistrationStatus.Cancelled && (registrationId is null || r.Id == registrationId))
            .ToList();
        Zone = ViewerTimeZone.Chosen(Request) ?? group.Registrations[0].TimeZone;
        return true;
    }
}
