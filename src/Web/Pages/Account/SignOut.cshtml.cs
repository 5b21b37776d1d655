using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Account;

/// <summary>Signs out (a form post, so another site cannot sign a person out with a link).</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class SignOutModel : PageModel
{
    /// <summary>Asks to confirm.</summary>
    public void OnGet()
    {
    }

    /// <summary>Signs out and goes home.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
