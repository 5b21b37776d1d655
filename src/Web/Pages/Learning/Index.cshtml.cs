using System.Security.Claims;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Registrations;
using LearnHub.Web.Accounts;
using LearnHub.Web.Registrations;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using LearnHub.Silo.Sessions;

namespace LearnHub.Web.Pages.Learning;

/// <summary>"My learning": every registration made with the signed-in person's email, upcoming and past.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(RegistrationGroups registrations, SessionDirectory sessions, IGrainFactory grains, ManageLinks links, Silo.Mentoring.MentoringStore mentoring,
    LearnHubClock clock, Silo.Privacy.PersonExport export, IStringLocalizer<LearnerResource> t) : PageModel
{
    /// <summary>Per registration: how to join or where to go, and how to add it to a calendar.</summary>
    public IReadOnlyDictionary<Guid, SessionAccess> Access { get; private set; } = new Dictionary<Guid, SessionAccess>();

    /// <summary>Sessions yet to start.</summary>
    public IReadOnlyList<RegistrationView> Upcoming { get; private set; } = [];

    /// <summary>Sessions that have started.</summary>
    public IReadOnlyList<RegistrationView> Past { get; private set; } = [];

    /// <summary>The person's active peer mentorship as a mentee, if they have one.</summary>
    public Silo.Mentoring.MentorshipView? Mentor { get; private set; }

    /// <summary>The visitor's chosen zone, if any.</summary>
    public string? Zone { get; private set; }

    /// <summary>The private calendar feed of every registration of this account.</summary>
    public string FeedUrl { get; private set; } = "";

    /// <summary>What the last cancellation did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>
    /// The handouts and recordings of each past session the person holds a seat in, with how much of each recording
    /// they have played (the watch page continues from there).
    /// </summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<Web.Media.WatchedMedia>> Media { get; private set; } = new Dictionary<Guid, IReadOnlyList<Web.Media.WatchedMedia>>();

    /// <summary>Lists the registrations.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mine = await registrations.ForEmailAsync(MyEmail(), cancellationToken);
        Upcoming = mine.Where(r => r.StartsAt > now).ToList();
        Past = mine.Where(r => r.StartsAt <= now).Reverse().ToList();
        // A session under way is still "past" by its start, but its Join button must show until it ends.
        Access = await SessionAccess.ForAsync(mine.Where(r => r.EndsAt > now), sessions, now, r => $"/my-learning/sessions/{r.SessionId}/event.ics", cancellationToken);
        Mentor = (await mentoring.ForMenteeAsync(User.AccountId()!.Value, cancellationToken))
            .FirstOrDefault(m => m.Mentorship.Status == Grains.Mentoring.MentorshipStatus.Active);
        Zone = ViewerTimeZone.Chosen(Request);
        var media = new Dictionary<Guid, IReadOnlyList<Web.Media.WatchedMedia>>();
        foreach (var r in Past.Where(r => r.Status == RegistrationStatus.Confirmed))
        {
            // Signed in, the seat opens them: the plain URLs, no pass.
            media[r.Id] = await Web.Media.WatchedMediaLists.ForRegistrationAsync(grains, r.SessionId, r.Id,
                item => item.Kind == Grains.Media.MediaKind.Recording ? $"/recordings/{item.Id}" : $"/media/{item.Id}");
        }

        Media = media;
        var version = (await Learner.PreferencesAsync()).FeedTokenVersion;
        FeedUrl = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/calendar/{links.FeedTokenFor(User.AccountId()!.Value, version)}.ics";
    }

    /// <summary>Makes a new private calendar link; every feed link given out before stops working.</summary>
    public async Task<IActionResult> OnPostNewFeedAsync()
    {
        await Learner.RevokeFeedAsync();
        Notice = t["Here is your new private calendar link. The old one no longer works: subscribe to this one instead."];
        return RedirectToPage();
    }

    private ILearnerGrain Learner => grains.GetGrain<ILearnerGrain>(MyEmail());

    /// <summary>Cancels one of the person's own registrations; any other id matches nothing.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid registrationId, CancellationToken cancellationToken)
    {
        var mine = await registrations.ForEmailAsync(MyEmail(), cancellationToken);
        if (mine.SingleOrDefault(r => r.Id == registrationId && r.Status != RegistrationStatus.Cancelled) is not { } registration)
        {
            return NotFound();
        }

        await sessions.TryRunAsync(registration.SessionId, g => g.CancelAsync(registration.Id, cancellationToken), cancellationToken);
        Notice = t["Cancelled: {0}.", registration.SessionTitle];
        return RedirectToPage();
    }

    /// <summary>"Download my data": everything LearnHub holds about the signed-in person's email, as JSON.</summary>
    public async Task<IActionResult> OnGetDataAsync(CancellationToken cancellationToken) =>
        File(System.Text.Encoding.UTF8.GetBytes(await export.ExportJsonAsync(MyEmail(), cancellationToken)), "application/json", "learnhub-my-data.json");

    private string MyEmail() => Applicant.NormalizeEmail(User.FindFirstValue(ClaimTypes.Email) ?? "");
}
