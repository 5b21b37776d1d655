using System.Security.Claims;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages;

/// <summary>
/// The language picker's target. The picker is a list of plain links (it works without script, by keyboard, and reads as
/// a navigation list to a screen reader), so the choice is made by a GET that sets a cookie and goes back where the
/// visitor was, as the time-zone page does; nothing else changes, so a forged link can do no more than switch
/// someone's language (for a signed-in person also the language their mail is written in, which they can switch back).
/// </summary>
[AllowAnonymous]
public sealed class LanguageModel(LearnHubClock clock, IGrainFactory grains) : PageModel
{
    /// <summary>The address of the link that chooses <paramref name="language"/> and comes back to <paramref name="returnUrl"/>.</summary>
    public static string Link(Language language, string returnUrl) =>
        $"/language/{language.Tag}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Remembers the language for a year and returns to a local <paramref name="returnUrl"/> (else home).</summary>
    public async Task<IActionResult> OnGetAsync(string tag, string? returnUrl)
    {
        if (Languages.Find(tag) is not { } language)
        {
            return NotFound();
        }

        Languages.Remember(Response, language, clock.GetUtcNow(), Request.IsHttps);
        if (User.FindFirstValue(ClaimTypes.Email) is { } email)
        {
            // Signed in: the choice follows the person to another browser, and the mail sent to them is written in it.
            await grains.GetGrain<ILearnerGrain>(Applicant.NormalizeEmail(email)).SetLanguageAsync(language.Tag);
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
