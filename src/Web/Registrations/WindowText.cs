using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;

namespace LearnHub.Web.Registrations;

/// <summary>The sentence pages show about a session's registration window, in a zone the reader chose.</summary>
public static class WindowText
{
    /// <summary>"Opens Monday … · closes …", or how registration runs without a window.</summary>
    public static string Of(SessionView session, string zone)
    {
        ArgumentNullException.ThrowIfNull(session);
        var opens = session.RegistrationOpensAt is { } o ? $"opens {ZonedTime.Start(o, zone)}" : "open once published";
        var closes = session.RegistrationClosesAt is { } c ? $"closes {ZonedTime.Start(c, zone)}" : "closes when the session starts";
        return $"Registration {opens}; {closes}.";
    }

    /// <summary>For the public page: why registration is not open now, or null while it is.</summary>
    public static string? Closed(SessionView session, DateTimeOffset now, string zone)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.IsOpenAt(now))
        {
            return null;
        }

        return session.Cancelled ? "This session has been cancelled."
            : session.StartsAt <= now ? "Registration has closed: this session has already started."
            : session.RegistrationClosedByOrganizer ? "Registration for this session has been closed by the organizer."
            : session.OpensLater(now) ? $"Registration opens {ZonedTime.Start(session.RegistrationOpensAt!.Value, zone)}."
            : session.RegistrationClosesAt is { } closed && now >= closed ? $"Registration closed {ZonedTime.Start(closed, zone)}."
            : "This session is not open for registration.";
    }
}
