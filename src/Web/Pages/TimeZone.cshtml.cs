using System.Security.Claims;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages;

/// <summary>Remembers the visitor's time zone (and a signed-in person's, in their learner preferences) and sends them back where they were.</summary>
[AllowAnonymous]
public sealed class TimeZoneModel(IGrainFactory grains, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>The zone asked for.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Zone { get; set; }

    /// <summary>Where to return; only local paths are followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why the zone was refused, if it was.</summary>
    public string? Error { get; private set; }

    /// <summary>Shows the chooser.</summary>
    public void OnGet() => Zone ??= ViewerTimeZone.Chosen(Request);

    /// <summary>Saves the choice.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (!Zones.TryFind(Zone, out _))
        {
            Error = localizer["Choose a time zone from the list."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        ViewerTimeZone.Remember(Response, Zone!);
        if (User.FindFirstValue(ClaimTypes.Email) is { } email)
        {
            // Signed in: the choice follows the person to another browser (the organizer list reads it there).
            await grains.GetGrain<ILearnerGrain>(Applicant.NormalizeEmail(email)).SetTimeZoneAsync(Zone!);
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
