using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>Every mentorship with its state and next follow-up, active ones first; each active one can be ended.</summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class MentorshipsModel(MentoringStore mentoring) : PageModel
{
    /// <summary>Every mentorship.</summary>
    public IReadOnlyList<MentorshipView> Mentorships { get; private set; } = [];

    /// <summary>The next pending follow-up of each active mentorship.</summary>
    public IReadOnlyDictionary<Guid, DateOnly> NextDue { get; private set; } = new Dictionary<Guid, DateOnly>();

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists mentorships.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Mentorships = await mentoring.AllAsync(cancellationToken);
        NextDue = await mentoring.NextDueAsync(cancellationToken);
    }
}
