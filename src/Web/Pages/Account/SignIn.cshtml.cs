using LearnHub.Grains.Accounts;
using LearnHub.Grains.Time;
using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using LearnHub.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Account;

/// <summary>
/// Sign-in with email and password. Repeated failures make further attempts for that email, or from that address,
/// wait longer and longer; the emailed link always works. Nothing on the page or in its timing depends on whether the
/// email has an account.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class SignInModel(PasswordSignIn passwords, LinkRequests links, LearnHubClock clock, IStringLocalizer<SharedResource> localizer) : PageModel
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

    /// <summary>Emails a one-time sign-in link, if the address has an account (after answering, so the answer takes the same time either way).</summary>
    public IActionResult OnPostLink()
    {
        var email = Email;
        Response.OnCompleted(() =>
        {
            links.Enqueue(email, AccountLinkPurpose.SignIn);
            return Task.CompletedTask;
        });
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
        var attempt = await passwords.AttemptAsync(Email, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (attempt is { Outcome: SignInOutcome.Succeeded, Account: { } account })
        {
            await Policies.SignInAsync(HttpContext, account);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        Problem = attempt.Outcome == SignInOutcome.Throttled
            ? localizer["Too many failed attempts: wait {0} before trying a password again, or have a sign-in link emailed to you below.", Wait(attempt.WaitUntil!.Value - clock.GetUtcNow())]
            : localizer["The email or the password is wrong."];
        // The page must not differ by anything but what the person typed; the typed email is not even echoed, so a
        // failed attempt's page is the same byte for byte whichever address was tried.
        Email = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private string Wait(TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        return seconds < 60
            ? localizer.Plural(seconds, "{0} second", "{0} seconds")
            : localizer.Plural((seconds + 59) / 60, "{0} minute", "{0} minutes");
    }
}
