using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>Asks for a password-reset link; the answer is the same whether or not the address has an account.</summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class RequestResetModel(AccountLinks links) : PageModel
{
    /// <summary>The address typed.</summary>
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The one answer.</summary>
    public string? Notice { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Emails a link if there is an account.</summary>
    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        await links.RequestAsync(Email, AccountLinkPurpose.PasswordReset, cancellationToken);
        Notice = SignInModel.LinkSent;
    }
}
