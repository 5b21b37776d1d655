using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Attendance;

/// <summary>One participant row of a meeting platform's report, with its times read as instants.</summary>
/// <param name="Line">The 1-based line of the file the row starts on.</param>
/// <param name="Name">The name shown in the meeting (may be empty).</param>
/// <param name="Email">The email as written, or null when the row has none.</param>
/// <param name="Joined">When this connection joined, or null when the row gives only a duration.</param>
/// <param name="Left">When it left (a next-day leave already moved past midnight), or null with <paramref name="Joined"/>.</param>
/// <param name="Duration">The duration the platform wrote, if any.</param>
public sealed record ParticipantRow(int Line, string Name, string? Email, DateTimeOffset? Joined, DateTimeOffset? Left, TimeSpan? Duration);

/// <summary>What is wrong with a report, at a 1-based line of the file.</summary>
public sealed record ReportProblem(int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"Line {Line}: {Message}";
}

/// <summary>A report read: its participant rows, or every problem found (and then no rows are to be used).</summary>
public sealed record ParticipantReportParse(IReadOnlyList<ParticipantRow> Rows, IReadOnlyList<ReportProblem> Problems)
{
    /// <summary>True when the rows may be imported.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Reads the participant report (CSV) that meeting platforms export — Zoom, Microsoft Teams, Webex, GoTo Webinar:
/// RFC 4180 quoting, a byte-order mark (UTF-8 or UTF-16), comma, tab or semicolon separators, and columns found by
/// their header under any of the names those platforms use, in any order. Summary blocks above the participant table
/// are skipped: the table starts at the first row naming a name, an email and a join time or duration column, and ends
/// at its first blank line. Times without an offset are local to the zone the organizer picked; a time without a date
/// is on the session's day. Nothing is guessed: anything unreadable is a problem with its line, and a report with any
/// problem is not to be imported at all.
/// </summary>
public static partial class ParticipantReport
{
    /// <summary>The largest report accepted; participant reports of even large webinars are far smaller.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>The most problems reported for one file (a wrong file would otherwise yield one per line).</summary>
    public const int MaxProblems = 20;

    // The longest stay a leave written earlier than its join may stand for by moving it past midnight.
    private static readonly TimeSpan MaxRolledOverStay = TimeSpan.FromHours(12);

    // Header names, lower-cased with runs of white space made one space. Earlier names win when a report has several.
    private static readonly string[] NameHeaders =
        ["name (original name)", "user name (original name)", "name", "full name", "participant name", "attendee name", "display name", "user name", "participant"];
    private static readonly string[] FirstNameHeaders = ["first name", "given name"];
    private static readonly string[] LastNameHeaders = ["last name", "surname", "family name"];
    private static readonly string[] EmailHeaders =
        ["email", "user email", "email address", "attendee email", "participant email", "e-mail", "e-mail address", "participant id (upn)", "upn"];
    private static readonly string[] JoinHeaders = ["join time", "first join", "first join time", "joined", "join", "time joined"];
    private static readonly string[] LeaveHeaders = ["leave time", "last leave", "last leave time", "left", "leave", "time left"];
    private static readonly string[] DurationHeaders =
        ["duration (minutes)", "duration (mins)", "duration", "in-meeting duration", "attendance duration", "time in session", "time in session (minutes)",
         "minutes", "attended minutes"];

    private static readonly string[] DatedFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd H:mm:ss.FFFFFFF", "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd H:mm", "yyyy-MM-dd h:mm:ss tt", "yyyy-MM-dd h:mm tt",
        "yyyy/MM/dd H:mm:ss", "yyyy/MM/dd H:mm", "yyyy/MM/dd h:mm:ss tt", "yyyy/MM/dd h:mm tt",
        "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm",
        "M/d/yy h:mm:ss tt", "M/d/yy h:mm tt", "M/d/yy H:mm:ss", "M/d/yy H:mm",
        "MMM d yyyy h:mm:ss tt", "MMM d yyyy h:mm tt", "MMM d yyyy H:mm:ss", "MMM d yyyy H:mm",
        "MMMM d yyyy h:mm:ss tt", "MMMM d yyyy h:mm tt", "d MMM yyyy H:mm:ss", "d MMM yyyy H:mm",
    ];

    private static readonly string[] TimeOnlyFormats = ["h:mm:ss tt", "h:mm tt", "H:mm:ss", "H:mm", "htt", "h tt"];

    [GeneratedRegex(@"(?:Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();

    [GeneratedRegex(@"\s+(?:[A-Z]{2,5}|\((?:GMT|UTC)[^)]*\))$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingZoneName();

    [GeneratedRegex(@"^(\d+):([0-5]\d)(?::([0-5]\d))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockDuration();

    [GeneratedRegex(@"\G\s*(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b\s*,?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    /// <summary>
    /// Reads a report from the uploaded bytes. <paramref name="zone"/> is where times without an offset were written;
    /// <paramref name="sessionStart"/> gives the day of times written without a date.
    /// </summary>
    public static ParticipantReportParse Parse(ReadOnlySpan<byte> content, TimeZoneInfo zone, DateTimeOffset sessionStart)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (content.Length > MaxBytes)
        {
            return Failed(1, $"The file is {content.Length:N0} bytes; a participant report may be at most {MaxBytes:N0} bytes.");
        }

        if (Decode(content) is not { } text)
        {
            return Failed(1, "The file is not text (a CSV participant report is). Export the report as CSV and upload that file.");
        }

        return Parse(text, zone, sessionStart);
    }

    /// <summary>Reads a report from text already decoded.</summary>
    public static ParticipantReportParse Parse(string text, TimeZoneInfo zone, DateTimeOffset sessionStart)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        text = text.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
        {
            return Failed(1, "The file is empty.");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return Failed(1, "The file is not text (a CSV participant report is). Export the report as CSV and upload that file.");
        }

        var (records, unterminated) = Records(text, Separator(text));
        if (unterminated is { } quoteLine)
        {
            return Failed(quoteLine, "a quoted field opens here and is never closed (a \" is missing).");
        }

        var headerIndex = records.FindIndex(r => Columns.Find(r.Fields) is { Complete: true });
        if (headerIndex < 0)
        {
            var first = records.FirstOrDefault(r => r.Fields.Any(f => f.Length > 0));
            return Failed(first.Line == 0 ? 1 : first.Line, MissingColumns(first.Fields is null ? null : Columns.Find(first.Fields)));
        }

        var columns = Columns.Find(records[headerIndex].Fields)!;
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(sessionStart, zone).DateTime);
        var rows = new List<ParticipantRow>();
        var problems = new List<ReportProblem>();
        for (var i = headerIndex + 1; i < records.Count && problems.Count < MaxProblems; i++)
        {
            var (line, fields) = records[i];
            if (fields.All(f => f.Length == 0))
            {
                if (rows.Count > 0 || problems.Count > 0)
                {
                    break; // the participant table ends; what follows is another section of the export
                }

                continue;
            }

            var row = ReadRow(line, fields, columns, zone, localDay, sessionStart, problems);
            if (row is not null)
            {
                rows.Add(row);
            }
        }

        if (problems.Count == 0 && rows.Count == 0)
        {
            problems.Add(new ReportProblem(records[headerIndex].Line, "the report has a header row but no participant rows under it."));
        }

        return problems.Count > 0 ? new ParticipantReportParse([], problems) : new ParticipantReportParse(rows, []);
    }

    /// <summary>
    /// A length as platforms write it: minutes as a number ("58", "57.5"), a clock length ("1:05:03"), or parts with
    /// units ("1h 5m 3s", "45 mins", "1 hour 5 minutes"). Null when it is none of those.
    /// </summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var minutes))
        {
            return minutes <= 100_000 ? TimeSpan.FromSeconds((double)Math.Round(minutes * 60)) : null;
        }

        if (ClockDuration().Match(text) is { Success: true } clock)
        {
            var hasSeconds = clock.Groups[3].Success;
            // "1:05" is hours and minutes; "1:05:03" adds seconds.
            return new TimeSpan(int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture),
                hasSeconds ? int.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
        }

        var total = TimeSpan.Zero;
        var at = 0;
        for (var part = DurationPart().Match(text); part.Success && part.Index == at; part = part.NextMatch())
        {
            var amount = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = part.Groups[2].Value.ToLowerInvariant();
            var seconds = unit[0] switch { 'h' => 3600m, 'm' => 60m, _ => 1m };
            if (amount > 100_000)
            {
                return null;
            }

            total += TimeSpan.FromSeconds((double)Math.Round(amount * seconds));
            at = part.Index + part.Length;
        }

        return at > 0 && at == text.Length ? total : null;
    }

    private static ParticipantRow? ReadRow(int line, IReadOnlyList<string> fields, Columns columns, TimeZoneInfo zone, DateOnly localDay,
        DateTimeOffset sessionStart, List<ReportProblem> problems)
    {
        var name = columns.Name(fields);
        var email = columns.Email(fields);
        if (name.Length == 0 && email is null)
        {
            problems.Add(new ReportProblem(line, "the row has neither a name nor an email."));
            return null;
        }

        // A NUL would be refused by PostgreSQL when the email is matched, and any control character in a name ends up on
        // pages and in exports: the line is refused like any other unreadable one.
        if ((PlainText.Problem(name, "the name", TextShape.SingleLine) ?? PlainText.Problem(email, "the email", TextShape.SingleLine)) is { } unreadable)
        {
            problems.Add(new ReportProblem(line, unreadable));
            return null;
        }

        if (email is not null && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace)))
        {
            problems.Add(new ReportProblem(line, $"“{Printable(email)}” is not an email address."));
            return null;
        }

        var before = problems.Count;
        var joinText = columns.Field(fields, columns.Join);
        var leaveText = columns.Field(fields, columns.Leave);
        var durationText = columns.Field(fields, columns.Duration);
        var joined = Time(line, "join", joinText, zone, localDay, sessionStart, problems);
        var left = Time(line, "leave", leaveText, zone, localDay, sessionStart, problems);
        TimeSpan? duration = null;
        if (durationText.Length > 0)
        {
            duration = ParseDuration(durationText);
            if (duration is null)
            {
                problems.Add(new ReportProblem(line, $"the duration “{Printable(durationText)}” is neither a number of minutes nor a length like 1h 5m 3s or 45 mins."));
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        if (joined is not null && left is null)
        {
            left = joined + duration;
        }
        else if (joined is null && left is not null)
        {
            joined = left - duration;
        }

        if ((joined is null || left is null) && duration is null)
        {
            problems.Add(new ReportProblem(line, "the row has neither a join and leave time nor a duration."));
            return null;
        }

        if (joined is not null && left < joined)
        {
            // Platforms write a time of day (or the join's date on the leave); a leave earlier than the join is past
            // midnight, but only when that makes a plausible stay. A leave an hour before the join is a broken row, not
            // a 23-hour stay that would count as the whole session.
            if (left.Value.AddDays(1) - joined.Value > MaxRolledOverStay)
            {
                problems.Add(new ReportProblem(line, $"the leave time “{Printable(leaveText)}” is before the join time “{Printable(joinText)}”."));
                return null;
            }

            left = left.Value.AddDays(1);
        }

        return new ParticipantRow(line, name, email, joined, left, duration);
    }

    private static DateTimeOffset? Time(int line, string what, string text, TimeZoneInfo zone, DateOnly localDay, DateTimeOffset sessionStart, List<ReportProblem> problems)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var instant = ParseTime(text, zone, localDay, sessionStart);
        if (instant is null)
        {
            problems.Add(new ReportProblem(line, $"the {what} time “{Printable(text)}” is not a date and time this import reads (e.g. 2026-11-29 09:02, 11/29/2026 09:02:13 AM, 9:02 AM)."));
        }

        return instant;
    }

    /// <summary>
    /// A report's time as an instant: with an offset as written; otherwise local to <paramref name="zone"/>, and a time
    /// of day alone on <paramref name="localDay"/>, or on the day before or after when that puts it within 12 hours of
    /// the session's start (for sessions that run past midnight, or start just after it).
    /// </summary>
    public static DateTimeOffset? ParseTime(string text, TimeZoneInfo zone, DateOnly localDay, DateTimeOffset sessionStart)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var cleaned = Spaces().Replace(text.Replace(',', ' '), " ").Trim();
        if (cleaned.Length is 0 or > 64)
        {
            return null;
        }

        if (cleaned.Contains('-', StringComparison.Ordinal) && ExplicitOffset().IsMatch(cleaned)
            && DateTimeOffset.TryParse(cleaned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return withOffset.ToUniversalTime();
        }

        // A trailing zone abbreviation ("EST") names no zone reliably; the zone chosen on the form decides.
        return Local(cleaned, zone, localDay, sessionStart) ?? Local(TrailingZoneName().Replace(cleaned, ""), zone, localDay, sessionStart);
    }

    private static DateTimeOffset? Local(string local, TimeZoneInfo zone, DateOnly localDay, DateTimeOffset sessionStart)
    {
        if (DateTime.TryParseExact(local, DatedFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dated))
        {
            return ZonedTime.AtLocal(DateOnly.FromDateTime(dated), TimeOnly.FromDateTime(dated), zone);
        }

        if (DateTime.TryParseExact(local, TimeOnlyFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault, out var timeOfDay))
        {
            // The day that puts the time within 12 hours of the start: a session from 23:00 has its after-midnight
            // times on the next day, and one from 00:30 has its before-midnight joins on the day before.
            var time = TimeOnly.FromDateTime(timeOfDay);
            var instant = ZonedTime.AtLocal(localDay, time, zone);
            return instant < sessionStart.AddHours(-12) ? ZonedTime.AtLocal(localDay.AddDays(1), time, zone)
                : instant >= sessionStart.AddHours(12) ? ZonedTime.AtLocal(localDay.AddDays(-1), time, zone)
                : instant;
        }

        return null;
    }

    private static string? Decode(ReadOnlySpan<byte> content)
    {
        try
        {
            if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(content[2..]);
            }

            if (content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(content[2..]);
            }

            var body = content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? content[3..] : content;
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // The separator that occurs most on the first lines: commas usually; Teams writes tab-separated files.
    private static char Separator(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 4096));
        var best = ',';
        var bestCount = head.Count(',');
        foreach (var candidate in "\t;")
        {
            var count = head.Count(candidate);
            if (count > bestCount)
            {
                (best, bestCount) = (candidate, count);
            }
        }

        return best;
    }

    /// <summary>RFC 4180 records with the line each starts on; the line of an unterminated quote when there is one.</summary>
    private static (List<(int Line, List<string> Fields)> Records, int? Unterminated) Records(string text, char separator)
    {
        var records = new List<(int Line, List<string> Fields)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                var quoteLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return (records, quoteLine);
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                    {
                        line++;
                    }

                    field.Append(text[i]);
                    i++;
                }

                continue;
            }

            if (c == separator)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
                i++;
                continue;
            }

            if (c is '\r' or '\n')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
                records.Add((recordLine, fields));
                fields = [];
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                continue;
            }

            field.Append(c);
            i++;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString().Trim());
            records.Add((recordLine, fields));
        }

        return (records, null);
    }

    private static string MissingColumns(Columns? found)
    {
        var missing = new List<string>();
        if (found is null || found.NameColumns.Count == 0)
        {
            missing.Add("a name column (“Name (Original Name)”, “Name”, “Full Name”, or “First Name” and “Last Name”)");
        }

        if (found is null || found.EmailColumns.Count == 0)
        {
            missing.Add("an email column (“User Email”, “Email”, “Attendee Email”, “Email Address”, “Participant ID (UPN)”)");
        }

        if (found is null || (found.Join < 0 && found.Duration < 0))
        {
            missing.Add("join and leave times (“Join Time”, “Leave Time”, “First Join”, “Last Leave”) or a duration (“Duration (Minutes)”, “Attendance Duration”, “Time in Session”)");
        }

        return "no participant table was found: a participant report needs a header row with " + string.Join("; ", missing) + ".";
    }

    private static ParticipantReportParse Failed(int line, string message) => new([], [new ReportProblem(line, message)]);

    private static string Printable(string value)
    {
        var shown = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return shown.Length > 60 ? shown[..60] + "…" : shown;
    }

    private static string HeaderKey(string header) => Spaces().Replace(header.Trim().Trim('\uFEFF', '"').ToLowerInvariant(), " ");

    /// <summary>Where each kind of column is in a header row.</summary>
    private sealed record Columns(IReadOnlyList<int> NameColumns, int FirstName, int LastName, IReadOnlyList<int> EmailColumns, int Join, int Leave, int Duration)
    {
        public bool Complete => (NameColumns.Count > 0) && EmailColumns.Count > 0 && (Join >= 0 || Duration >= 0);

        public static Columns? Find(IReadOnlyList<string> header)
        {
            var keys = header.Select(HeaderKey).ToList();
            int First(string[] names) => names.Select(n => keys.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
            List<int> All(string[] names) => names.Select(n => keys.IndexOf(n)).Where(i => i >= 0).ToList();
            var nameColumns = All(NameHeaders);
            var (first, last) = (First(FirstNameHeaders), First(LastNameHeaders));
            if (nameColumns.Count == 0 && first >= 0)
            {
                nameColumns = last >= 0 ? [first, last] : [first];
            }
            else if (nameColumns.Count > 0)
            {
                nameColumns = [nameColumns[0]];
            }

            var found = new Columns(nameColumns, first, last, All(EmailHeaders), First(JoinHeaders), First(LeaveHeaders), First(DurationHeaders));
            return found.NameColumns.Count + found.EmailColumns.Count + (found.Join >= 0 ? 1 : 0) + (found.Duration >= 0 ? 1 : 0) == 0 ? null : found;
        }

        public string Field(IReadOnlyList<string> fields, int column) => column >= 0 && column < fields.Count ? fields[column] : "";

        public string Name(IReadOnlyList<string> fields) =>
            Spaces().Replace(string.Join(' ', NameColumns.Select(c => Field(fields, c))), " ").Trim();

        // Teams writes an Email and a UPN column; the first that is filled in for the row counts.
        public string? Email(IReadOnlyList<string> fields) =>
            EmailColumns.Select(c => Field(fields, c)).FirstOrDefault(e => e.Length > 0 && e != "--" && !e.Equals("n/a", StringComparison.OrdinalIgnoreCase));
    }
}
