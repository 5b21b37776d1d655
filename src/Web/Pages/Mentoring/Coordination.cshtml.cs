using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// The old single coordination page, now split into Mentors, Assign, Mentorships and Invite. Its address stays alive
/// for bookmarks and old emails: it leads to the mentors list, and a suggestion link (one with a mentee's email) to
/// the Assign page with the same question.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class CoordinationModel : PageModel
{
    /// <summary>Redirects to the page that now does what was asked.</summary>
    public IActionResult OnGet() => Request.Query.ContainsKey("menteeEmail")
        ? LocalRedirect("/coordination/assign" + Request.QueryString)
        : LocalRedirect("/coordination/mentors");
}
