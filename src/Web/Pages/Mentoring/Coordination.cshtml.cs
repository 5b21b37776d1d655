using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// The coordinators' page: mentor profiles, ranked suggestions of mentors for a new staff member (with the reasons
/// each fits), assigning, and every mentorship (with a way to end it).
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class CoordinationModel(MentoringStore mentoring, AccountStore accounts, AuditLog audit) : PageModel
{
    /// <summary>Every mentorship.</summary>
    public IReadOnlyList<MentorshipView> Mentorships { get; private set; } = [];

    /// <summary>Every mentor profile, with load.</summary>
    public IReadOnlyList<MentorProfileView> Profiles { get; private set; } = [];

    /// <summary>Why the last assignment was refused, if it was.</summary>
    public string? Problem { get; private set; }

    /// <summary>Problems with the profile form, keyed by field.</summary>
    public IReadOnlyDictionary<string, string> ProfileErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The profile form as posted, shown again after a problem.</summary>
    public MentorProfileForm ProfileForm { get; private set; } = new();

    /// <summary>The suggestion request, when one was made.</summary>
    public SuggestionRequest? Suggest { get; private set; }

    /// <summary>Problems with the suggestion request, keyed by field.</summary>
    public IReadOnlyDictionary<string, string> SuggestErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The ranked mentors for the requested new staff member.</summary>
    public IReadOnlyList<MentorSuggestion> Suggestions { get; private set; } = [];

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Lists profiles and mentorships; with a mentee's email, also the ranked mentors for them.</summary>
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
            errors["menteeEmail"] = "Give the email of a LearnHub account: invite the new staff member first.";
        }
        else if (Mentorships.Any(m => m.Mentorship.MenteeId == mentee.Id && m.Mentorship.Status == MentorshipStatus.Active))
        {
            errors["menteeEmail"] = $"{mentee.Email} already has a mentor. End that mentorship first.";
        }

        if (Suggest.Needs.Any(n => !MentorProfileRules.Specialties.Contains(n, StringComparer.Ordinal)))
        {
            errors["needs"] = $"Specialties are: {string.Join(", ", MentorProfileRules.Specialties)}.";
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

    /// <summary>Creates or updates a mentor's profile.</summary>
    public async Task<IActionResult> OnPostProfileAsync(MentorProfileForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ProfileForm = form;
        var account = await accounts.FindAsync(form.Email ?? "", cancellationToken);
        if (account is null || !account.Roles.Contains(Role.Mentor))
        {
            return await RefuseProfileAsync(new Dictionary<string, string> { ["email"] = "Give the email of an account that holds the Mentor role." }, cancellationToken);
        }

        if (!int.TryParse(form.Capacity, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var capacity))
        {
            return await RefuseProfileAsync(new Dictionary<string, string> { ["capacity"] = "Enter how many mentees at once, from 0 to 50." }, cancellationToken);
        }

        var profile = new MentorProfile(account.Id, form.Agency?.Trim() ?? "", form.Region?.Trim() ?? "", form.Specialties,
            MentorProfileRules.ParseLanguages(form.Languages), form.TimeZone?.Trim() ?? "", capacity, form.Active);
        var problems = await mentoring.SaveProfileAsync(profile, cancellationToken);
        if (problems.Count > 0)
        {
            return await RefuseProfileAsync(problems, cancellationToken);
        }

        await AuditAsync("mentor.profile.saved", account.Id,
            $"{account.Email}: capacity {capacity}, {(form.Active ? "active" : "paused")}, specialties: {string.Join(", ", profile.Specialties)}, languages: {string.Join(", ", profile.Languages)}",
            cancellationToken);
        Notice = $"Saved the mentor profile of {account.Email}.";
        return RedirectToPage();
    }

    /// <summary>Assigns a mentee to a mentor; both are emailed.</summary>
    public async Task<IActionResult> OnPostAssignAsync(string? mentorEmail, string? menteeEmail, bool overrideCapacity, CancellationToken cancellationToken)
    {
        var mentor = await accounts.FindAsync(mentorEmail ?? "", cancellationToken);
        var mentee = await accounts.FindAsync(menteeEmail ?? "", cancellationToken);
        if (mentor is null || mentee is null)
        {
            return await RefuseAsync("Both people need a LearnHub account: invite them first.", cancellationToken);
        }

        var (outcome, id) = await mentoring.AssignAsync(mentor.Id, mentee.Id, overrideCapacity, cancellationToken);
        if (outcome != AssignOutcome.Assigned)
        {
            return await RefuseAsync(outcome switch
            {
                AssignOutcome.NotAMentor => $"{mentor.Email} has no active mentor profile.",
                AssignOutcome.OverCapacity => $"{mentor.Email} is at capacity. Tick the override to assign anyway.",
                AssignOutcome.MenteeAlreadyMentored => $"{mentee.Email} already has a mentor. End that mentorship first.",
                _ => "A person cannot mentor themselves.",
            }, cancellationToken);
        }

        await AuditAsync("mentorship.assigned", id!.Value, $"{mentor.Email} mentors {mentee.Email}{(overrideCapacity ? " (capacity overridden)" : "")}", cancellationToken);
        Notice = $"Assigned {mentee.Email} to {mentor.Email}; both have been emailed.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Mentorships = await mentoring.AllAsync(cancellationToken);
        Profiles = await mentoring.ProfilesAsync(cancellationToken);
    }

    private async Task<IActionResult> RefuseAsync(string problem, CancellationToken cancellationToken)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> RefuseProfileAsync(IReadOnlyDictionary<string, string> problems, CancellationToken cancellationToken)
    {
        ProfileErrors = problems;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private Task AuditAsync(string action, Guid objectId, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, action.StartsWith("mentor.", StringComparison.Ordinal) ? "user" : "mentorship",
            objectId.ToString(), HttpContext.Connection.RemoteIpAddress?.ToString(), detail, cancellationToken);
}

/// <summary>The mentor profile form as posted (strings, so a bad number is a message, not a binding failure).</summary>
public sealed class MentorProfileForm
{
    /// <summary>The mentor's account email.</summary>
    public string? Email { get; set; }

    /// <summary>Their agency.</summary>
    public string? Agency { get; set; }

    /// <summary>Their region.</summary>
    public string? Region { get; set; }

    /// <summary>Ticked specialties.</summary>
    public List<string> Specialties { get; set; } = [];

    /// <summary>Languages, comma-separated.</summary>
    public string? Languages { get; set; }

    /// <summary>IANA zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Most mentees at once.</summary>
    public string? Capacity { get; set; } = "5";

    /// <summary>Taking mentees (unticked: paused).</summary>
    public bool Active { get; set; } = true;
}

/// <summary>What the coordinator asked suggestions for.</summary>
public sealed record SuggestionRequest(string MenteeEmail, string? Agency, string? Region, IReadOnlyList<string> Needs, string? Languages, bool IncludeUnavailable);
