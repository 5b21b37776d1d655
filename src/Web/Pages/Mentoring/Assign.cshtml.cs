using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using LearnHub.Web.Pages.Organizer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// Assigning a new staff member to a mentor: ranked suggestions (with the reasons each mentor fits) for a mentee picked
/// from the people waiting for one, or a mentee and a mentor picked by hand. Both people are emailed; audited.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class AssignModel(MentoringStore mentoring, AccountStore accounts, AuditLog audit, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>Every mentor profile, with load.</summary>
    public IReadOnlyList<MentorProfileView> Profiles { get; private set; } = [];

    /// <summary>Learners without an active mentor: the new staff a coordinator assigns.</summary>
    public IReadOnlyList<Grains.Accounts.Account> Waiting { get; private set; } = [];

    /// <summary>The suggestion request, when one was made.</summary>
    public SuggestionRequest? Suggest { get; private set; }

    /// <summary>Problems with the suggestion request, keyed by field.</summary>
    public IReadOnlyDictionary<string, string> SuggestErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The ranked mentors for the requested new staff member.</summary>
    public IReadOnlyList<MentorSuggestion> Suggestions { get; private set; } = [];

    /// <summary>Why the assignment by hand was refused, by field (mentor, mentee).</summary>
    public FieldErrors AssignErrors { get; } = new();

    /// <summary>The assignment by hand as posted, shown again after a problem.</summary>
    public (string? Mentor, string? Mentee) Posted { get; private set; }

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists the choices; with a mentee's email, also the ranked mentors for them.</summary>
    public async Task OnGetAsync(string? menteeEmail, string? menteeAgency, string? menteeRegion, List<string>? needs, string? menteeLanguages,
        bool includeUnavailable, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (menteeEmail is null)
        {
            return;
        }

        Suggest = new SuggestionRequest(menteeEmail, menteeAgency, menteeRegion, needs ?? [], menteeLanguages, includeUnavailable);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var mentee = await accounts.FindAsync(menteeEmail, cancellationToken);
        if (mentee is null)
        {
            errors["menteeEmail"] = t["Choose a new staff member who has a LearnHub account: invite them first."];
        }
        else if ((await mentoring.ForMenteeAsync(mentee.Id, cancellationToken)).Any(m => m.Mentorship.Status == MentorshipStatus.Active))
        {
            errors["menteeEmail"] = t["{0} already has a mentor. End that mentorship first.", mentee.DisplayName];
        }

        if (Suggest.Needs.Any(n => !MentorProfileRules.Specialties.Contains(n, StringComparer.Ordinal)))
        {
            errors["needs"] = t["Specialties are: {0}.", string.Join(t[", "].Value, MentorProfileRules.Specialties.Select(s => t[s].Value))];
        }

        SuggestErrors = errors;
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var needsOfMentee = new MenteeNeeds(menteeAgency, menteeRegion, Suggest.Needs, MentorProfileRules.ParseLanguages(menteeLanguages));
        Suggestions = MentorMatching.Rank(needsOfMentee, Profiles.Where(p => p.Profile.UserId != mentee!.Id).Select(p => p.Candidate), includeUnavailable);
    }

    /// <summary>Assigns a mentee to a mentor; both are emailed.</summary>
    public async Task<IActionResult> OnPostAssignAsync(string? mentorEmail, string? menteeEmail, bool overrideCapacity, CancellationToken cancellationToken)
    {
        Posted = (mentorEmail, menteeEmail);
        var mentor = await accounts.FindAsync(mentorEmail ?? "", cancellationToken);
        var mentee = await accounts.FindAsync(menteeEmail ?? "", cancellationToken);
        if (mentor is null)
        {
            AssignErrors.Add("mentor", t["Choose a mentor from the list."]);
        }

        if (mentee is null)
        {
            AssignErrors.Add("mentee", t["Choose a new staff member from the list: invite them first if they are not on it."]);
        }

        if (mentor is not null && mentee is not null)
        {
            var (outcome, id) = await mentoring.AssignAsync(mentor.Id, mentee.Id, overrideCapacity, cancellationToken);
            switch (outcome)
            {
                case AssignOutcome.Assigned:
                    await audit.WriteAsync(this, "mentorship.assigned", "mentorship", id!.Value, mentee.DisplayName,
                        $"{mentor.DisplayName} ({mentor.Email}) mentors {mentee.DisplayName} ({mentee.Email}){(overrideCapacity ? " (capacity overridden)" : "")}", cancellationToken);
                    Notice = t["Assigned {0} to {1}; both have been emailed.", mentee.Email, mentor.Email];
                    return RedirectToPage("/Mentoring/Mentorships");
                case AssignOutcome.NotAMentor:
                    AssignErrors.Add("mentor", t["{0} has no active mentor profile: set it up or resume them on the Mentors page.", mentor.DisplayName]);
                    break;
                case AssignOutcome.OverCapacity:
                    AssignErrors.Add("mentor", t["{0} is at capacity. Tick the override to assign anyway.", mentor.DisplayName]);
                    break;
                case AssignOutcome.MenteeAlreadyMentored:
                    AssignErrors.Add("mentee", t["{0} already has a mentor. End that mentorship first.", mentee.DisplayName]);
                    break;
                case AssignOutcome.SamePerson:
                    AssignErrors.Add("mentee", t["A person cannot mentor themselves: choose someone else."]);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown assignment outcome {outcome}.");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Profiles = await mentoring.ProfilesAsync(cancellationToken);
        var mentored = (await mentoring.AllAsync(cancellationToken)).Where(m => m.Mentorship.Status == MentorshipStatus.Active)
            .Select(m => m.Mentorship.MenteeId).ToHashSet();
        Waiting = (await accounts.ListAsync(cancellationToken))
            .Where(a => a.Roles.Contains(Role.Learner) && !mentored.Contains(a.Id))
            .OrderBy(a => a.DisplayName, StringComparer.CurrentCulture).ToList();
    }
}

/// <summary>What the coordinator asked suggestions for.</summary>
public sealed record SuggestionRequest(string MenteeEmail, string? Agency, string? Region, IReadOnlyList<string> Needs, string? Languages, bool IncludeUnavailable);
