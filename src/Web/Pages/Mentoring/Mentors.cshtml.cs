using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// The coordinator's mentors: every profile with its agency, region, zone, capacity and current mentees, each with an
/// edit page and a pause or resume button; and the people who hold the Mentor role but have no profile yet.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class MentorsModel(MentoringStore mentoring, AccountStore accounts, AuditLog audit, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>Every mentor profile, with load, by name.</summary>
    public IReadOnlyList<MentorProfileView> Profiles { get; private set; } = [];

    /// <summary>Accounts holding the Mentor role without a profile: they cannot be assigned until one is set.</summary>
    public IReadOnlyList<Grains.Accounts.Account> WithoutProfile { get; private set; } = [];

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists mentors.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Profiles = await mentoring.ProfilesAsync(cancellationToken);
        var profiled = Profiles.Select(p => p.Profile.UserId).ToHashSet();
        WithoutProfile = (await accounts.ListAsync(cancellationToken))
            .Where(a => a.Roles.Contains(Role.Mentor) && !profiled.Contains(a.Id))
            .OrderBy(a => a.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>Pauses (<paramref name="active"/> false) or resumes a mentor; their current mentees stay with them.</summary>
    public async Task<IActionResult> OnPostActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        var mentor = await accounts.FindAsync(id, cancellationToken);
        if (mentor is null || !await mentoring.SetActiveAsync(id, active, cancellationToken))
        {
            return NotFound();
        }

        await audit.WriteAsync(this, active ? "mentor.resumed" : "mentor.paused", "user", mentor.Id, mentor.DisplayName,
            $"{mentor.Email}: {(active ? "taking mentees again" : "paused, keeps current mentees")}", cancellationToken);
        Notice = active ? t["{0} is taking mentees again.", mentor.DisplayName] : t["Paused {0}: they keep their mentees and are not offered for new ones.", mentor.DisplayName];
        return RedirectToPage();
    }
}
