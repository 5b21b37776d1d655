using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>Where an invitation or password-reset link lands: choose a password, then be signed in.</summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class ChoosePasswordModel(AccountLinks links, AccountStore accounts, SignInThrottle throttle) : PageModel
{
    private static readonly AccountLinkPurpose[] Purposes = [AccountLinkPurpose.Invitation, AccountLinkPurpose.PasswordReset];

    /// <summary>The account the link is for, while it is valid.</summary>
    public Grains.Accounts.Account? Account { get; private set; }

    /// <summary>What is wrong with the password typed.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>The new password.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Shows the form for a valid link.</summary>
    public async Task OnGetAsync(string token, CancellationToken cancellationToken) => (Account, _) = await PeekAsync(token, cancellationToken);

    /// <summary>Checks the password first, then uses the link: a weak password changes nothing and keeps the link.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        var (account, purpose) = await PeekAsync(token, cancellationToken);
        Account = account;
        if (account is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Problems = PasswordPolicy.Problems(Password, account.Email);
        if (Problems.Count > 0 || await links.RedeemAsync(token, purpose, cancellationToken) is not { } redeemed)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await accounts.SetPasswordAsync(redeemed, Password, cancellationToken);
        // The link proved the mailbox: failures against this email before the new password no longer count.
        await throttle.ClearAsync(redeemed.Email, cancellationToken);
        await Policies.SignInAsync(HttpContext, redeemed);
        return LocalRedirect("/");
    }

    private async Task<(Grains.Accounts.Account? Account, AccountLinkPurpose Purpose)> PeekAsync(string token, CancellationToken cancellationToken)
    {
        foreach (var purpose in Purposes)
        {
            if (await links.PeekAsync(token, purpose, cancellationToken) is { } account)
            {
                return (account, purpose);
            }
        }

        return (null, AccountLinkPurpose.PasswordReset);
    }
}
