using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>
/// Where an emailed sign-in link lands. Opening it only shows a button: mail scanners that fetch links must not use
/// them up. The button's post redeems the link, once.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class LinkSignInModel(AccountLinks links, SignInThrottle throttle) : PageModel
{
    /// <summary>True when the link can still be used.</summary>
    public bool Valid { get; private set; }

    /// <summary>Checks the link without using it.</summary>
    public async Task OnGetAsync(string token, CancellationToken cancellationToken) =>
        Valid = await links.PeekAsync(token, AccountLinkPurpose.SignIn, cancellationToken) is not null;

    /// <summary>Uses the link and signs in.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await links.RedeemAsync(token, AccountLinkPurpose.SignIn, cancellationToken) is not { } account)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The mailbox is proven: whatever guessing went on against this email is forgotten.
        await throttle.ClearAsync(account.Email, cancellationToken);
        await Policies.SignInAsync(HttpContext, account);
        return LocalRedirect("/");
    }
}
