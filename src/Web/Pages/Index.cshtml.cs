using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Catalog;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace LearnHub.Web.Pages;

/// <summary>The home page: upcoming sessions across every series (searchable, filterable, or as a month), and every series.</summary>
[AllowAnonymous]
[OutputCache(PolicyName = CatalogCache.Policy)]
public sealed class IndexModel(CatalogStore catalog, LearnHubClock clock) : PageModel
{
    /// <summary>The series to list.</summary>
    public IReadOnlyList<SeriesView> Series { get; private set; } = [];

    /// <summary>The instant the page is rendered at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The visitor's chosen zone, if any.</summary>
    public string? Zone { get; private set; }

    /// <summary>The search and filters, as the query string carries them.</summary>
    public CatalogFilter Filter { get; private set; } = CatalogFilter.None;

    /// <summary>The month the month view shows (the current one in the visitor's zone unless the link names one).</summary>
    public DateOnly Month { get; private set; }

    /// <summary>The sessions the filters admit, soonest first.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; private set; } = [];

    /// <summary>Loads the catalog.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Zone = ViewerTimeZone.Chosen(Request);
        Series = await catalog.ListSeriesAsync(cancellationToken);
        Filter = CatalogFilter.Read(Request.Query);
        var today = DateOnly.FromDateTime(ZonedTime.In(Now, Zone ?? "America/New_York").DateTime);
        Month = Filter.Month ?? new DateOnly(today.Year, today.Month, 1);
        Entries = CatalogSearch.Apply(Series, Filter, Now, Zone, Month);
    }
}
