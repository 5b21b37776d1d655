using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Attendance;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Silo.Attendance;

/// <summary>A session as attendance needs it: its window, zone, place and the series' threshold.</summary>
public sealed record AttendanceSession(Guid Id, string Title, string SeriesTitle, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string TimeZone, string? Venue, string? City, int ThresholdPercent, bool Cancelled)
{
    /// <summary>The window minutes are counted in.</summary>
    public SessionWindow Window => new(StartsAt, EndsAt);
}

/// <summary>One change of a person's attendance, for the check-in list and the record.</summary>
public sealed record AttendanceChangeView(DateTimeOffset At, string? ByName, string Source, string Reason, int? OldMinutes, bool? OldAttended, int NewMinutes, bool NewAttended);

/// <summary>A registrant with what is known of their attendance (nothing yet: null minutes).</summary>
public sealed record AttendanceEntry(Guid RegistrationId, string Name, string Email, string Agency, RegistrationStatus Status, int? Minutes, bool? Attended,
    string? Source, AttendanceChangeView? LastChange);

/// <summary>Who records attendance: the organizer's account, email and address, for the rows and the audit log.</summary>
public sealed record AttendanceActor(Guid? Id, string? Email, string? FromAddress);

/// <summary>A participant report as uploaded: the file and the zone its times without an offset are in.</summary>
public sealed record AttendanceUpload(string FileName, byte[] Content, string TimeZone);

/// <summary>
/// What an import came to: the problems that refused the file (and nothing was written), why the session refused any
/// import (nothing was written either), or the report with how many people's attendance changed.
/// </summary>
public sealed record AttendanceImportResult(IReadOnlyList<ReportProblem> Problems, AttendanceReport? Report, Guid? ImportId, int Changed, bool SameFileImportedBefore)
{
    /// <summary>Why the session takes no import whatever the file says (it was cancelled), or null.</summary>
    public string? Refusal { get; init; }

    /// <summary>True when the report was imported.</summary>
    public bool Imported => Problems.Count == 0 && Report is not null && Refusal is null;

    /// <summary>The refusal of an import for a session that has not started (<see cref="FactTiming"/>).</summary>
    public static AttendanceImportResult NotStarted(string refusal) => new([], null, null, 0, false) { Refusal = refusal };

    /// <summary>The refusal of an import into a cancelled session.</summary>
    public static AttendanceImportResult Cancelled(AttendanceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new([], null, null, 0, false)
        {
            Refusal = $"“{session.Title}” was cancelled, so it has no attendance to import; nothing changed.",
        };
    }
}

/// <summary>A stored import: when, which file, what it found.</summary>
public sealed record AttendanceImportView(Guid Id, DateTimeOffset At, string FileName, string Sha256, AttendanceReport Report);

/// <summary>What a check-in or un-check came to.</summary>
public enum CheckInOutcome
{
    /// <summary>Recorded, with a change row.</summary>
    Recorded,

    /// <summary>The person already had that attendance; nothing was written.</summary>
    Unchanged,

    /// <summary>The person already has attendance recorded; changing it needs a reason.</summary>
    ReasonRequired,

    /// <summary>No confirmed registration of this session has that id.</summary>
    NotARegistrant,

    /// <summary>The session was cancelled: nobody attended it; nothing was written.</summary>
    SessionCancelled,

    /// <summary>The session has not started: nobody can have attended it yet; nothing was written.</summary>
    NotStarted,
}

/// <summary>
/// Attendance on LearnHub's storage: a participant report imported in one transaction (rows, their change history,
/// the import with its report, the audit entry, and whatever the training-record observers write), and organizers'
/// check-ins. Writers hold the session's row for their transaction, so an import and a check-in of the same session
/// never interleave. A refused report writes nothing.
/// </summary>
public sealed class AttendanceStore(LearnHubDatabase database, LearnHubClock clock, IEnumerable<ITrainingRecordObserver> observers)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IReadOnlyList<ITrainingRecordObserver> _observers = observers.ToList();

    /// <summary>The session with its series' threshold, or null.</summary>
    public async Task<AttendanceSession?> SessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(SessionSql, new { id = sessionId.ToString() },
            cancellationToken: cancellationToken)))?.ToSession();
    }

    /// <summary>
    /// Imports a participant report. The file is read and checked before anything is written; a file with any problem
    /// is refused whole, and so is any file for a cancelled session or one that has not started. People in the report get their minutes and
    /// attended replaced; people not in it keep theirs, and so do people whose attendance an organizer recorded by hand
    /// (listed in the report as kept, with the report's minutes beside theirs). Returns null when there is no such session.
    /// </summary>
    public async Task<AttendanceImportResult?> ImportAsync(Guid sessionId, AttendanceUpload upload, AttendanceActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(actor);
        if (!Zones.TryFind(upload.TimeZone, out var zone))
        {
            throw new DomainException($"'{upload.TimeZone}' is not an IANA time-zone id.");
        }

        if (await SessionAsync(sessionId, cancellationToken) is not { } session)
        {
            return null;
        }

        if (session.Cancelled)
        {
            return AttendanceImportResult.Cancelled(session);
        }

        if (FactTiming.AttendanceRefusal(session.Title, session.StartsAt, session.TimeZone, clock.GetUtcNow()) is { } early)
        {
            return AttendanceImportResult.NotStarted(early);
        }

        var parse = ParticipantReport.Parse(upload.Content, zone, session.StartsAt);
        if (!parse.IsValid)
        {
            return new AttendanceImportResult(parse.Problems, null, null, 0, false);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        session = await LockSessionAsync(scope, sessionId, cancellationToken);
        if (session.Cancelled)
        {
            // Cancelled since the first look: the scope is disposed uncommitted, so nothing is written.
            return AttendanceImportResult.Cancelled(session);
        }

        if (FactTiming.AttendanceRefusal(session.Title, session.StartsAt, session.TimeZone, now) is { } moved)
        {
            // Moved later since the first look: nothing is written.
            return AttendanceImportResult.NotStarted(moved);
        }

        var registrants = (await scope.Connection.QueryAsync<(string id, string name, string email_normalized, string status)>(new CommandDefinition(
            "SELECT id, name, email_normalized, status FROM registrations WHERE session_id = @id AND status <> 'cancelled'",
            new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))
            .Select(r => new AttendanceRegistrant(Guid.Parse(r.id), r.name, r.email_normalized, r.status == "waitlisted")).ToList();
        var report = AttendanceTally.Tally(parse.Rows, session.Window, session.ThresholdPercent, registrants);
        var before = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM attendance_imports WHERE session_id = @id AND sha256 = @sha", new { id = sessionId.ToString(), sha },
            scope.Transaction, cancellationToken: cancellationToken));

        var importId = Guid.CreateVersion7(now);
        var changed = new List<Guid>();
        var kept = new List<KeptByHand>();
        foreach (var person in report.People)
        {
            // A check-in is an organizer's own knowledge (someone who joined by phone, or signed the sheet): the
            // platform's report must not overwrite it silently, and with it perhaps revoke a certificate.
            if (await CurrentAsync(scope, person.RegistrationId, cancellationToken) is { source: "check-in" } byHand)
            {
                kept.Add(new KeptByHand(person.RegistrationId, person.Name, person.Email, (int)byHand.minutes, byHand.attended == 1,
                    await LastReasonAsync(scope, person.RegistrationId, cancellationToken), person.Minutes, person.Attended));
                continue;
            }

            if (await WriteAsync(scope, session.Id, person.RegistrationId, person.Minutes, person.Attended, "import", importId, "", actor.Id, now, cancellationToken))
            {
                changed.Add(person.RegistrationId);
            }
        }

        report = report with { KeptByHand = kept };
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO attendance_imports (id, session_id, file_name, sha256, rows_read, people_matched, report_json, imported_by, imported_utc_ms)
            VALUES (@id, @session, @file, @sha, @rows, @matched, @json, @by, @now)
            """,
            new
            {
                id = importId.ToString(), session = sessionId.ToString(), file = FileName(upload.FileName), sha, rows = report.RowsRead, matched = report.People.Count,
                json = JsonSerializer.Serialize(report, Json), by = actor.Id?.ToString(), now = now.ToUnixTimeMilliseconds(),
            }, scope.Transaction, cancellationToken: cancellationToken));
        await AuditAsync(scope, actor, "attendance.imported", sessionId, session.Title,
            $"{FileName(upload.FileName)} (sha256 {sha[..16]}…): {report.RowsRead} row(s), {report.People.Count} matched, {changed.Count} changed, {kept.Count} kept (recorded by hand), "
            + $"{report.Unmatched.Count} unmatched, {report.Ambiguous.Count} without email, {report.Waitlisted.Count} waitlisted; times in {upload.TimeZone}",
            now, cancellationToken);
        await TellObserversAsync(scope, new TrainingRecordChange(sessionId, changed, actor.Id, now), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new AttendanceImportResult([], report, importId, changed.Count, before > 0);
    }

    /// <summary>
    /// Marks a confirmed registrant present (for the whole session, as a sign-in sheet does) or absent. Changing
    /// attendance the person already has needs a reason; it is kept with who changed it and when. A cancelled session
    /// takes no check-in, and neither does one that has not started (<see cref="FactTiming"/>).
    /// </summary>
    public async Task<CheckInOutcome> CheckInAsync(Guid sessionId, Guid registrationId, bool present, string? reason, AttendanceActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        reason = (reason ?? "").Trim();
        if (reason.Length > 500)
        {
            throw new DomainException("A reason may be at most 500 characters.");
        }

        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (await LockSessionOrNullAsync(scope, sessionId, cancellationToken) is not { } session)
        {
            return CheckInOutcome.NotARegistrant;
        }

        if (session.Cancelled)
        {
            return CheckInOutcome.SessionCancelled;
        }

        if (FactTiming.AttendanceRefusal(session.Title, session.StartsAt, session.TimeZone, now) is not null)
        {
            return CheckInOutcome.NotStarted;
        }

        var registrant = await scope.Connection.QuerySingleOrDefaultAsync<(string status, string name)?>(new CommandDefinition(
            "SELECT status, name FROM registrations WHERE id = @id AND session_id = @session", new { id = registrationId.ToString(), session = sessionId.ToString() },
            scope.Transaction, cancellationToken: cancellationToken));
        if (registrant?.status != "confirmed")
        {
            return CheckInOutcome.NotARegistrant;
        }

        var existing = await CurrentAsync(scope, registrationId, cancellationToken);
        if (existing is not null && (existing.attended == 1) == present)
        {
            return CheckInOutcome.Unchanged;
        }

        if (existing is not null && reason.Length == 0)
        {
            return CheckInOutcome.ReasonRequired;
        }

        var minutes = present ? session.Window.Minutes : 0;
        await WriteAsync(scope, sessionId, registrationId, minutes, present, "check-in", null, reason, actor.Id, now, cancellationToken);
        await AuditAsync(scope, actor, present ? "attendance.checked-in" : "attendance.unchecked", sessionId, session.Title,
            $"{registrant.Value.name} (registration {registrationId}){(reason.Length > 0 ? $": {reason}" : "")}", now, cancellationToken);
        await TellObserversAsync(scope, new TrainingRecordChange(sessionId, [registrationId], actor.Id, now, reason), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return CheckInOutcome.Recorded;
    }

    /// <summary>
    /// The session's confirmed registrants, and anyone else whose attendance is recorded, in arrival order, each with
    /// their attendance and its last change.
    /// </summary>
    public async Task<IReadOnlyList<AttendanceEntry>> ListAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            """
            SELECT r.id, r.name, r.email, r.agency, r.status, a.minutes, a.attended, a.source
            FROM registrations r LEFT JOIN attendance a ON a.registration_id = r.id
            WHERE r.session_id = @id AND (r.status = 'confirmed' OR a.registration_id IS NOT NULL)
            ORDER BY r.sequence
            """, new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        var changes = (await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            SELECT c.registration_id, c.changed_utc_ms, u.display_name, c.source, c.reason, c.old_minutes, c.old_attended, c.new_minutes, c.new_attended
            FROM attendance_changes c LEFT JOIN users u ON u.id = c.changed_by
            WHERE c.session_id = @id ORDER BY c.sequence, c.changed_utc_ms, c.id
            """, new { id = sessionId.ToString() }, cancellationToken: cancellationToken)))
            .GroupBy(c => c.registration_id).ToDictionary(g => g.Key, g => g.Last().ToView());
        return rows.Select(r => new AttendanceEntry(Guid.Parse(r.id), r.name, r.email, r.agency, RegistrationRow.StatusFromWire(r.status),
            r.minutes is { } m ? (int)m : null, r.attended is { } a ? a == 1 : null, r.source, changes.GetValueOrDefault(r.id))).ToList();
    }

    /// <summary>Every change of one registration's attendance, oldest first.</summary>
    public async Task<IReadOnlyList<AttendanceChangeView>> ChangesAsync(Guid registrationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            SELECT c.registration_id, c.changed_utc_ms, u.display_name, c.source, c.reason, c.old_minutes, c.old_attended, c.new_minutes, c.new_attended
            FROM attendance_changes c LEFT JOIN users u ON u.id = c.changed_by
            WHERE c.registration_id = @id ORDER BY c.sequence, c.changed_utc_ms, c.id
            """, new { id = registrationId.ToString() }, cancellationToken: cancellationToken))).Select(c => c.ToView()).ToList();
    }

    /// <summary>The session's latest import, or null.</summary>
    public async Task<AttendanceImportView?> LatestImportAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<(string id, long imported_utc_ms, string file_name, string sha256, string report_json)>(new CommandDefinition(
            """
            SELECT id, imported_utc_ms, file_name, sha256, report_json FROM attendance_imports
            WHERE session_id = @id ORDER BY imported_utc_ms DESC, id DESC LIMIT 1
            """, new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        return row.id is null ? null : new AttendanceImportView(Guid.Parse(row.id), DateTimeOffset.FromUnixTimeMilliseconds(row.imported_utc_ms), row.file_name,
            row.sha256, JsonSerializer.Deserialize<AttendanceReport>(row.report_json, Json)!);
    }

    private const string SessionSql =
        """
        SELECT s.id, s.title, se.title AS series_title, s.kind, s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.venue, s.city,
               se.attendance_threshold_percent, s.status
        FROM sessions s JOIN series se ON se.id = s.series_id WHERE s.id = @id
        """;

    private async Task<AttendanceSession> LockSessionAsync(WriteScope scope, Guid sessionId, CancellationToken cancellationToken) =>
        await LockSessionOrNullAsync(scope, sessionId, cancellationToken) ?? throw new DomainException($"There is no session {sessionId}.");

    private async Task<AttendanceSession?> LockSessionOrNullAsync(WriteScope scope, Guid sessionId, CancellationToken cancellationToken)
    {
        // The session row is the lock every attendance writer of this session takes (SQLite: the writer's own lock).
        var locked = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT id FROM sessions WHERE id = @id" + database.LockRowSuffix, new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        return locked is null ? null : (await scope.Connection.QuerySingleAsync<SessionRow>(new CommandDefinition(SessionSql, new { id = sessionId.ToString() },
            scope.Transaction, cancellationToken: cancellationToken))).ToSession();
    }

    private static async Task<CurrentRow?> CurrentAsync(WriteScope scope, Guid registrationId, CancellationToken cancellationToken) =>
        await scope.Connection.QuerySingleOrDefaultAsync<CurrentRow>(new CommandDefinition(
            "SELECT minutes, attended, source FROM attendance WHERE registration_id = @id", new { id = registrationId.ToString() },
            scope.Transaction, cancellationToken: cancellationToken));

    private static async Task<string> LastReasonAsync(WriteScope scope, Guid registrationId, CancellationToken cancellationToken) =>
        await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT reason FROM attendance_changes WHERE registration_id = @id ORDER BY sequence DESC LIMIT 1", new { id = registrationId.ToString() },
            scope.Transaction, cancellationToken: cancellationToken)) ?? "";

    /// <summary>Writes a person's attendance and its change row when it differs from what is stored; true when it did.</summary>
    private static async Task<bool> WriteAsync(WriteScope scope, Guid sessionId, Guid registrationId, int minutes, bool attended, string source, Guid? importId,
        string reason, Guid? actorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await CurrentAsync(scope, registrationId, cancellationToken);
        if (existing is not null && existing.minutes == minutes && (existing.attended == 1) == attended)
        {
            return false;
        }

        var values = new
        {
            registration = registrationId.ToString(), session = sessionId.ToString(), minutes, attended = attended ? 1 : 0, source, import = importId?.ToString(),
            by = actorId?.ToString(), now = now.ToUnixTimeMilliseconds(), id = Guid.CreateVersion7(now).ToString(), reason,
            oldMinutes = existing?.minutes, oldAttended = existing?.attended,
        };
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO attendance (registration_id, session_id, minutes, attended, source, import_id, recorded_by, recorded_utc_ms)
            VALUES (@registration, @session, @minutes, @attended, @source, @import, @by, @now)
            ON CONFLICT (registration_id) DO UPDATE SET minutes = @minutes, attended = @attended, source = @source, import_id = @import,
                recorded_by = @by, recorded_utc_ms = @now
            """, values, scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO attendance_changes (id, registration_id, session_id, old_minutes, old_attended, new_minutes, new_attended, source, reason, changed_by,
                                            changed_utc_ms, sequence)
            VALUES (@id, @registration, @session, @oldMinutes, @oldAttended, @minutes, @attended, @source, @reason, @by, @now,
                    (SELECT COALESCE(MAX(c.sequence), 0) + 1 FROM attendance_changes c WHERE c.registration_id = @registration))
            """, values, scope.Transaction, cancellationToken: cancellationToken));
        return true;
    }

    private async Task TellObserversAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken)
    {
        if (change.RegistrationIds.Count == 0)
        {
            return;
        }

        foreach (var observer in _observers)
        {
            await observer.TrainingRecordChangedAsync(scope, change, cancellationToken);
        }
    }

    // The audit entry commits (or not) with the change it describes.
    private static Task AuditAsync(WriteScope scope, AttendanceActor actor, string action, Guid sessionId, string sessionTitle, string detail, DateTimeOffset now, CancellationToken cancellationToken) =>
        AuditLog.AppendAsync(scope, new AuditEntry(now, actor.Id, actor.Email, action, "session", sessionId.ToString(), actor.FromAddress, detail) { ObjectTitle = sessionTitle }, cancellationToken);

    private static string FileName(string name)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/'));
        bare = new string(bare.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return bare.Length == 0 ? "report.csv" : bare.Length > 200 ? bare[..200] : bare;
    }

    private sealed class SessionRow
    {
        public string id { get; set; } = "";
        public string title { get; set; } = "";
        public string series_title { get; set; } = "";
        public string kind { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string time_zone { get; set; } = "";
        public string? venue { get; set; }
        public string? city { get; set; }
        public long attendance_threshold_percent { get; set; }
        public string status { get; set; } = "";

        public AttendanceSession ToSession() => new(Guid.Parse(id), title, series_title, SessionKinds.FromWire(kind), DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms),
            DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms), time_zone, venue, city, (int)attendance_threshold_percent, status == "cancelled");
    }

    private sealed class CurrentRow
    {
        public long minutes { get; set; }
        public long attended { get; set; }
        public string source { get; set; } = "";
    }

    private sealed class EntryRow
    {
        public string id { get; set; } = "";
        public string name { get; set; } = "";
        public string email { get; set; } = "";
        public string agency { get; set; } = "";
        public string status { get; set; } = "";
        public long? minutes { get; set; }
        public long? attended { get; set; }
        public string? source { get; set; }
    }

    private sealed class ChangeRow
    {
        public string registration_id { get; set; } = "";
        public long changed_utc_ms { get; set; }
        public string? display_name { get; set; }
        public string source { get; set; } = "";
        public string reason { get; set; } = "";
        public long? old_minutes { get; set; }
        public long? old_attended { get; set; }
        public long new_minutes { get; set; }
        public long new_attended { get; set; }

        public AttendanceChangeView ToView() => new(DateTimeOffset.FromUnixTimeMilliseconds(changed_utc_ms), display_name, source, reason,
            old_minutes is { } m ? (int)m : null, old_attended is { } a ? a == 1 : null, (int)new_minutes, new_attended == 1);
    }
}
