using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Evaluations;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A session's evaluation for its organizers: how many answered, the ratings, the recommendations and the comments
/// (with the person's name only where they did not answer anonymously), each chart followed by its table.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class EvaluationModel(CatalogStore catalog, EvaluationReports reports) : PageModel
{
    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>Its evaluation.</summary>
    public SessionEvaluationResults Results { get; private set; } = null!;

    /// <summary>Reads the figures.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await catalog.FindSessionForOrganizersAsync(id, cancellationToken) is not { } session)
        {
            return NotFound();
        }

        Session = session;
        Results = await reports.SessionResultsAsync(id, cancellationToken);
        return Page();
    }
}
