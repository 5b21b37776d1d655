using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using LearnHub.Web.Pages.Organizer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>Where a sign-up link lands: name and optional password, then the Learner account is created and signed in.</summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class CompleteSignUpModel(SignUps signUps) : PageModel
{
    /// <summary>The address the link proves, while it is valid.</summary>
    public string? Email { get; private set; }

    /// <summary>The name typed.</summary>
    [BindProperty]
    public string? DisplayName { get; set; }

    /// <summary>The password typed (never shown again); empty for sign-in by emailed links.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>What is wrong.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Shows the form for a valid link.</summary>
    public async Task OnGetAsync(string token, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        Email = await signUps.PeekAsync(token, cancellationToken);
    }

    /// <summary>Creates the account and signs in; a bad field changes nothing and keeps the link.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        Email = await signUps.PeekAsync(token, cancellationToken);
        var result = await signUps.CompleteAsync(token, DisplayName, Password, cancellationToken);
        if (result.Account is { } account)
        {
            await Policies.SignInAsync(HttpContext, account);
            return LocalRedirect("/my-learning");
        }

        foreach (var (field, message) in result.Errors)
        {
            Errors.Add(field, message);
        }

        if (Errors.For("link") is not null)
        {
            Email = null;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
