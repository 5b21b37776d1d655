using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages;

/// <summary>The page shown for errors and for 404s on pages.</summary>
[IgnoreAntiforgeryToken]
[AllowAnonymous]
public sealed class ErrorModel(IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>The heading.</summary>
    public string Title { get; private set; } = localizer["Something went wrong"];

    /// <summary>The explanation.</summary>
    public string Message { get; private set; } = localizer["We could not complete that request. Nothing you submitted was changed by this error; please try again."];

    /// <summary>Shows the error for a status code.</summary>
    public void OnGet([FromQuery] int? status) => Describe(status);

    /// <summary>Errors during a form post land here too.</summary>
    public void OnPost([FromQuery] int? status) => Describe(status);

    private void Describe(int? status)
    {
        if (status == StatusCodes.Status404NotFound)
        {
            Title = localizer["Page not found"];
            Message = localizer["There is no page at this address. It may have moved, or the link may be incomplete."];
        }
        else if (status == StatusCodes.Status400BadRequest && HttpContext.Items[Hosting.TextInputGuard.ProblemItem] is string problem)
        {
            Title = localizer["That could not be accepted"];
            Message = problem;
        }
        else if (status == StatusCodes.Status400BadRequest)
        {
            Title = localizer["That request could not be accepted"];
            Message = localizer["The form may have expired. Go back, reload the page and try again."];
        }
    }
}
