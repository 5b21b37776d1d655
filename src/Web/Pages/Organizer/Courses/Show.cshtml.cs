using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>A course and its progress: who completed how many of the required sessions, and who holds the certificate.</summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class ShowModel(CertificateStore certificates) : PageModel
{
    /// <summary>The course.</summary>
    public CourseView Course { get; private set; } = null!;

    /// <summary>Everyone registered for any of its sessions.</summary>
    public IReadOnlyList<CourseLearner> Learners { get; private set; } = [];

    /// <summary>Shows it, or 404.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await certificates.FindCourseAsync(id, cancellationToken) is not { } course)
        {
            return NotFound();
        }

        Course = course;
        Learners = await certificates.ProgressAsync(id, cancellationToken);
        return Page();
    }
}
