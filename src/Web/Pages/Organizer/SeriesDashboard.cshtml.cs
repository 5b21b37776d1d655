using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Evaluations;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A series at a glance for its organizers: registrations week by week, each session's attendance rate and its
/// evaluation scores, as charts each followed by a table with the same figures.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class SeriesDashboardModel(CatalogStore catalog, EvaluationReports reports) : PageModel
{
    /// <summary>The series.</summary>
    public SeriesView Series { get; private set; } = null!;

    /// <summary>Its figures.</summary>
    public SeriesDashboard Dashboard { get; private set; } = null!;

    /// <summary>Reads the figures.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await catalog.FindSeriesForOrganizersAsync(id, cancellationToken) is not { } series)
        {
            return NotFound();
        }

        Series = series;
        Dashboard = await reports.SeriesDashboardAsync(id, cancellationToken);
        return Page();
    }
}
