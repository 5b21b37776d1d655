using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Account;

/// <summary>
/// Signs out (a form post, so another site cannot sign a person out with a link): of this browser, or of every browser
/// at once (a shared computer left signed in, a phone lost).
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class SignOutModel(SignInSessions sessions) : PageModel
{
    /// <summary>Asks to confirm.</summary>
    public void OnGet()
    {
    }

    /// <summary>Signs out of this browser (its server-side session ends with it) and goes home.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }

    /// <summary>Ends every session of the account, this one included, and goes home.</summary>
    public async Task<IActionResult> OnPostEverywhereAsync(CancellationToken cancellationToken)
    {
        await sessions.EndAllAsync(User.AccountId()!.Value, SessionEndReason.SignedOutEverywhere, cancellationToken);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
