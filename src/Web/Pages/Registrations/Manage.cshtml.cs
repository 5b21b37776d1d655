using LearnHub.Grains.Learners;
using LearnHub.Grains.Media;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Media;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Media;
using LearnHub.Web.Registrations;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Registrations;

/// <summary>
/// The private manage page: what the person came for first (each session, its time, how to join or where to go, add to
/// calendar), then their details, materials and calendar feed; cancelling is a secondary link to a confirmation page.
/// </summary>
[AllowAnonymous]
[Hosting.MultiLineFields("text")]
public sealed class ManageModel(ManageLinks links, IGrainFactory grains, SessionDirectory sessions, MediaPasses passes, CertificateStore certificates, CertificateKeys certificateKeys,
    LearnHubClock clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>Per registration: how to join or where to go, and how to add it to a calendar.</summary>
    public IReadOnlyDictionary<Guid, SessionAccess> Access { get; private set; } = new Dictionary<Guid, SessionAccess>();

    /// <summary>Per registration: the certificate it earned, with its keyed link.</summary>
    public IReadOnlyDictionary<Guid, (CertificateView Certificate, string Url)> Certificates { get; private set; } =
        new Dictionary<Guid, (CertificateView, string)>();

    /// <summary>
    /// Per confirmed registration: the session's handouts and recordings its registrants may open, each with a link
    /// that carries a short-lived pass (no account needed). Waiting or cancelled registrations get none.
    /// </summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<WatchedMedia>> Media { get; private set; } =
        new Dictionary<Guid, IReadOnlyList<WatchedMedia>>();

    /// <summary>
    /// Per confirmed Learning Exchange registration whose group holds no seat in the webinar: the webinar's title and
    /// the recordings and handouts its seat opens, to prepare with (issue 14).
    /// </summary>
    public IReadOnlyDictionary<Guid, (string Webinar, IReadOnlyList<WatchedMedia> Items)> WebinarMedia { get; private set; } =
        new Dictionary<Guid, (string, IReadOnlyList<WatchedMedia>)>();

    /// <summary>
    /// Per Learning Exchange registration (confirmed or waiting) whose exchange has not started: the question or case
    /// they bring (empty when none yet), editable here.
    /// </summary>
    public IReadOnlyDictionary<Guid, string> Preparations { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>The registration whose preparation was refused, with the reason and the text as typed.</summary>
    public (Guid RegistrationId, string Problem, string Text)? PreparationProblem { get; private set; }

    /// <summary>The registrations behind the link.</summary>
    public RegistrationGroupView? Group { get; private set; }

    /// <summary>The zone times are shown in.</summary>
    public string Zone { get; private set; } = "UTC";

    /// <summary>The registrant's private calendar feed.</summary>
    public string FeedUrl { get; private set; } = "";

    /// <summary>What the last action did, for the status message.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Shows the registrations.</summary>
    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken) =>
        await LoadAsync(token, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// Stores the question or case a registrant brings to a Learning Exchange (empty removes it); a refused one changes
    /// nothing and is shown again as typed, with the reason.
    /// </summary>
    public async Task<IActionResult> OnPostPreparationAsync(string token, Guid registration, string? text, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(token, cancellationToken) || Group!.Registrations.FirstOrDefault(r => r.Id == registration) is not { } mine)
        {
            return NotFound();
        }

        var answer = await grains.GetGrain<IExchangePreparationGrain>(mine.SessionId).SubmitAsync(registration, text);
        if (!answer.Saved)
        {
            PreparationProblem = (registration, Localization.Messages.Translate(answer.Problem!), text ?? "");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Notice = string.IsNullOrWhiteSpace(text)
            ? localizer["Your question or case for {0} is removed.", mine.SessionTitle]
            : localizer["Your question or case for {0} is saved. The facilitators will see it before the exchange.", mine.SessionTitle];
        return RedirectToPage(new { token });
    }

    /// <summary>
    /// Makes a new private calendar link: every feed link given out before (from this page, other manage links of the
    /// same email, or My learning) stops working.
    /// </summary>
    public async Task<IActionResult> OnPostNewFeedAsync(string token, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(token, cancellationToken))
        {
            return NotFound();
        }

        await Learner.RevokeFeedAsync();
        Notice = localizer["Here is your new private calendar link. The old one no longer works: subscribe to this one instead."];
        return RedirectToPage(new { token });
    }

    // An item's link carrying a short-lived pass for the registration whose seat opens it.
    private string PassUrl(Guid registrationId, MediaItem item)
    {
        var pass = Uri.EscapeDataString(passes.Issue(registrationId, item.Id));
        return item.Kind == MediaKind.Recording ? $"/recordings/{item.Id}?pass={pass}" : $"/media/{item.Id}?pass={pass}";
    }

    private ILearnerGrain Learner => grains.GetGrain<ILearnerGrain>(Applicant.NormalizeEmail(Group!.Registrations[0].Email));

    private async Task<bool> LoadAsync(string token, CancellationToken cancellationToken)
    {
        Group = await links.OpenAsync(token, cancellationToken);
        if (Group is null)
        {
            return false;
        }

        Response.Headers.CacheControl = "no-store";
        var lists = new Dictionary<Guid, IReadOnlyList<WatchedMedia>>();
        foreach (var r in Group.Registrations.Where(r => r.Status == RegistrationStatus.Confirmed))
        {
            // The same rule as the file URL itself, as that registration: what is listed is what the link opens.
            lists[r.Id] = await WatchedMediaLists.ForRegistrationAsync(grains, r.SessionId, r.Id, item => PassUrl(r.Id, item));
        }

        Media = lists;
        var webinarMedia = new Dictionary<Guid, (string, IReadOnlyList<WatchedMedia>)>();
        foreach (var r in Group.Registrations.Where(r => r.Status == RegistrationStatus.Confirmed && r.SessionKind == Grains.Catalog.SessionKind.LearningExchange))
        {
            if (await sessions.ViewAsync(r.SessionId, cancellationToken) is { WebinarId: { } webinar }
                && !Group.Registrations.Any(w => w.SessionId == webinar && w.Status == RegistrationStatus.Confirmed)
                && await sessions.ViewAsync(webinar, cancellationToken) is { } webinarView)
            {
                var items = await WatchedMediaLists.ForRegistrationAsync(grains, webinar, r.Id, item => PassUrl(r.Id, item));
                if (items.Count > 0)
                {
                    webinarMedia[r.Id] = (webinarView.Title, items);
                }
            }
        }

        WebinarMedia = webinarMedia;
        var preparations = new Dictionary<Guid, string>();
        var now = clock.GetUtcNow();
        foreach (var r in Group.Registrations.Where(r => r.Status != RegistrationStatus.Cancelled && r.SessionKind == Grains.Catalog.SessionKind.LearningExchange
                     && now < r.StartsAt))
        {
            preparations[r.Id] = (await grains.GetGrain<IExchangePreparationGrain>(r.SessionId).ForAsync(r.Id))?.Text ?? "";
        }

        Preparations = preparations;
        var earned = new Dictionary<Guid, (CertificateView, string)>();
        foreach (var r in Group.Registrations)
        {
            if (await certificates.LiveForRegistrationAsync(r.Id, cancellationToken) is { } certificate)
            {
                earned[r.Id] = (certificate, certificateKeys.Link("", certificate.Id));
            }
        }

        Certificates = earned;
        Access = await SessionAccess.ForAsync(Group.Registrations, sessions, clock.GetUtcNow(),
            r => $"/registrations/{token}/sessions/{r.SessionId}/event.ics", cancellationToken);
        Zone = ViewerTimeZone.Chosen(Request) ?? Group.Registrations[0].TimeZone;
        var version = (await Learner.PreferencesAsync()).FeedTokenVersion;
        FeedUrl = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/calendar/{links.FeedTokenFor(new RegistrationGroup(Group.GroupId, Group.Secret), version)}.ics";
        return true;
    }
}
