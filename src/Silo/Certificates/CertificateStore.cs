using System.Globalization;
using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Silo.Certificates;

/// <summary>A certificate as it was issued (and, when revoked, when and why).</summary>
public sealed record CertificateView(Guid Id, string Code, CertificateKind Kind, Guid? SessionId, Guid? CourseId, string EmailNormalized, string PersonName,
    string TrainingTitle, DateOnly TrainingDate, int CeHoursCenti, string Statement, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt, string? RevokedReason,
    CreditType Credit = CreditType.Live)
{
    /// <summary>False once revoked.</summary>
    public bool IsLive => RevokedAt is null;

    /// <summary>"1.50".</summary>
    public string CeHours => Grains.Certificates.CeHours.Format(CeHoursCenti);

    /// <summary>"December 8, 2026".</summary>
    public string DateText => TrainingDate.ToString("MMMM d, yyyy", CultureInfo.GetCultureInfo("en-US"));
}

/// <summary>A cohort course as organizers list it.</summary>
public sealed record CourseView(Guid Id, string Slug, string Title, string Description, string DescriptionHtml, int CeHoursCenti, string Statement,
    IReadOnlyList<CourseSession> Sessions);

/// <summary>One required session of a course.</summary>
public sealed record CourseSession(Guid Id, string Title, DateTimeOffset StartsAt, string TimeZone);

/// <summary>A person's progress through a course.</summary>
public sealed record CourseLearner(string Email, string Name, int Completed, int Required, string? CertificateCode);

/// <summary>What an organizer types to create a course.</summary>
public sealed record CourseDraft(string Title, string Description, string CeHours, string Statement, IReadOnlyList<Guid> SessionIds);

/// <summary>
/// Reads certificates (by id, by code, by person) and keeps what they are issued from: cohort courses, CE hours of a
/// session, and a series' evaluation requirement and statement. Issuing and revoking is the observer's alone.
/// </summary>
public sealed class CertificateStore(LearnHubDatabase database, LearnHubClock clock, CertificateObserver observer, RichTextPolicy? richText = null)
{
    /// <summary>Longest organizer statement printed on a certificate.</summary>
    public const int MaxStatement = SeriesTraining.MaxStatement;

    private readonly RichTextPolicy _richText = richText ?? new RichTextPolicy();

    private const string Select =
        """
        SELECT id, code, kind, session_id, course_id, email_normalized, person_name, training_title, training_date, ce_hours_centi, statement,
               issued_utc_ms, revoked_utc_ms, revoked_reason, credit
        FROM certificates
        """;

    /// <summary>A certificate by id, or null.</summary>
    public async Task<CertificateView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await QueryAsync("id = @key", id.ToString(), cancellationToken)).SingleOrDefault();

    /// <summary>A certificate by its canonical code (see <see cref="CertificateCode.Read"/>), or null.</summary>
    public async Task<CertificateView?> FindByCodeAsync(string canonicalCode, CancellationToken cancellationToken) =>
        (await QueryAsync("code = @key", canonicalCode, cancellationToken)).SingleOrDefault();

    /// <summary>The live certificate a registration earned, if any (the manage link shows it to people without an account).</summary>
    public async Task<CertificateView?> LiveForRegistrationAsync(Guid registrationId, CancellationToken cancellationToken) =>
        (await QueryAsync("registration_id = @key AND revoked_utc_ms IS NULL", registrationId.ToString(), cancellationToken)).SingleOrDefault();

    /// <summary>Every certificate of a person (live and revoked), newest training first.</summary>
    public Task<IReadOnlyList<CertificateView>> ForPersonAsync(string emailNormalized, CancellationToken cancellationToken) =>
        QueryAsync("email_normalized = @key ORDER BY training_date DESC, issued_utc_ms DESC", emailNormalized, cancellationToken);

    /// <summary>The CE hours of a session, in hundredths; null when there is no such session.</summary>
    public async Task<int?> SessionCeHoursAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var hours = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT ce_hours_centi FROM sessions WHERE id = @id", new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        return (int?)hours;
    }

    /// <summary>A series' attendance and certificate settings, or null when there is no such series.</summary>
    public async Task<SeriesTraining?> SeriesSettingsAsync(Guid seriesId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long attendance_threshold_percent, long evaluation_required, string certificate_statement,
            long self_study_enabled, long self_study_percent, long? self_study_days, long? self_study_ce_hours_centi)?>(new CommandDefinition(
            """
            SELECT attendance_threshold_percent, evaluation_required, certificate_statement, self_study_enabled, self_study_percent, self_study_days,
                   self_study_ce_hours_centi
            FROM series WHERE id = @id
            """, new { id = seriesId.ToString() }, cancellationToken: cancellationToken));
        return row is { } r
            ? new SeriesTraining((int)r.attendance_threshold_percent, r.evaluation_required == 1, r.certificate_statement,
                new SelfStudyRule(r.self_study_enabled == 1, (int)r.self_study_percent, (int?)r.self_study_days, (int?)r.self_study_ce_hours_centi))
            : null;
    }

    /// <summary>Why a statement cannot be printed on a certificate, or null when it can.</summary>
    public static string? StatementProblem(string? statement) =>
        new SeriesTraining(CertificateStatement: statement ?? "").Problems().GetValueOrDefault("certificateStatement");

    /// <summary>The problems of a course draft, keyed by field (title, description, ceHours, statement, sessions).</summary>
    public IReadOnlyDictionary<string, string> Problems(CourseDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(draft.Title) || draft.Title.Trim().Length > 200)
        {
            problems["title"] = "Enter a title of 1–200 characters.";
        }

        if (!_richText.Fits(draft.Description ?? ""))
        {
            problems["description"] = $"The description is too long: the limit is {_richText.MaxBytes / 1024} KB.";
        }

        if (CeHours.Parse(draft.CeHours).Problem is { } hours)
        {
            problems["ceHours"] = hours;
        }

        if (StatementProblem(draft.Statement) is { } statement)
        {
            problems["statement"] = statement;
        }

        if (draft.SessionIds is not { Count: > 0 })
        {
            problems["sessions"] = "Choose at least one required session.";
        }

        return problems;
    }

    /// <summary>
    /// Creates a course; throws with the problems when the draft is invalid or names an unknown session. People who
    /// already attended every required session get their course certificate in the same transaction.
    /// </summary>
    public async Task<Guid> CreateCourseAsync(CourseDraft draft, Guid? actorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = Problems(draft);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems.Values));
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var title = draft.Title.Trim();
        var sessions = draft.SessionIds.Distinct().Select(s => s.ToString()).ToList();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var (inList, parameters) = SqlLists.Parameters("s", sessions);
        var known = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM sessions WHERE id IN ({inList})", parameters, scope.Transaction, cancellationToken: cancellationToken));
        if (known != sessions.Count)
        {
            throw new DomainException("A chosen session does not exist.");
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO courses (id, series_id, slug, title, description, description_html, ce_hours_centi, certificate_statement, created_utc_ms)
            VALUES (@id, NULL, @slug, @title, @description, @html, @hours, @statement, @at)
            """,
            new
            {
                id = id.ToString(), slug = $"{Slug(title)}-{id.ToString("N")[^6..]}", title, description = draft.Description ?? "",
                html = _richText.RenderMarkdown(draft.Description ?? ""), hours = CeHours.Parse(draft.CeHours).Centi, statement = (draft.Statement ?? "").Trim(),
                at = now.ToUnixTimeMilliseconds(),
            }, scope.Transaction, cancellationToken: cancellationToken));
        foreach (var session in sessions)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO course_sessions (course_id, session_id) VALUES (@course, @session)",
                new { course = id.ToString(), session }, scope.Transaction, cancellationToken: cancellationToken));
        }

        await AuditLog.AppendAsync(scope, new AuditEntry(now, actorId, null, "course.created", "course", id.ToString(), null,
            $"Course {title} with {sessions.Count} required session(s).") { ObjectTitle = title }, cancellationToken);
        await observer.ReconcileWholeCourseAsync(scope, id, new TrainingRecordChange(Guid.Empty, [], actorId, now), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Edits a course and reconciles its certificates in the same transaction; returns what changed (empty when
    /// nothing did, and then nothing is written). Throws with the problems when the draft is invalid, names an unknown
    /// session or the course does not exist, changing nothing. Removing a requirement can complete the course for
    /// people, who get their certificate and its mail; an added requirement applies only to people who have not
    /// completed yet (certificates issued keep standing); title, CE hours and statement apply to certificates issued
    /// from then on, since each certificate keeps the snapshot it was issued with.
    /// </summary>
    public async Task<IReadOnlyList<string>> UpdateCourseAsync(Guid id, CourseDraft draft, Guid? actorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = Problems(draft);
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems.Values));
        }

        var now = clock.GetUtcNow();
        var title = draft.Title.Trim();
        var description = draft.Description ?? "";
        var hours = CeHours.Parse(draft.CeHours).Centi ?? 0;
        var statement = (draft.Statement ?? "").Trim();
        var wanted = draft.SessionIds.Distinct().Select(s => s.ToString()).ToHashSet(StringComparer.Ordinal);
        var course = new { id = id.ToString() };
        await using var scope = await database.BeginWriteAsync(cancellationToken);

        // The locks in the observers' order: every session the course requires now or will require, in id order, then
        // the course row. An attendance or evaluation writer holds its session and then that session's courses, so
        // taking the course first could deadlock with it on PostgreSQL; and holding a newly required session means a
        // writer that recorded attendance there without seeing this course has committed before attendance is read
        // below. (SQLite has one writer; its suffix is empty.)
        var before = (await scope.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT session_id FROM course_sessions WHERE course_id = @id", course, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        var touched = before.Union(wanted).Order(StringComparer.Ordinal).ToList();
        var (inList, parameters) = SqlLists.Parameters("s", touched);
        var known = (await scope.Connection.QueryAsync<(string id, string title)>(new CommandDefinition(
            $"SELECT id, title FROM sessions WHERE id IN ({inList}) ORDER BY id" + database.LockRowSuffix, parameters, scope.Transaction,
            cancellationToken: cancellationToken))).ToDictionary(s => s.id, s => s.title, StringComparer.Ordinal);
        if (wanted.Any(s => !known.ContainsKey(s)))
        {
            throw new DomainException("A chosen session does not exist.");
        }

        var current = await scope.Connection.QuerySingleOrDefaultAsync<CourseRow>(new CommandDefinition(
            "SELECT id, slug, title, description, description_html, ce_hours_centi, certificate_statement, requirements_revision FROM courses WHERE id = @id"
            + database.LockRowSuffix, course, scope.Transaction, cancellationToken: cancellationToken))
            ?? throw new DomainException($"There is no course {id}.");

        // Read again under the course's lock: an edit that committed meanwhile is what this one changes.
        before = (await scope.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT session_id FROM course_sessions WHERE course_id = @id", course, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        var added = wanted.Except(before).Order(StringComparer.Ordinal).ToList();
        var removed = before.Except(wanted).Order(StringComparer.Ordinal).ToList();
        var changes = new List<string>();
        if (current.title != title)
        {
            changes.Add($"title \"{current.title}\" → \"{title}\"");
        }

        if (current.description != description)
        {
            changes.Add("description");
        }

        if (current.ce_hours_centi != hours)
        {
            changes.Add($"CE hours {CeHours.Format((int)current.ce_hours_centi)} → {CeHours.Format(hours)}");
        }

        if (current.certificate_statement != statement)
        {
            changes.Add("statement");
        }

        if (added.Count > 0)
        {
            changes.Add($"required sessions added: {string.Join(", ", added.Select(s => known.GetValueOrDefault(s, s)))}");
        }

        if (removed.Count > 0)
        {
            changes.Add($"required sessions removed: {string.Join(", ", removed.Select(s => known.GetValueOrDefault(s, s)))}");
        }

        if (changes.Count == 0)
        {
            return changes;
        }

        // An added requirement starts a new revision: certificates issued under an earlier one are not judged by it.
        var revision = current.requirements_revision + (added.Count > 0 ? 1 : 0);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE courses SET title = @title, description = @description, description_html = @html, ce_hours_centi = @hours,
                certificate_statement = @statement, requirements_revision = @revision
            WHERE id = @id
            """,
            new { id = id.ToString(), title, description, html = _richText.RenderMarkdown(description), hours, statement, revision },
            scope.Transaction, cancellationToken: cancellationToken));
        foreach (var session in removed)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM course_sessions WHERE course_id = @course AND session_id = @session",
                new { course = id.ToString(), session }, scope.Transaction, cancellationToken: cancellationToken));
        }

        foreach (var session in added)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO course_sessions (course_id, session_id, since_revision) VALUES (@course, @session, @revision)",
                new { course = id.ToString(), session, revision }, scope.Transaction, cancellationToken: cancellationToken));
        }

        var detail = $"Course {title}: {string.Join("; ", changes)}.";
        await AuditLog.AppendAsync(scope, new AuditEntry(now, actorId, null, "course.edited", "course", id.ToString(), null, detail) { ObjectTitle = title }, cancellationToken);
        await observer.ReconcileWholeCourseAsync(scope, id, new TrainingRecordChange(Guid.Empty, [], actorId, now), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return changes;
    }

    /// <summary>Every course, newest first.</summary>
    public Task<IReadOnlyList<CourseView>> CoursesAsync(CancellationToken cancellationToken) => CoursesWhereAsync(null, cancellationToken);

    /// <summary>A course, or null.</summary>
    public async Task<CourseView?> FindCourseAsync(Guid id, CancellationToken cancellationToken) =>
        (await CoursesWhereAsync(id, cancellationToken)).SingleOrDefault();

    // Every course, or only the one asked for (its page needs no other course read).
    private async Task<IReadOnlyList<CourseView>> CoursesWhereAsync(Guid? id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new { id = id?.ToString() };
        var courses = await connection.QueryAsync<CourseRow>(new CommandDefinition(
            $"SELECT id, slug, title, description, description_html, ce_hours_centi, certificate_statement FROM courses {(id is null ? "" : "WHERE id = @id ")}ORDER BY created_utc_ms DESC",
            parameters, cancellationToken: cancellationToken));
        var sessions = (await connection.QueryAsync<CourseSessionRow>(new CommandDefinition(
            $"""
            SELECT cs.course_id, s.id, s.title, s.starts_utc_ms, s.time_zone FROM course_sessions cs JOIN sessions s ON s.id = cs.session_id
            {(id is null ? "" : "WHERE cs.course_id = @id")}
            ORDER BY s.starts_utc_ms
            """, parameters, cancellationToken: cancellationToken))).ToLookup(s => s.course_id);
        return courses.Select(c => c.ToView(sessions[c.id].Select(s => s.ToSession()).ToList())).ToList();
    }

    /// <summary>Everyone registered for any of a course's sessions, with how many required sessions they completed.</summary>
    public async Task<IReadOnlyList<CourseLearner>> ProgressAsync(Guid courseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProgressRow>(new CommandDefinition(
            """
            SELECT r.session_id, r.email_normalized, r.name, r.registered_utc_ms, a.attended, e.completed_utc_ms, se.evaluation_required
            FROM course_sessions cs
            JOIN registrations r ON r.session_id = cs.session_id
            JOIN sessions s ON s.id = cs.session_id JOIN series se ON se.id = s.series_id
            LEFT JOIN attendance a ON a.registration_id = r.id
            LEFT JOIN evaluation_invitations e ON e.registration_id = r.id
            WHERE cs.course_id = @course
            ORDER BY r.registered_utc_ms
            """, new { course = courseId.ToString() }, cancellationToken: cancellationToken));
        var required = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT session_id FROM course_sessions WHERE course_id = @course", new { course = courseId.ToString() }, cancellationToken: cancellationToken)))
            .Select(Guid.Parse).ToList();
        var codes = (await connection.QueryAsync<(string email_normalized, string code)>(new CommandDefinition(
            "SELECT email_normalized, code FROM certificates WHERE course_id = @course AND revoked_utc_ms IS NULL AND issued_utc_ms <= @now",
            new { course = courseId.ToString(), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken))).ToDictionary(r => r.email_normalized, r => r.code);
        return rows.GroupBy(r => r.email_normalized).Select(person =>
        {
            var completions = person.Select(r => new SessionCompletion(Guid.Parse(r.session_id), r.attended == 1, r.evaluation_required == 1, r.completed_utc_ms is not null))
                .GroupBy(c => c.SessionId).ToDictionary(g => g.Key, g => g.FirstOrDefault(c => c.Completed) ?? g.First());
            var progress = CertificateRules.Progress(required, completions);
            return new CourseLearner(person.Key, person.Last().name, progress.Completed, progress.Required, codes.GetValueOrDefault(person.Key));
        }).OrderByDescending(l => l.Completed).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();
    }

    // Every reader sees only certificates in force: one earned while its session runs exists from the session's end
    // (see CertificateObserver), so /verify, the certificate page and the transcript never show it early.
    private async Task<IReadOnlyList<CertificateView>> QueryAsync(string condition, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE issued_utc_ms <= @now AND {condition}", new { key, now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToView()).ToList();
    }

    private static string Slug(string title)
    {
        var slug = new string(title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        slug = slug.Trim('-');
        return slug.Length == 0 ? "course" : slug[..Math.Min(slug.Length, 60)].TrimEnd('-');
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string code { get; set; } = "";
        public string kind { get; set; } = "";
        public string? session_id { get; set; }
        public string? course_id { get; set; }
        public string email_normalized { get; set; } = "";
        public string person_name { get; set; } = "";
        public string training_title { get; set; } = "";
        public string training_date { get; set; } = "";
        public long ce_hours_centi { get; set; }
        public string statement { get; set; } = "";
        public long issued_utc_ms { get; set; }
        public long? revoked_utc_ms { get; set; }
        public string? revoked_reason { get; set; }
        public string credit { get; set; } = "live";

        public CertificateView ToView() => new(Guid.Parse(id), code, kind == "session" ? CertificateKind.Session : CertificateKind.Course,
            session_id is null ? null : Guid.Parse(session_id), course_id is null ? null : Guid.Parse(course_id), email_normalized, person_name, training_title,
            DateOnly.ParseExact(training_date, "yyyy-MM-dd", CultureInfo.InvariantCulture), (int)ce_hours_centi, statement,
            DateTimeOffset.FromUnixTimeMilliseconds(issued_utc_ms), revoked_utc_ms is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null, revoked_reason,
            CertificateCredit.FromWire(credit));
    }

    private sealed class CourseRow
    {
        public string id { get; set; } = "";
        public string slug { get; set; } = "";
        public string title { get; set; } = "";
        public string description { get; set; } = "";
        public string description_html { get; set; } = "";
        public long ce_hours_centi { get; set; }
        public string certificate_statement { get; set; } = "";
        public long requirements_revision { get; set; }

        public CourseView ToView(IReadOnlyList<CourseSession> sessions) =>
            new(Guid.Parse(id), slug, title, description, description_html, (int)ce_hours_centi, certificate_statement, sessions);
    }

    private sealed class CourseSessionRow
    {
        public string course_id { get; set; } = "";
        public string id { get; set; } = "";
        public string title { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public string time_zone { get; set; } = "";

        public CourseSession ToSession() => new(Guid.Parse(id), title, DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms), time_zone);
    }

    private sealed class ProgressRow
    {
        public string session_id { get; set; } = "";
        public string email_normalized { get; set; } = "";
        public string name { get; set; } = "";
        public long registered_utc_ms { get; set; }
        public long? attended { get; set; }
        public long? completed_utc_ms { get; set; }
        public long evaluation_required { get; set; }
    }
}
