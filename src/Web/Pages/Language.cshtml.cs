using LearnHub.Grains.Time;
using LearnHub.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages;

/// <summary>
/// The language picker's target. The picker is a list of plain links (it works without script, by keyboard, and reads as
/// a navigation list to a screen reader), so the choice is made by a GET that sets a cookie and goes back where the
/// visitor was, as the time-zone page does; nothing else changes, so a forged link can do no more than switch
/// someone's language.
/// </summary>
[AllowAnonymous]
public sealed class LanguageModel(LearnHubClock clock) : PageModel
{
    /// <summary>The address of the link that chooses <paramref name="language"/> and comes back to <paramref name="returnUrl"/>.</summary>
    public static string Link(Language language, string returnUrl) =>
        $"/language/{language.Tag}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Remembers the language for a year and returns to a local <paramref name="returnUrl"/> (else home).</summary>
    public IActionResult OnGet(string tag, string? returnUrl)
    {
        if (Languages.Find(tag) is not { } language)
        {
            return NotFound();
        }

        Response.Cookies.Append(Languages.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language.Tag)), new CookieOptions
        {
            Expires = clock.GetUtcNow().AddYears(1),
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            IsEssential = true,
        });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
