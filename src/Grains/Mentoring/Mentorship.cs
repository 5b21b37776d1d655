using LearnHub.Grains.Time;

namespace LearnHub.Grains.Mentoring;

/// <summary>Where a mentorship stands.</summary>
public enum MentorshipStatus
{
    /// <summary>Follow-ups are due monthly.</summary>
    Active,

    /// <summary>Ended as planned.</summary>
    Completed,

    /// <summary>Ended early by the mentee or the programme.</summary>
    Withdrawn,

    /// <summary>Ended because the mentee moved to another mentor.</summary>
    Reassigned,
}

/// <summary>How mentorship states are named to people: words, never the enum's names.</summary>
public static class MentorshipStatuses
{
    /// <summary>The label a page, an email or an export shows.</summary>
    public static string Label(this MentorshipStatus status) => status switch
    {
        MentorshipStatus.Active => "Active",
        MentorshipStatus.Completed => "Completed",
        MentorshipStatus.Withdrawn => "Withdrawn",
        MentorshipStatus.Reassigned => "Reassigned to another mentor",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown mentorship status."),
    };
}

/// <summary>
/// The monthly rhythm of a mentorship: one follow-up a month from the assignment date, on the same day of the month in
/// the mentor's time zone; a day the month lacks (the 31st, the 29th in February) becomes the month's last day. Every
/// date is computed from the assignment date, never from the previous follow-up, so January 31 gives February 28 and
/// then March 31 again, not March 28.
/// </summary>
public static class FollowUpSchedule
{
    /// <summary>The local time of day a follow-up falls due in the mentor's zone (the reminder goes out then).</summary>
    public static readonly TimeOnly DueTime = new(9, 0);

    /// <summary>The date of the <paramref name="number"/>th follow-up (1 = a month after assignment).</summary>
    public static DateOnly DueDate(DateOnly assignedOn, int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        // DateOnly.AddMonths keeps the day where the month has it and takes the month's last day where it does not.
        return assignedOn.AddMonths(number);
    }

    /// <summary>The instant a local date falls due in the mentor's zone (see <see cref="ZonedTime.AtLocal"/>).</summary>
    public static DateTimeOffset DueAt(DateOnly date, TimeZoneInfo zone, TimeOnly? at = null) => ZonedTime.AtLocal(date, at ?? DueTime, zone);
}

/// <summary>
/// One mentor and one mentee: the state the mentorship grain guards. Follow-ups are due monthly while it is active;
/// ending it (completed, withdrawn, reassigned) stops every follow-up after the end date.
/// </summary>
public sealed class Mentorship
{
    /// <summary>Creates or rebuilds a mentorship.</summary>
    public Mentorship(Guid id, Guid mentorId, Guid menteeId, DateOnly assignedOn, string mentorTimeZone,
        MentorshipStatus status = MentorshipStatus.Active, DateOnly? endedOn = null)
    {
        if (!Time.Zones.TryFind(mentorTimeZone, out _))
        {
            throw new DomainException($"'{mentorTimeZone}' is not an IANA time-zone id.");
        }

        if (mentorId == menteeId)
        {
            throw new DomainException("A person cannot mentor themselves.");
        }

        Id = id;
        MentorId = mentorId;
        MenteeId = menteeId;
        AssignedOn = assignedOn;
        MentorTimeZone = mentorTimeZone;
        Status = status;
        EndedOn = endedOn;
    }

    /// <summary>The mentorship's id.</summary>
    public Guid Id { get; }

    /// <summary>The mentor's account.</summary>
    public Guid MentorId { get; }

    /// <summary>The mentee's account.</summary>
    public Guid MenteeId { get; }

    /// <summary>The assignment date in the mentor's zone: the day of the month follow-ups keep.</summary>
    public DateOnly AssignedOn { get; }

    /// <summary>The mentor's IANA zone, in which follow-ups fall due.</summary>
    public string MentorTimeZone { get; }

    /// <summary>Where it stands.</summary>
    public MentorshipStatus Status { get; private set; }

    /// <summary>When it ended, if it did.</summary>
    public DateOnly? EndedOn { get; private set; }

    /// <summary>The follow-up dates due from the assignment up to and including <paramref name="through"/>.</summary>
    public IReadOnlyList<DateOnly> FollowUpsThrough(DateOnly through)
    {
        var last = EndedOn is { } ended && ended < through ? ended : through;
        var dates = new List<DateOnly>();
        for (var n = 1; FollowUpSchedule.DueDate(AssignedOn, n) is var due && due <= last; n++)
        {
            dates.Add(due);
        }

        return dates;
    }

    /// <summary>The first follow-up due after <paramref name="after"/>, or null once the mentorship has ended.</summary>
    public DateOnly? NextFollowUpAfter(DateOnly after)
    {
        for (var n = 1; ; n++)
        {
            var due = FollowUpSchedule.DueDate(AssignedOn, n);
            if (EndedOn is { } ended && due > ended)
            {
                return null;
            }

            if (due > after)
            {
                return due;
            }
        }
    }

    /// <summary>Ends the mentorship on a date; its later follow-ups are no longer due.</summary>
    public void End(MentorshipStatus how, DateOnly on)
    {
        if (Status != MentorshipStatus.Active)
        {
            throw DomainException.InvalidTransition($"Mentorship {Id}", Status, $"end as {how}");
        }

        if (how == MentorshipStatus.Active)
        {
            throw new DomainException("A mentorship ends as completed, withdrawn or reassigned.");
        }

        if (on < AssignedOn)
        {
            throw new DomainException($"Mentorship {Id} cannot end ({on}) before it was assigned ({AssignedOn}).");
        }

        Status = how;
        EndedOn = on;
    }
}

/// <summary>How a follow-up took place.</summary>
public enum FollowUpMode
{
    /// <summary>By phone.</summary>
    Phone,

    /// <summary>By video call.</summary>
    Video,

    /// <summary>Face to face.</summary>
    InPerson,
}

/// <summary>How follow-up modes are named to people: never the enum's own names ("InPerson").</summary>
public static class FollowUpModes
{
    /// <summary>Every mode, in the order forms list them.</summary>
    public static readonly IReadOnlyList<FollowUpMode> All = [FollowUpMode.Phone, FollowUpMode.Video, FollowUpMode.InPerson];

    /// <summary>The label a page or an email shows.</summary>
    public static string Label(this FollowUpMode mode) => mode switch
    {
        FollowUpMode.Phone => "Phone",
        FollowUpMode.Video => "Video call",
        FollowUpMode.InPerson => "In person",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown follow-up mode."),
    };
}

/// <summary>A logged follow-up, validated: not in the future, a positive duration of at most a working day.</summary>
public sealed record FollowUpLog(DateOnly HeldOn, FollowUpMode Mode, int DurationMinutes, IReadOnlyList<string> Topics, string Notes, string NextSteps)
{
    /// <summary>Topics a follow-up can cover.</summary>
    public static readonly IReadOnlyList<string> KnownTopics = ["workload", "secondary trauma", "self-care", "resources", "other"];

    /// <summary>The problems that stop it being logged, keyed by field; empty when it can be.</summary>
    public IReadOnlyDictionary<string, string> Problems(DateOnly todayInMentorZone, DateOnly assignedOn)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HeldOn > todayInMentorZone)
        {
            problems["heldOn"] = "A follow-up cannot be logged for a date in the future.";
        }
        else if (HeldOn < assignedOn)
        {
            problems["heldOn"] = "A follow-up cannot be dated before the mentorship began.";
        }

        if (DurationMinutes is <= 0 or > 480)
        {
            problems["durationMinutes"] = "Enter how long it took, in minutes (1 to 480).";
        }

        if (Topics.Any(t => !KnownTopics.Contains(t)))
        {
            problems["topics"] = $"Topics are: {string.Join(", ", KnownTopics)}.";
        }

        if (Notes.Length > 10_000 || NextSteps.Length > 2_000)
        {
            problems["notes"] = "Notes are limited to 10,000 characters and next steps to 2,000.";
        }

        return problems;
    }
}
