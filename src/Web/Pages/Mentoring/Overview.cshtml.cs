using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// The coordinators' overview: follow-up completion by month, overdue follow-ups and each mentor's load, as inline SVG
/// charts (no script, no inline styles, so the production CSP holds) each followed by the same figures as a table.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class OverviewModel(MentoringReports reports) : PageModel
{
    /// <summary>Months shown.</summary>
    public const int Months = 12;

    /// <summary>Completion by due month, oldest first.</summary>
    public IReadOnlyList<MonthCompletion> Completion { get; private set; } = [];

    /// <summary>Overdue follow-ups, longest overdue first.</summary>
    public IReadOnlyList<OverdueFollowUp> Overdue { get; private set; } = [];

    /// <summary>Each mentor's load, fullest first.</summary>
    public IReadOnlyList<MentorLoad> Load { get; private set; } = [];

    /// <summary>Reads the figures.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Completion = await reports.CompletionByMonthAsync(Months, cancellationToken);
        Overdue = await reports.OverdueAsync(cancellationToken);
        Load = await reports.LoadAsync(Overdue, cancellationToken);
    }
}
