using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Time;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// The signed-in mentor's home: their mentees, and the follow-ups that are overdue, due today or coming up — each judged
/// by today's date in the mentor's zone, from the injected clock. Only the mentor's own mentorships are listed.
/// </summary>
[Authorize(Policy = Policies.Mentor)]
public sealed class IndexModel(MentoringStore mentoring, LearnHubClock clock) : PageModel
{
    /// <summary>The mentor's mentorships, active first.</summary>
    public IReadOnlyList<MentorshipView> Mentorships { get; private set; } = [];

    /// <summary>Pending follow-ups whose date has passed.</summary>
    public IReadOnlyList<FollowUpItem> Overdue { get; private set; } = [];

    /// <summary>Pending follow-ups due today.</summary>
    public IReadOnlyList<FollowUpItem> DueToday { get; private set; } = [];

    /// <summary>Pending follow-ups still to come.</summary>
    public IReadOnlyList<FollowUpItem> Upcoming { get; private set; } = [];

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists the mentor's mentees and follow-ups.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.AccountId() ?? Guid.Empty;
        Mentorships = await mentoring.ForMentorAsync(me, cancellationToken);
        var pending = await mentoring.PendingForMentorAsync(me, cancellationToken);
        Overdue = pending.Where(i => i.FollowUp.IsOverdue(Today(i))).ToList();
        DueToday = pending.Where(i => i.FollowUp.IsDue(Today(i)) && !i.FollowUp.IsOverdue(Today(i))).ToList();
        Upcoming = pending.Where(i => !i.FollowUp.IsDue(Today(i))).ToList();
    }

    /// <summary>Today's date in the zone the follow-up is judged in.</summary>
    public DateOnly Today(FollowUpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return DateOnly.FromDateTime(ZonedTime.In(clock.GetUtcNow(), item.MentorTimeZone).DateTime);
    }
}
