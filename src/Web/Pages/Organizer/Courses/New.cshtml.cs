using LearnHub.Grains;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>Creates a cohort course: title, Markdown description (stored rendered and sanitized), CE hours, statement, required sessions.</summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class NewModel(CertificateStore certificates, CatalogStore catalog) : PageModel
{
    /// <summary>Every series with its sessions, to choose the required ones from.</summary>
    public IReadOnlyList<SeriesView> Series { get; private set; } = [];

    /// <summary>The title.</summary>
    [BindProperty]
    public string? Title { get; set; }

    /// <summary>The description, in Markdown.</summary>
    [BindProperty]
    public string? Description { get; set; }

    /// <summary>The CE hours, as typed.</summary>
    [BindProperty]
    public string? CeHours { get; set; }

    /// <summary>The statement printed on the course certificate.</summary>
    [BindProperty]
    public string? Statement { get; set; }

    /// <summary>The required sessions.</summary>
    [BindProperty]
    public List<Guid> Sessions { get; set; } = [];

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Shows the empty form.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Series = await catalog.ListSeriesForOrganizersAsync(cancellationToken);

    /// <summary>Validates everything before writing anything; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Series = await catalog.ListSeriesForOrganizersAsync(cancellationToken);
        var draft = new CourseDraft(Title ?? "", Description ?? "", CeHours ?? "", Statement ?? "", Sessions);
        foreach (var (field, message) in certificates.Problems(draft))
        {
            Errors.Add(field, message);
        }

        var known = Series.SelectMany(s => s.Sessions).Select(s => s.Id).ToHashSet();
        if (Sessions.Any(id => !known.Contains(id)))
        {
            Errors.Add("sessions", "Choose sessions from the list.");
        }

        if (Errors.None)
        {
            try
            {
                var id = await certificates.CreateCourseAsync(draft, User.AccountId(), cancellationToken);
                TempData["Notice"] = $"Created the course {draft.Title.Trim()}.";
                return Redirect($"/organizer/courses/{id}");
            }
            catch (DomainException e)
            {
                Errors.Add("sessions", e.Message);
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
