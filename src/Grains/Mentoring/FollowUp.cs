namespace LearnHub.Grains.Mentoring;

/// <summary>Where one monthly follow-up stands.</summary>
public enum FollowUpState
{
    /// <summary>Not yet held: upcoming, due or overdue depending on the date.</summary>
    Pending,

    /// <summary>Logged by the mentor.</summary>
    Done,

    /// <summary>Skipped by the mentor, with a reason.</summary>
    Skipped,

    /// <summary>Was due, never held, and the mentorship ended.</summary>
    Missed,

    /// <summary>Would have fallen due after the mentorship ended: it never will.</summary>
    Cancelled,
}

/// <summary>How follow-up states are named to people.</summary>
public static class FollowUpStates
{
    /// <summary>The label a page or an export shows ("Logged", not "Done").</summary>
    public static string Label(this FollowUpState state) => state switch
    {
        FollowUpState.Pending => "Not yet held",
        FollowUpState.Done => "Logged",
        FollowUpState.Skipped => "Skipped",
        FollowUpState.Missed => "Missed",
        FollowUpState.Cancelled => "Cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown follow-up state."),
    };
}

/// <summary>
/// One occurrence of a mentorship's monthly follow-up: the <see cref="Number"/>th month, on the date the schedule gives
/// (<see cref="ScheduledOn"/>) unless the mentor moved it (<see cref="DueOn"/>, with a reason). Only a pending one changes:
/// logging marks it done, the mentor may move or skip it, and ending the mentorship closes it.
/// </summary>
public sealed class FollowUp
{
    /// <summary>Longest accepted reason for moving or skipping a follow-up.</summary>
    public const int MaxReason = 500;

    /// <summary>How far ahead of today a follow-up may be moved: the next month's has its own date.</summary>
    public const int MaxRescheduleDays = 62;

    /// <summary>A follow-up held up to this many days before its due date still counts as that month's.</summary>
    public const int EarlyDays = 14;

    /// <summary>Rebuilds an occurrence.</summary>
    public FollowUp(Guid mentorshipId, int number, DateOnly scheduledOn, DateOnly dueOn, FollowUpState state = FollowUpState.Pending, string? reason = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        MentorshipId = mentorshipId;
        Number = number;
        ScheduledOn = scheduledOn;
        DueOn = dueOn;
        State = state;
        Reason = reason;
    }

    /// <summary>The <paramref name="number"/>th follow-up of a mentorship, on its scheduled date.</summary>
    public static FollowUp Plan(Mentorship mentorship, int number)
    {
        ArgumentNullException.ThrowIfNull(mentorship);
        var date = FollowUpSchedule.DueDate(mentorship.AssignedOn, number);
        return new FollowUp(mentorship.Id, number, date, date);
    }

    /// <summary>The mentorship it belongs to.</summary>
    public Guid MentorshipId { get; }

    /// <summary>Which month of the mentorship (1 = a month after assignment).</summary>
    public int Number { get; }

    /// <summary>The date the monthly schedule gives.</summary>
    public DateOnly ScheduledOn { get; }

    /// <summary>The date it is due now: the scheduled one, or where the mentor moved it.</summary>
    public DateOnly DueOn { get; private set; }

    /// <summary>Where it stands.</summary>
    public FollowUpState State { get; private set; }

    /// <summary>Why it was moved or skipped, if it was.</summary>
    public string? Reason { get; private set; }

    /// <summary>The month it is the follow-up of ("December 2026"): its scheduled month, even when moved or held early.</summary>
    public string Month => ScheduledOn.ToString("MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-US"));

    /// <summary>The first day a meeting counts for it when logged without naming a follow-up (see <see cref="CompletedBy"/>).</summary>
    public DateOnly CountsFrom => DueOn.AddDays(-EarlyDays);

    /// <summary>The instant it falls due in the mentor's zone.</summary>
    public DateTimeOffset DueAt(TimeZoneInfo mentorZone) => FollowUpSchedule.DueAt(DueOn, mentorZone);

    /// <summary>True when it is pending and its date has come (today included).</summary>
    public bool IsDue(DateOnly today) => State == FollowUpState.Pending && DueOn <= today;

    /// <summary>True when it is pending and its date has passed.</summary>
    public bool IsOverdue(DateOnly today) => State == FollowUpState.Pending && DueOn < today;

    /// <summary>Why moving it to <paramref name="to"/> is refused, keyed by field; empty when it may be moved.</summary>
    public IReadOnlyDictionary<string, string> RescheduleProblems(DateOnly to, string? reason, DateOnly today)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (to < today)
        {
            problems["dueOn"] = "Choose today or a later date: a follow-up is moved to when it will happen.";
        }
        else if (to > today.AddDays(MaxRescheduleDays))
        {
            problems["dueOn"] = $"Choose a date within {MaxRescheduleDays} days; later months have follow-ups of their own.";
        }
        else if (to == DueOn)
        {
            problems["dueOn"] = "That is already its date: choose another.";
        }

        ReasonProblem(reason, problems);
        return problems;
    }

    /// <summary>Moves it to another date, with a reason. Only a pending follow-up moves, and only without problems.</summary>
    public void Reschedule(DateOnly to, string reason, DateOnly today)
    {
        RequirePending("be moved");
        var problems = RescheduleProblems(to, reason, today);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems.Values));
        }

        DueOn = to;
        Reason = reason.Trim();
    }

    /// <summary>Why skipping it is refused; empty when it may be skipped.</summary>
    public static IReadOnlyDictionary<string, string> SkipProblems(string? reason)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        ReasonProblem(reason, problems);
        return problems;
    }

    /// <summary>Skips it, with a reason; it is no longer due and nobody is reminded of it.</summary>
    public void Skip(string reason)
    {
        RequirePending("be skipped");
        if (SkipProblems(reason).Count > 0)
        {
            throw new DomainException("A follow-up is skipped with a reason (1 to 500 characters).");
        }

        State = FollowUpState.Skipped;
        Reason = reason.Trim();
    }

    /// <summary>Marks it held: a follow-up was logged for it.</summary>
    public void MarkDone()
    {
        RequirePending("be logged");
        State = FollowUpState.Done;
    }

    /// <summary>
    /// Closes it because the mentorship ended on <paramref name="endedOn"/>: one that was due by then and never held is
    /// missed, a later one is cancelled.
    /// </summary>
    public void CloseForEnd(DateOnly endedOn)
    {
        RequirePending("close with its mentorship");
        State = DueOn <= endedOn ? FollowUpState.Missed : FollowUpState.Cancelled;
    }

    /// <summary>
    /// The pending follow-up a meeting held on <paramref name="heldOn"/> completes: the earliest one due no more than
    /// <see cref="EarlyDays"/> days after it. Null when none is (an extra meeting, logged without completing a month).
    /// </summary>
    public static FollowUp? CompletedBy(IEnumerable<FollowUp> followUps, DateOnly heldOn) =>
        followUps.Where(f => f.State == FollowUpState.Pending && f.DueOn <= heldOn.AddDays(EarlyDays)).MinBy(f => (f.DueOn, f.Number));

    private void RequirePending(string asked)
    {
        if (State != FollowUpState.Pending)
        {
            throw DomainException.InvalidTransition($"Follow-up {Number} of mentorship {MentorshipId}", State, asked);
        }
    }

    private static void ReasonProblem(string? reason, Dictionary<string, string> problems)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReason)
        {
            problems["reason"] = $"Give a reason (1 to {MaxReason} characters).";
        }
    }
}

/// <summary>The emails a pending follow-up causes, in order.</summary>
public enum FollowUpAlert
{
    /// <summary>To the mentor, when it falls due.</summary>
    Due,

    /// <summary>To the mentor, after it has been overdue for a while.</summary>
    Overdue,

    /// <summary>To the coordinators, after it has been overdue for longer.</summary>
    Escalation,
}

/// <summary>
/// When a pending follow-up's emails go out: at its due instant, <see cref="OverdueAfter"/> later a reminder to the
/// mentor, <see cref="EscalateAfter"/> later an escalation to the coordinators. A run that comes late (no silo ran)
/// sends only the most advanced email whose time has come: a mentor does not get "due" and "overdue" in one minute.
/// </summary>
public sealed record FollowUpAlertPolicy(TimeSpan OverdueAfter, TimeSpan EscalateAfter)
{
    /// <summary>Why the policy cannot be used; empty when it can.</summary>
    public IEnumerable<string> Problems()
    {
        if (OverdueAfter <= TimeSpan.Zero)
        {
            yield return "The overdue reminder must come after the due date (at least one day).";
        }

        if (EscalateAfter <= OverdueAfter)
        {
            yield return "The escalation must come after the overdue reminder.";
        }
    }

    /// <summary>When <paramref name="alert"/> is due for a follow-up due at <paramref name="dueAt"/>.</summary>
    public DateTimeOffset At(FollowUpAlert alert, DateTimeOffset dueAt) => alert switch
    {
        FollowUpAlert.Due => dueAt,
        FollowUpAlert.Overdue => dueAt + OverdueAfter,
        FollowUpAlert.Escalation => dueAt + EscalateAfter,
        _ => throw new ArgumentOutOfRangeException(nameof(alert), alert, "Unknown alert."),
    };

    /// <summary>
    /// A run at <paramref name="now"/> for a follow-up whose next alert is <paramref name="next"/>: the alert to send
    /// (null if its time has not come) and the one after it (null after the escalation).
    /// </summary>
    public (FollowUpAlert? Send, FollowUpAlert? Next) Fire(FollowUpAlert next, DateTimeOffset dueAt, DateTimeOffset now)
    {
        if (now < At(next, dueAt))
        {
            return (null, next);
        }

        var send = next;
        while (send < FollowUpAlert.Escalation && now >= At(send + 1, dueAt))
        {
            send++;
        }

        return (send, send == FollowUpAlert.Escalation ? null : send + 1);
    }
}
