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
public sealed class RequestResetModel(LinkRequests links) : PageModel
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

    /// <summary>Emails a link if there is an account (after answering, so the answer takes the same time either way).</summary>
    public void OnPost()
    {
        var email = Email;
        Response.OnCompleted(() =>
        {
            links.Enqueue(email, AccountLinkPurpose.PasswordReset);
            return Task.CompletedTask;
        });
        Notice = SignInModel.LinkSent;
    }
}
