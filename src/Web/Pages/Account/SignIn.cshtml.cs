using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>Sign-in with email and password; repeated failures lock the account for a while.</summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class SignInModel(AccountStore accounts, AccountLinks links) : PageModel
{
    /// <summary>The email typed.</summary>
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The password typed (never shown again).</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Where to go after signing in (local paths only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why sign-in failed, if it did.</summary>
    public string? Problem { get; private set; }

    /// <summary>The answer to a link request (the same whether or not the address has an account).</summary>
    public string? Notice { get; private set; }

    /// <summary>Emails a one-time sign-in link, if the address has an account.</summary>
    public async Task<IActionResult> OnPostLinkAsync(CancellationToken cancellationToken)
    {
        await links.RequestAsync(Email, AccountLinkPurpose.SignIn, cancellationToken);
        Notice = LinkSent;
        return Page();
    }

    /// <summary>The one answer to every link request.</summary>
    public const string LinkSent = "If an account exists for that address, we have emailed it a link. It works once and expires in 30 minutes.";

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Checks the password and signs in.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (outcome, account) = await accounts.SignInAsync(Email, Password, cancellationToken);
        if (outcome == SignInOutcome.Succeeded)
        {
            await Policies.SignInAsync(HttpContext, account!);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        Problem = outcome == SignInOutcome.LockedOut
            ? $"Too many failed attempts: sign-in for this account is paused for {Grains.Accounts.Account.LockoutDuration.TotalMinutes:0} minutes."
            : "The email or the password is wrong.";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
