using LearnHub.Grains;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using LearnHub.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>
/// Edits a cohort course with the form that created it. The store reconciles the course's certificates in the same
/// transaction: a removed requirement can complete the course for people; an added one never revokes a certificate.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class EditModel(CertificateStore certificates, CatalogStore catalog, IStringLocalizer<OrganizerResource> t) : CourseFormModel(certificates, catalog, t)
{
    /// <summary>The course as stored.</summary>
    public CourseView Course { get; private set; } = null!;

    /// <summary>The form filled from the course, or 404.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await Certificates.FindCourseAsync(id, cancellationToken) is not { } course)
        {
            return NotFound();
        }

        Course = course;
        (Title, Description, CeHours, Statement) = (course.Title, course.Description, LearnHub.Grains.Certificates.CeHours.Format(course.CeHoursCenti), course.Statement);
        Sessions = course.Sessions.Select(s => s.Id).ToList();
        await LoadSeriesAsync(cancellationToken);
        return Page();
    }

    /// <summary>Validates everything before writing anything; on a problem shows the form again as typed and changes nothing.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await Certificates.FindCourseAsync(id, cancellationToken) is not { } course)
        {
            return NotFound();
        }

        Course = course;
        await LoadSeriesAsync(cancellationToken);
        var draft = Validate();
        if (Errors.None)
        {
            try
            {
                var changes = await Certificates.UpdateCourseAsync(id, draft, User.AccountId(), cancellationToken);
                TempData["Notice"] = changes.Count == 0
                    ? Text["Nothing changed."].Value
                    : Text["Saved the course: {0}.", string.Join(Text["; "].Value, changes.Select(c => Messages.Translate(c)))].Value;
                return Redirect($"/organizer/courses/{id}");
            }
            catch (DomainException e)
            {
                Errors.Add("sessions", e.Message);
            }
        }

        return Refused();
    }
}
