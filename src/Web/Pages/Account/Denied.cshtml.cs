using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Account;

/// <summary>Shown when a signed-in person asks for something their roles do not allow.</summary>
[AllowAnonymous]
public sealed class DeniedModel : PageModel
{
    /// <summary>Answers 403 with a page.</summary>
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
