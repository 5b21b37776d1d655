using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace LearnHub.Silo.Messaging;

/// <summary>What an invite describes.</summary>
public sealed record InviteEvent(
    Guid SessionId,
    long Sequence,
    string Title,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string? Location,
    bool Cancelled,
    DateTimeOffset Stamp);

/// <summary>
/// RFC 5545 invites built with Ical.Net: one UID per session (so every update and cancellation replaces the same event
/// in the attendee's calendar), SEQUENCE raised on each change, DTSTART/DTEND in the session's zone with its VTIMEZONE.
/// </summary>
public static class Invites
{
    /// <summary>The UID every invite of a session carries.</summary>
    public static string Uid(Guid sessionId) => $"session-{sessionId}@learnhub";

    /// <summary>A METHOD:REQUEST (or CANCEL) invite for one attendee.</summary>
    public static CalendarPart ForAttendee(InviteEvent e, string organizerEmail, string organizerName, string attendeeEmail, string attendeeName)
    {
        ArgumentNullException.ThrowIfNull(e);
        var method = e.Cancelled ? "CANCEL" : "REQUEST";
        var calendar = Calendar(method, [e]);
        var ev = calendar.Events.Single();
        ev.Organizer = new Organizer($"mailto:{organizerEmail}") { CommonName = organizerName };
        ev.Attendees.Add(new Attendee($"mailto:{attendeeEmail}")
        {
            CommonName = attendeeName,
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = e.Cancelled ? "DECLINED" : "ACCEPTED",
            Rsvp = false,
        });
        return new CalendarPart(method, new CalendarSerializer().SerializeToString(calendar)!);
    }

    /// <summary>A METHOD:PUBLISH calendar of many events (subscribable feeds).</summary>
    public static string Feed(IEnumerable<InviteEvent> events) => new CalendarSerializer().SerializeToString(Calendar("PUBLISH", events))!;

    private static Calendar Calendar(string method, IEnumerable<InviteEvent> events)
    {
        var calendar = new Calendar { Method = method, ProductId = "-//LearnHub//Webinar series//EN" };
        foreach (var zone in events.Select(e => e.TimeZone).Distinct(StringComparer.Ordinal))
        {
            calendar.AddTimeZone(zone);
        }

        foreach (var e in events)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(e.TimeZone);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = Uid(e.SessionId),
                Sequence = checked((int)e.Sequence),
                Summary = e.Title,
                Description = e.Description,
                Location = e.Location,
                DtStart = new CalDateTime(TimeZoneInfo.ConvertTime(e.StartsAt, zone).DateTime, e.TimeZone, true),
                DtEnd = new CalDateTime(TimeZoneInfo.ConvertTime(e.EndsAt, zone).DateTime, e.TimeZone, true),
                DtStamp = new CalDateTime(DateTime.SpecifyKind(e.Stamp.UtcDateTime, DateTimeKind.Utc), "UTC", true),
                Status = e.Cancelled ? "CANCELLED" : "CONFIRMED",
                Transparency = "OPAQUE",
            });
        }

        return calendar;
    }
}
