using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Who watched a recording and how much (issue 14): viewers, how many finished, the average share played, the drop-off
/// over the recording's length as a chart with its table, and the viewers 50 to a page, with an audited CSV of all.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class RecordingViewsModel(SessionDirectory sessions, IGrainFactory grains, RecordingViewReports reports) : PageModel
{
    /// <summary>Viewers shown on one page.</summary>
    public const int PageSize = 50;

    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>The recording.</summary>
    public MediaItem Recording { get; private set; } = null!;

    /// <summary>The figures.</summary>
    public ViewingSummary Summary { get; private set; } = null!;

    /// <summary>The page of viewers shown (1-based).</summary>
    public int PageNumber { get; private set; }

    /// <summary>How many pages of viewers there are.</summary>
    public int Pages { get; private set; }

    /// <summary>The viewers on this page.</summary>
    public IReadOnlyList<ViewerRow> Shown { get; private set; } = [];

    /// <summary>Shows the figures and one page of viewers.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, Guid mediaId, int? page, CancellationToken cancellationToken)
    {
        if (await sessions.ViewAsync(id, cancellationToken) is not { } session
            || (await grains.GetGrain<ISessionMediaGrain>(id).ItemsAsync()).FirstOrDefault(m => m.Id == mediaId) is not { Kind: MediaKind.Recording } item)
        {
            return NotFound();
        }

        (Session, Recording) = (session, item);
        Summary = await reports.SummaryAsync(item, cancellationToken);
        Pages = Math.Max(1, (Summary.Rows.Count + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(page ?? 1, 1, Pages);
        Shown = [.. Summary.Rows.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
        return Page();
    }
}
