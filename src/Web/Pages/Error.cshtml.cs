using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages;

/// <summary>The page shown for errors and for 404s on pages.</summary>
[IgnoreAntiforgeryToken]
[AllowAnonymous]
public sealed class ErrorModel : PageModel
{
    /// <summary>The heading.</summary>
    public string Title { get; private set; } = "Something went wrong";

    /// <summary>The explanation.</summary>
    public string Message { get; private set; } = "We could not complete that request. Nothing you submitted was changed by this error; please try again.";

    /// <summary>Shows the error for a status code.</summary>
    public void OnGet([FromQuery] int? status) => Describe(status);

    /// <summary>Errors during a form post land here too.</summary>
    public void OnPost([FromQuery] int? status) => Describe(status);

    private void Describe(int? status)
    {
        if (status == StatusCodes.Status404NotFound)
        {
            Title = "Page not found";
            Message = "There is no page at this address. It may have moved, or the link may be incomplete.";
        }
        else if (status == StatusCodes.Status400BadRequest && HttpContext.Items[Hosting.TextInputGuard.ProblemItem] is string problem)
        {
            Title = "That could not be accepted";
            Message = problem;
        }
        else if (status == StatusCodes.Status400BadRequest)
        {
            Title = "That request could not be accepted";
            Message = "The form may have expired. Go back, reload the page and try again.";
        }
    }
}
