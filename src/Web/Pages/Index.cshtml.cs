using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Catalog;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace LearnHub.Web.Pages;

/// <summary>The home page: every series.</summary>
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

    /// <summary>Loads the catalog.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Zone = ViewerTimeZone.Chosen(Request);
        Series = await catalog.ListSeriesAsync(cancellationToken);
    }
}
