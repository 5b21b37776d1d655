using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Web.Catalog;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages;

/// <summary>
/// The home page: upcoming sessions across every series (searchable, filterable, or as a month), and the series, a page
/// at a time — all from the catalog grain's memory: it is what a national webinar's announcement sends tens of
/// thousands of staff to at once, so it reads no database.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(IGrainFactory grains, LearnHubClock clock) : PageModel
{
    /// <summary>How many series a page lists.</summary>
    public const int SeriesPageSize = 20;

    /// <summary>A page of the series.</summary>
    public CatalogPage Catalog { get; private set; } = new([], 1, SeriesPageSize, 0, 0);

    /// <summary>The instant the page is rendered at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The visitor's chosen zone, if any.</summary>
    public string? Zone { get; private set; }

    /// <summary>The search and filters, as the query string carries them.</summary>
    public CatalogFilter Filter { get; private set; } = CatalogFilter.None;

    /// <summary>The month the month view shows (the current one in the visitor's zone unless the link names one).</summary>
    public DateOnly Month { get; private set; }

    /// <summary>The sessions the filters admit, soonest first (a page of the list, or the whole month).</summary>
    public CatalogSearchResult Found { get; private set; } = new([], 0, 1, CatalogQuery.DefaultPageSize, []);

    /// <summary>
    /// Loads the catalog: <c>?page=</c> pages the upcoming list, <c>?spage=</c> the series (from the query only: "page"
    /// is also the route value Razor Pages names the page by).
    /// </summary>
    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, [FromQuery(Name = "spage")] int? seriesPage, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Zone = ViewerTimeZone.Chosen(Request);
        Filter = CatalogFilter.Read(Request.Query);
        var today = DateOnly.FromDateTime(ZonedTime.In(Now, Zone ?? "America/New_York").DateTime);
        Month = Filter.Month ?? new DateOnly(today.Year, today.Month, 1);
        var catalog = grains.Catalog();
        var found = catalog.SearchAsync(Filter.ToQuery(Now, Zone, Month, pageNumber ?? 1));
        var series = catalog.PageAsync(Math.Max(1, seriesPage ?? 1), SeriesPageSize);
        (Found, Catalog) = (await found, await series);
    }
}
