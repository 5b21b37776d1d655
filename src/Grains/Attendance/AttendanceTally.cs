using System.Globalization;
using System.Text;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Attendance;

/// <summary>A session's scheduled start and end, which every minute of attendance is counted inside.</summary>
public sealed record SessionWindow(DateTimeOffset Starts, DateTimeOffset Ends)
{
    /// <summary>The session's length in whole minutes.</summary>
    public int Minutes => (int)Math.Max(0, Math.Floor((Ends - Starts).TotalMinutes));
}

/// <summary>A live (not cancelled) registration of the session, as the import matches report rows to it.</summary>
public sealed record AttendanceRegistrant(Guid RegistrationId, string Name, string Email, bool Waitlisted);

/// <summary>One registrant's attendance as a report shows it.</summary>
/// <param name="RegistrationId">The registration.</param>
/// <param name="Name">The registrant's name (as registered).</param>
/// <param name="Email">The registrant's email (normalized).</param>
/// <param name="Minutes">Whole minutes inside the session.</param>
/// <param name="Attended">Whether the minutes reach the series' threshold.</param>
/// <param name="Lines">The report lines counted for this person.</param>
public sealed record PersonAttendance(Guid RegistrationId, string Name, string Email, int Minutes, bool Attended, IReadOnlyList<int> Lines);

/// <summary>A report row that was not counted, with its line, name and email as written.</summary>
public sealed record SetAsideRow(int Line, string Name, string Email);

/// <summary>A row without an email: never guessed; the registrants whose name it matches, if any, are listed for the organizer.</summary>
public sealed record AmbiguousRow(int Line, string Name, IReadOnlyList<string> Candidates);

/// <summary>
/// A registrant in the report whose attendance an organizer had recorded by hand (a check-in, perhaps with a reason
/// such as "joined by phone"): the import leaves it as it is and lists it here, with the report's figures beside it,
/// for the organizer to settle by hand.
/// </summary>
/// <param name="RegistrationId">The registration.</param>
/// <param name="Name">The registrant's name (as registered).</param>
/// <param name="Email">The registrant's email (normalized).</param>
/// <param name="Minutes">The minutes recorded by hand, which stay.</param>
/// <param name="Attended">Whether they attended, as recorded by hand.</param>
/// <param name="Reason">The reason given with the last change by hand, if any.</param>
/// <param name="ReportMinutes">The minutes the report shows.</param>
/// <param name="ReportAttended">Whether those minutes reach the threshold.</param>
public sealed record KeptByHand(Guid RegistrationId, string Name, string Email, int Minutes, bool Attended, string Reason, int ReportMinutes, bool ReportAttended);

/// <summary>What an import found: minutes per matched registrant, and every row that was not counted and why.</summary>
/// <param name="RowsRead">Participant rows in the report.</param>
/// <param name="SessionMinutes">The session's length in minutes.</param>
/// <param name="ThresholdPercent">The share of the session a person must attend (the series' setting).</param>
/// <param name="People">Matched registrants with seats, by name.</param>
/// <param name="Unmatched">Rows whose email belongs to no live registration of the session.</param>
/// <param name="Ambiguous">Rows without an email.</param>
/// <param name="Waitlisted">Rows of people who were on the waitlist, not holding a seat: reported, not counted.</param>
public sealed record AttendanceReport(int RowsRead, int SessionMinutes, int ThresholdPercent, IReadOnlyList<PersonAttendance> People,
    IReadOnlyList<SetAsideRow> Unmatched, IReadOnlyList<AmbiguousRow> Ambiguous, IReadOnlyList<SetAsideRow> Waitlisted)
{
    /// <summary>
    /// People of <see cref="People"/> whose attendance was recorded by hand and was left so (the importer fills this
    /// in: the tally alone does not know what is stored).
    /// </summary>
    public IReadOnlyList<KeptByHand> KeptByHand { get; init; } = [];
}

/// <summary>
/// Turns report rows into minutes per registrant. Matching is by normalized email only: a row without an email is
/// ambiguous, never matched by name. Minutes are the union of a person's join–leave intervals clipped to the session,
/// so rejoins and a second device count once; rows giving only a duration add that duration; the total never exceeds
/// the session's length. Seconds are dropped: a person has the whole minutes they were there.
/// </summary>
public static class AttendanceTally
{
    /// <summary>Whether <paramref name="minutes"/> reach <paramref name="thresholdPercent"/> of a session of <paramref name="sessionMinutes"/>.</summary>
    public static bool Attended(int minutes, int sessionMinutes, int thresholdPercent)
    {
        if (thresholdPercent is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdPercent), thresholdPercent, "The threshold is a percentage from 1 to 100.");
        }

        return sessionMinutes > 0 && minutes * 100L >= (long)thresholdPercent * sessionMinutes;
    }

    /// <summary>Tallies a report's rows against the session's live registrations.</summary>
    public static AttendanceReport Tally(IReadOnlyList<ParticipantRow> rows, SessionWindow window, int thresholdPercent, IReadOnlyCollection<AttendanceRegistrant> registrants)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(registrants);
        var byEmail = registrants.GroupBy(r => Applicant.NormalizeEmail(r.Email)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var matched = new Dictionary<Guid, List<ParticipantRow>>();
        var unmatched = new List<SetAsideRow>();
        var ambiguous = new List<AmbiguousRow>();
        var waitlisted = new List<SetAsideRow>();
        foreach (var row in rows)
        {
            if (row.Email is null)
            {
                var names = NameForms(row.Name);
                var candidates = registrants.Where(r => !r.Waitlisted && NameForms(r.Name).Overlaps(names))
                    .OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => $"{r.Name} <{r.Email}>").ToList();
                ambiguous.Add(new AmbiguousRow(row.Line, row.Name, candidates));
            }
            else if (!byEmail.TryGetValue(Applicant.NormalizeEmail(row.Email), out var registrant))
            {
                unmatched.Add(new SetAsideRow(row.Line, row.Name, row.Email));
            }
            else if (registrant.Waitlisted)
            {
                waitlisted.Add(new SetAsideRow(row.Line, row.Name, row.Email));
            }
            else
            {
                if (!matched.TryGetValue(registrant.RegistrationId, out var list))
                {
                    matched[registrant.RegistrationId] = list = [];
                }

                list.Add(row);
            }
        }

        var byId = registrants.ToDictionary(r => r.RegistrationId);
        var people = matched.Select(m =>
            {
                var registrant = byId[m.Key];
                var minutes = Minutes(m.Value, window);
                return new PersonAttendance(m.Key, registrant.Name, Applicant.NormalizeEmail(registrant.Email), minutes, Attended(minutes, window.Minutes, thresholdPercent),
                    m.Value.Select(r => r.Line).ToList());
            })
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Email, StringComparer.Ordinal).ToList();
        return new AttendanceReport(rows.Count, window.Minutes, thresholdPercent, people, unmatched, ambiguous, waitlisted);
    }

    /// <summary>
    /// Whole minutes of one person inside the window: the union of their intervals, plus the durations of rows that
    /// give only a duration, at most the session's length.
    /// </summary>
    public static int Minutes(IEnumerable<ParticipantRow> rows, SessionWindow window)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(window);
        var intervals = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var durationsOnly = TimeSpan.Zero;
        foreach (var row in rows)
        {
            if (row.Joined is { } joined && row.Left is { } left)
            {
                var from = joined < window.Starts ? window.Starts : joined;
                var to = left > window.Ends ? window.Ends : left;
                if (to > from)
                {
                    intervals.Add((from, to));
                }
            }
            else if (row.Duration is { } duration)
            {
                durationsOnly += duration;
            }
        }

        var covered = TimeSpan.Zero;
        DateTimeOffset? runFrom = null, runTo = null;
        foreach (var (from, to) in intervals.OrderBy(i => i.From))
        {
            if (runTo is { } end && from <= end)
            {
                runTo = to > end ? to : end;
                continue;
            }

            if (runFrom is { } start)
            {
                covered += runTo!.Value - start;
            }

            (runFrom, runTo) = (from, to);
        }

        if (runFrom is { } last)
        {
            covered += runTo!.Value - last;
        }

        var total = covered + durationsOnly;
        var sessionLength = window.Ends - window.Starts;
        return (int)Math.Floor((total > sessionLength ? sessionLength : total).TotalMinutes);
    }


    // The ways a display name may be written: "Pat Lee", "Lee, Pat", and Zoom's "Pat (Patricia Lee)" (both parts).
    private static HashSet<string> NameForms(string name)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        void Add(string value)
        {
            var key = Key(value);
            if (key.Length > 0)
            {
                forms.Add(key);
            }
        }

        var open = name.IndexOf('(', StringComparison.Ordinal);
        var close = name.LastIndexOf(')');
        if (open >= 0 && close > open)
        {
            Add(name[..open]);
            Add(name[(open + 1)..close]);
        }
        else
        {
            Add(name);
        }

        foreach (var form in forms.ToList())
        {
            var comma = form.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                forms.Add(Key($"{form[(comma + 1)..]} {form[..comma]}"));
            }
        }

        return forms;
    }

    private static string Key(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c) || c == ',')
            {
                text.Append(c);
            }
            else if (char.IsWhiteSpace(c) && text.Length > 0 && text[^1] != ' ')
            {
                text.Append(' ');
            }
        }

        return text.ToString().Trim().Replace(" ,", ",", StringComparison.Ordinal);
    }
}
