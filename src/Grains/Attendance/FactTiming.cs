using LearnHub.Grains.Time;

namespace LearnHub.Grains.Attendance;

/// <summary>
/// Facts about a session that cannot be true before it happens. Attendance (imported or checked in) is refused before
/// the session starts; "the recording is ready", the evaluation and the certificate mail wait for its end. Rules only:
/// the caller passes the session's times and its clock's "now".
/// </summary>
public static class FactTiming
{
    /// <summary>
    /// Why attendance cannot be recorded yet (a sentence for the organizer that says when it can), or null once the
    /// session has started.
    /// </summary>
    public static string? AttendanceRefusal(string title, DateTimeOffset startsAt, string timeZone, DateTimeOffset now) =>
        now < startsAt
            ? $"“{title}” has not started yet: attendance can be recorded from its start, {ZonedTime.Start(startsAt, timeZone)}. Nothing changed."
            : null;

    /// <summary>
    /// When a mail about what happened at the session may go out: its end while it has not ended, else null (now).
    /// </summary>
    public static DateTimeOffset? NotBeforeEnd(DateTimeOffset endsAt, DateTimeOffset now) => now < endsAt ? endsAt : null;
}
