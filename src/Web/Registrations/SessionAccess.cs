using System.Globalization;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;

namespace LearnHub.Web.Registrations;

/// <summary>Where a registrant stands with joining a session, as their pages show it.</summary>
public enum JoinState
{
    /// <summary>Nothing to join: not a held seat, an in-person session, cancelled, or over.</summary>
    None,

    /// <summary>A held seat in an online session that has no join link yet: the page says when it will come.</summary>
    LinkPending,

    /// <summary>The link exists; the session is more than <see cref="SessionAccess.JoinOpensBefore"/> away.</summary>
    LinkReady,

    /// <summary>From <see cref="SessionAccess.JoinOpensBefore"/> before the start to the end: a prominent "Join" button.</summary>
    JoinNow,
}

/// <summary>
/// What a registrant needs to take part in one session: how to join (or where to go) and how to put it in a calendar.
/// Shown on the confirmation page, the manage page and My learning, computed with the injected clock.
/// </summary>
public sealed record SessionAccess(RegistrationView Registration, SessionView Session, JoinState Join, string IcsUrl)
{
    /// <summary>How long before the start the "Join" button takes the lead.</summary>
    public static readonly TimeSpan JoinOpensBefore = TimeSpan.FromMinutes(15);

    /// <summary>The join state of a registration at <paramref name="now"/>.</summary>
    public static JoinState JoinAt(RegistrationView registration, SessionView session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(session);
        if (registration.Status != RegistrationStatus.Confirmed || session.Cancelled || session.Kind == SessionKind.InPersonTraining
            || now >= session.EndsAt)
        {
            return JoinState.None;
        }

        if (string.IsNullOrEmpty(session.JoinUrl))
        {
            return JoinState.LinkPending;
        }

        return now >= session.StartsAt - JoinOpensBefore ? JoinState.JoinNow : JoinState.LinkReady;
    }

    /// <summary>Where the event takes place, as one line for calendars: the venue and address, or the join link for a held seat.</summary>
    public string? Location => Session.Venue is not null
        ? string.Join(", ", new[] { Session.Venue, Session.VenueAddress?.ReplaceLineEndings(", "), Session.City }.Where(p => !string.IsNullOrWhiteSpace(p)))
        : Join is JoinState.LinkReady or JoinState.JoinNow ? Session.JoinUrl : null;

    /// <summary>Google Calendar's "add event" template for this session (times in UTC).</summary>
    public string GoogleUrl =>
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        + $"&text={Uri.EscapeDataString(Session.Title)}"
        + $"&dates={Compact(Session.StartsAt)}/{Compact(Session.EndsAt)}"
        + $"&ctz={Uri.EscapeDataString(Session.TimeZone)}"
        + (Location is { } where ? $"&location={Uri.EscapeDataString(where)}" : "");

    /// <summary>Outlook on the web's compose form: <paramref name="host"/> is outlook.live.com (personal) or outlook.office.com (work).</summary>
    public string OutlookUrl(string host) =>
        $"https://{host}/calendar/0/action/compose?rru=addevent"
        + $"&subject={Uri.EscapeDataString(Session.Title)}"
        + $"&startdt={Uri.EscapeDataString(Session.StartsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}"
        + $"&enddt={Uri.EscapeDataString(Session.EndsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}"
        + (Location is { } where ? $"&location={Uri.EscapeDataString(where)}" : "");

    /// <summary>A feed URL as a <c>webcal:</c> link, which calendar apps open as a subscription.</summary>
    public static string Webcal(string feedUrl)
    {
        ArgumentNullException.ThrowIfNull(feedUrl);
        var scheme = feedUrl.IndexOf("://", StringComparison.Ordinal);
        return scheme < 0 ? feedUrl : "webcal" + feedUrl[scheme..];
    }

    /// <summary>
    /// The access of each registration (by registration id) at <paramref name="now"/>, reading each session's view from
    /// its grain; a registration whose session is gone has none.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, SessionAccess>> ForAsync(IEnumerable<RegistrationView> registrations, SessionDirectory sessions,
        DateTimeOffset now, Func<RegistrationView, string> icsUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(icsUrl);
        var access = new Dictionary<Guid, SessionAccess>();
        foreach (var r in registrations)
        {
            if (await sessions.ViewAsync(r.SessionId, cancellationToken) is { } session)
            {
                access[r.Id] = new SessionAccess(r, session, JoinAt(r, session, now), icsUrl(r));
            }
        }

        return access;
    }

    private static string Compact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
