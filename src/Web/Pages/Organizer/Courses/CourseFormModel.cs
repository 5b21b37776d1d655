using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer.Courses;

/// <summary>
/// The course form that creating and editing share (its fields are the partial _CourseFields): what is typed, the
/// sessions to choose from, and the one validation both run before anything is written.
/// </summary>
[Hosting.MultiLineFields("Description", "Statement")]
public abstract class CourseFormModel(CertificateStore certificates, CatalogStore catalog, IStringLocalizer<OrganizerResource> t) : PageModel
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

    /// <summary>The organizer pages' interface text.</summary>
    protected IStringLocalizer<OrganizerResource> Text => t;

    /// <summary>The store the page writes through.</summary>
    protected CertificateStore Certificates => certificates;

    /// <summary>Loads the sessions to choose from.</summary>
    protected async Task LoadSeriesAsync(CancellationToken cancellationToken) => Series = await catalog.ListSeriesForOrganizersAsync(cancellationToken);

    /// <summary>
    /// The submission as a draft, with every problem recorded in <see cref="Errors"/> (the store's field rules, and
    /// sessions that are not on the list). Call after <see cref="LoadSeriesAsync"/>.
    /// </summary>
    protected CourseDraft Validate()
    {
        var draft = new CourseDraft(Title ?? "", Description ?? "", CeHours ?? "", Statement ?? "", Sessions);
        foreach (var (field, message) in certificates.Problems(draft))
        {
            Errors.Add(field, message);
        }

        var known = Series.SelectMany(s => s.Sessions).Select(s => s.Id).ToHashSet();
        if (Sessions.Any(id => !known.Contains(id)))
        {
            Errors.Add("sessions", t["Choose sessions from the list."]);
        }

        return draft;
    }

    /// <summary>The form again as typed, with its errors, answering 400.</summary>
    protected IActionResult Refused()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
