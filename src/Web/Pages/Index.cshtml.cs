using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages;

/// <summary>
/// The home page: the series, a page at a time, from the catalog grain's memory. It is what a national webinar's
/// announcement sends tens of thousands of staff to at once, so it reads no database.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(IGrainFactory grains, LearnHubClock clock) : PageModel
{
    /// <summary>How many series a page lists.</summary>
    public const int PageSize = 20;

    /// <summary>The page of series to list.</summary>
    public CatalogPage Catalog { get; private set; } = new([], 1, PageSize, 0, 0);

    /// <summary>The instant the page is rendered at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The visitor's chosen zone, if any.</summary>
    public string? Zone { get; private set; }

    /// <summary>Loads one page of the catalog (<c>?page=2</c>; a page past the end lists nothing and links back).</summary>
    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        // From the query only: "page" is also the route value Razor Pages names the page by.
        Now = clock.GetUtcNow();
        Zone = ViewerTimeZone.Chosen(Request);
        Catalog = await grains.Catalog().PageAsync(Math.Max(1, pageNumber ?? 1), PageSize);
    }
}
