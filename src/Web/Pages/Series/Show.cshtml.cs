using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Series;

/// <summary>A series page: its instalments, upcoming first, from the catalog grain's memory.</summary>
[AllowAnonymous]
public sealed class ShowModel(IGrainFactory grains, LearnHubClock clock, Hosting.RenderedPages pages) : PageModel
{
    /// <summary>The series.</summary>
    public SeriesView? Series { get; private set; }

    /// <summary>Sessions yet to start, soonest first.</summary>
    public IReadOnlyList<SessionView> Upcoming { get; private set; } = [];

    /// <summary>Sessions that have started, latest first.</summary>
    public IReadOnlyList<SessionView> Past { get; private set; } = [];

    /// <summary>
    /// The render instant. The page compares it with its sessions' starts and registration windows and labels the zone's
    /// offset at it: a rendered copy is kept until the next of those instants (<see cref="OnGetAsync"/>), so any other use
    /// needs its instant listed there.
    /// </summary>
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
        // An anonymous visitor gets the copy rendered for the same series view, zone and language. The page compares the
        // clock with its sessions' starts and registration windows (upcoming or past, the seats badges), and names the
        // chosen zone with its offset now, which changes at the zone's clock changes: that label is part of the variant.
        var label = Zone is null ? "" : ViewerTimeZone.Label(Zone, Now);
        return await pages.ServeAsync(HttpContext, Page(), label, Now, Series.Sessions.SelectMany(s => new[] { s.StartsAt, s.RegistrationOpensAt, s.RegistrationClosesAt }),
            Series);
    }
}
