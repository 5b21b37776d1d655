using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>The series a page at a time, by title, each with its links (edit, new session, dashboard, its sessions).</summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class SeriesModel(CatalogStore catalog) : PageModel
{
    /// <summary>Series per page.</summary>
    public const int PageSize = 10;

    /// <summary>The series of this page.</summary>
    public IReadOnlyList<SeriesView> Series { get; private set; } = [];

    /// <summary>This page (1-based).</summary>
    public int PageNumber { get; private set; } = 1;

    /// <summary>How many pages there are.</summary>
    public int PageCount { get; private set; } = 1;

    /// <summary>How many series there are.</summary>
    public int TotalSeries { get; private set; }

    /// <summary>Lists one page (<c>?page=2</c>).</summary>
    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        // From the query only: "page" is also the route value Razor Pages names the page by.
        PageNumber = Math.Max(1, pageNumber ?? 1);
        (Series, TotalSeries) = await catalog.PageSeriesForOrganizersAsync(PageNumber, PageSize, cancellationToken);
        PageCount = Math.Max(1, (TotalSeries + PageSize - 1) / PageSize);
    }
}
