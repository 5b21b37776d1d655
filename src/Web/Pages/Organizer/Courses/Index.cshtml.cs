using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>The cohort courses, with a link to create one.</summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class IndexModel(CertificateStore certificates) : PageModel
{
    /// <summary>Every course, newest first.</summary>
    public IReadOnlyList<CourseView> Courses { get; private set; } = [];

    /// <summary>Lists them.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Courses = await certificates.CoursesAsync(cancellationToken);
}
