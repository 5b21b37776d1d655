using LearnHub.Grains;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>Creates a cohort course: title, Markdown description (stored rendered and sanitized), CE hours, statement, required sessions.</summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class NewModel(CertificateStore certificates, CatalogStore catalog, IStringLocalizer<OrganizerResource> t) : CourseFormModel(certificates, catalog, t)
{
    /// <summary>Shows the empty form.</summary>
    public Task OnGetAsync(CancellationToken cancellationToken) => LoadSeriesAsync(cancellationToken);

    /// <summary>Validates everything before writing anything; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadSeriesAsync(cancellationToken);
        var draft = Validate();
        if (Errors.None)
        {
            try
            {
                var id = await Certificates.CreateCourseAsync(draft, User.AccountId(), cancellationToken);
                TempData["Notice"] = Text["Created the course {0}.", draft.Title.Trim()].Value;
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
