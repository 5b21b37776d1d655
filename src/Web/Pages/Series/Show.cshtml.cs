using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Series;

/// <summary>A series page: its instalments, upcoming first, from the catalog grain's memory.</summary>
[AllowAnonymous]
public sealed class ShowModel(IGrainFactory grains, LearnHubClock clock) : PageModel
{
    /// <summary>The series.</summary>
    public SeriesView? Series { get; private set; }

    /// <summary>Sessions yet to start, soonest first.</summary>
    public IReadOnlyList<SessionView> Upcoming { get; private set; } = [];

    /// <summary>Sessions that have started, latest first.</summary>
    public IReadOnlyList<SessionView> Past { get; private set; } = [];

    /// <summary>The render instant.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The visitor's chosen zone, if any.</summary>
    public string? Zone { get; private set; }

    /// <summary>Loads the series; 404 when there is none.</summary>
    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        Series = await grains.Catalog().SeriesAsync(slug);
        if (Series is null)
        {
            return NotFound();
        }

        Now = clock.GetUtcNow();
        Zone = ViewerTimeZone.Chosen(Request);
        Upcoming = Series.Sessions.Where(s => s.StartsAt > Now).ToList();
        Past = Series.Sessions.Where(s => s.StartsAt <= Now).Reverse().ToList();
        return Page();
    }
}
