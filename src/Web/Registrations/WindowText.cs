using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Registrations;

/// <summary>
/// The sentence pages show about a session's registration window, in a zone the reader chose. Each sentence is one
/// key (never fragments), so a translation can order its parts; without a localizer it is English (the audit log's).
/// </summary>
public static class WindowText
{
    /// <summary>"Opens Monday … · closes …", or how registration runs without a window, in English.</summary>
    public static string Of(SessionView session, string zone) => Of(session, zone, null);

    /// <summary>"Opens Monday … · closes …", or how registration runs without a window, in the localizer's language.</summary>
    public static string Of(SessionView session, string zone, IStringLocalizer? localizer)
    {
        ArgumentNullException.ThrowIfNull(session);
        var opens = session.RegistrationOpensAt is { } o ? ZonedTime.Start(o, zone) : null;
        var closes = session.RegistrationClosesAt is { } c ? ZonedTime.Start(c, zone) : null;
        return (opens, closes) switch
        {
            (not null, not null) => Say(localizer, "Registration opens {0}; closes {1}.", opens, closes),
            (not null, null) => Say(localizer, "Registration opens {0}; closes when the session starts.", opens),
            (null, not null) => Say(localizer, "Registration open once published; closes {0}.", closes),
            _ => Say(localizer, "Registration open once published; closes when the session starts."),
        };
    }

    /// <summary>For the public page: why registration is not open now, or null while it is.</summary>
    public static string? Closed(SessionView session, DateTimeOffset now, string zone, IStringLocalizer? localizer = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.IsOpenAt(now))
        {
            return null;
        }

        return session.Cancelled ? Say(localizer, "This session has been cancelled.")
            : session.StartsAt <= now ? Say(localizer, "Registration has closed: this session has already started.")
            : session.RegistrationClosedByOrganizer ? Say(localizer, "Registration for this session has been closed by the organizer.")
            : session.OpensLater(now) ? Say(localizer, "Registration opens {0}.", ZonedTime.Start(session.RegistrationOpensAt!.Value, zone))
            : session.RegistrationClosesAt is { } closed && now >= closed ? Say(localizer, "Registration closed {0}.", ZonedTime.Start(closed, zone))
            : Say(localizer, "This session is not open for registration.");
    }

    /// <summary>The sentence in the localizer's language, or the English key filled in when there is none.</summary>
    internal static string Say(IStringLocalizer? localizer, string english, params object[] arguments) =>
        localizer is null
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, english, arguments)
            : localizer[english, arguments];
}
