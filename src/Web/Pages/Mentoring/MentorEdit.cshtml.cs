using System.Globalization;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Time;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using LearnHub.Web.Pages.Organizer;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// One mentor's profile, set up or edited by a coordinator: agency, region, specialties, languages, time zone (picked
/// from the known IANA zones) and capacity. A bad field is named and nothing is saved.
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
public sealed class MentorEditModel(MentoringStore mentoring, AccountStore accounts, AuditLog audit, LearnHubClock clock,
    IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The mentor.</summary>
    public Grains.Accounts.Account Mentor { get; private set; } = null!;

    /// <summary>True when the mentor has no profile yet (the page sets one up).</summary>
    public bool Creating { get; private set; }

    /// <summary>The form: the saved profile, or what was posted after a problem.</summary>
    public MentorProfileForm Form { get; private set; } = new();

    /// <summary>Problems with the form, by field.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Now, for the offsets the zone list shows.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Shows the profile (or an empty one to set up).</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return Page();
    }

    /// <summary>Saves the profile; every problem is named by field and nothing is written then.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, MentorProfileForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Form = form;
        var zone = form.TimeZone?.Trim() ?? "";
        // The list the select offers is the list accepted: an alias or a typed id the list lacks would show as another
        // zone the next time the form opens, and saving it unchanged would move the mentor.
        if (!ViewerTimeZone.All.Contains(zone, StringComparer.Ordinal) || !Zones.TryFind(zone, out _))
        {
            Errors.Add("timeZone", t["Choose the mentor's time zone from the list, e.g. America/Chicago."]);
        }

        if (!int.TryParse(form.Capacity, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var capacity))
        {
            Errors.Add("capacity", t["Enter how many mentees at once, from 0 to 50."]);
        }

        var profile = new MentorProfile(Mentor.Id, form.Agency?.Trim() ?? "", form.Region?.Trim() ?? "", form.Specialties,
            MentorProfileRules.ParseLanguages(form.Languages), zone, capacity, form.Active);
        foreach (var (field, message) in MentorProfileRules.Problems(profile.Agency, profile.Region, profile.Specialties, profile.Languages, zone,
                     Errors.For("capacity") is null ? capacity : 0))
        {
            Errors.Add(field, message);
        }

        if (Errors.None)
        {
            foreach (var (field, message) in await mentoring.SaveProfileAsync(profile, cancellationToken))
            {
                Errors.Add(field, message);
            }
        }

        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await audit.WriteAsync(this, "mentor.profile.saved", "user", Mentor.Id, Mentor.DisplayName,
            $"{Mentor.Email}: {profile.Agency}, {profile.Region}, {zone}, capacity {capacity}, {(form.Active ? "active" : "paused")}, "
            + $"specialties: {string.Join(", ", profile.Specialties)}, languages: {string.Join(", ", profile.Languages)}", cancellationToken);
        TempData["Notice"] = t["Saved the mentor profile of {0}.", Mentor.DisplayName].Value;
        return RedirectToPage("/Mentoring/Mentors");
    }

    /// <summary>Finds the mentor and their profile; false when the account is not a mentor.</summary>
    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(id, cancellationToken);
        var saved = (await mentoring.ProfilesAsync(cancellationToken)).FirstOrDefault(p => p.Profile.UserId == id)?.Profile;
        if (account is null || (saved is null && !account.Roles.Contains(Role.Mentor)))
        {
            return false;
        }

        Mentor = account;
        Creating = saved is null;
        Form = saved is null ? new MentorProfileForm { Email = account.Email } : new MentorProfileForm
        {
            Email = account.Email, Agency = saved.Agency, Region = saved.Region, Specialties = saved.Specialties.ToList(),
            Languages = string.Join(", ", saved.Languages), TimeZone = saved.TimeZone, Capacity = saved.Capacity.ToString(CultureInfo.InvariantCulture),
            Active = saved.Active,
        };
        return true;
    }
}

/// <summary>The mentor profile form as posted (strings, so a bad number is a message, not a binding failure).</summary>
public sealed class MentorProfileForm
{
    /// <summary>The mentor's account email (shown, not posted).</summary>
    public string? Email { get; set; }

    /// <summary>Their agency.</summary>
    public string? Agency { get; set; }

    /// <summary>Their region.</summary>
    public string? Region { get; set; }

    /// <summary>Ticked specialties.</summary>
    public List<string> Specialties { get; set; } = [];

    /// <summary>Languages, comma-separated.</summary>
    public string? Languages { get; set; }

    /// <summary>IANA zone, from the list.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Most mentees at once.</summary>
    public string? Capacity { get; set; } = "5";

    /// <summary>Taking mentees (unticked: paused).</summary>
    public bool Active { get; set; } = true;
}
