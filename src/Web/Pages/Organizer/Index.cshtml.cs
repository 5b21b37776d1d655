using LearnHub.Silo.Catalog;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>The organizer area: every series and session with its seats, and the registrant lists.</summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class IndexModel(CatalogStore catalog) : PageModel
{
    /// <summary>The series.</summary>
    public IReadOnlyList<SeriesView> Series { get; private set; } = [];

    /// <summary>Lists the catalog with counts.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Series = await catalog.ListSeriesForOrganizersAsync(cancellationToken);
}
