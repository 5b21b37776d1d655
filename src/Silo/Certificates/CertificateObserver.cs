using System.Globalization;
using Dapper;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Messaging;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using Npgsql;

namespace LearnHub.Silo.Certificates;

/// <summary>
/// Keeps certificates true to the rows beneath them. Told, inside the attendance or evaluation writer's transaction,
/// which registrations changed, it applies <see cref="CertificateRules"/> to the people behind them (by normalized
/// email) for that session and for every course that requires it: issues a certificate with a new random code, or
/// revokes one with the reason, writing the audit entry and the "certificate issued" mail in the same transaction.
/// Running it again on the same facts changes nothing.
/// </summary>
/// <remarks>
/// Concurrency: the session row (and each course row) is held for the transaction (FOR UPDATE on PostgreSQL; SQLite has
/// one writer), so two writers reconciling the same training take turns; the database's one-live-certificate index is
/// the backstop.
/// </remarks>
public sealed class CertificateObserver(string publicBaseUrl) : ITrainingRecordObserver
{
    /// <inheritdoc />
    public async Task TrainingRecordChangedAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(change);
        if (change.RegistrationIds.Count == 0)
        {
            return;
        }

        var (inList, parameters) = SqlLists.Parameters("r", change.RegistrationIds.Select(id => id.ToString()).ToList());
        parameters.Add("session", change.SessionId.ToString());
        var emails = (await scope.Connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT email_normalized FROM registrations WHERE session_id = @session AND id IN ({inList})",
            parameters, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (emails.Count == 0)
        {
            return;
        }

        var work = new Work(scope, change, cancellationToken);
        await ReconcileSessionAsync(work, change.SessionId, emails);
        var courses = await scope.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT course_id FROM course_sessions WHERE session_id = @session ORDER BY course_id",
            new { session = change.SessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        foreach (var course in courses)
        {
            await ReconcileCourseAsync(work, Guid.Parse(course), emails);
        }

        await work.FlushMailAsync(publicBaseUrl);
    }

    /// <summary>
    /// Reconciles a course's certificates for everyone registered for any of its sessions (a course created after
    /// its first sessions were attended), inside the caller's transaction.
    /// </summary>
    public async Task ReconcileWholeCourseAsync(WriteScope scope, Guid courseId, TrainingRecordChange context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var emails = (await scope.Connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT r.email_normalized FROM registrations r JOIN course_sessions cs ON cs.session_id = r.session_id
            WHERE cs.course_id = @course
            """, new { course = courseId.ToString() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (emails.Count == 0)
        {
            return;
        }

        var work = new Work(scope, context, cancellationToken);
        await ReconcileCourseAsync(work, courseId, emails);
        await work.FlushMailAsync(publicBaseUrl);
    }

    private static async Task ReconcileSessionAsync(Work work, Guid sessionId, IReadOnlyList<string> emails)
    {
        var lockSuffix = work.Scope.Connection is NpgsqlConnection ? " FOR UPDATE OF s" : "";
        var session = await work.Scope.Connection.QuerySingleOrDefaultAsync<SessionFacts>(new CommandDefinition(
            """
            SELECT s.id, s.title, s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.ce_hours_centi, se.evaluation_required, se.certificate_statement,
                   se.self_study_enabled, se.self_study_percent, se.self_study_days, se.self_study_ce_hours_centi
            FROM sessions s JOIN series se ON se.id = s.series_id WHERE s.id = @id
            """ + lockSuffix, new { id = sessionId.ToString() }, work.Scope.Transaction, cancellationToken: work.CancellationToken));
        if (session is null)
        {
            return;
        }

        var people = await CompletionsAsync(work, [session], emails);
        var selfStudy = await SelfStudyEarnedAsync(work, session, emails);
        var live = await LiveAsync(work, "session_id", sessionId, emails);
        foreach (var email in emails)
        {
            var person = people.GetValueOrDefault(email);
            var completion = person?.Sessions.GetValueOrDefault(sessionId) ?? SessionCompletion.Unknown(sessionId);
            if (selfStudy.ContainsKey(email))
            {
                completion = completion with { SelfStudyEarned = true };
            }

            var held = live.TryGetValue(email, out var certificate) ? certificate.Credit : (CreditType?)null;
            var decision = CertificateRules.ForSession(completion, held);
            if (decision.Action == CertificateAction.Replace)
            {
                // The self-study certificate gives way to the live one in this transaction; its holder is told of the
                // live certificate, not of a revocation.
                await work.RevokeAsync(certificate.Id, email, decision.Reason!, tell: false);
                decision = new CertificateDecision(CertificateAction.Issue);
            }

            switch (decision.Action)
            {
                case CertificateAction.Issue when person is not null:
                    await work.IssueAsync(new Snapshot(CertificateKind.Session, sessionId, null, person.RegistrationFor(sessionId), email, person.Name, session.title,
                        session.Day(), (int)session.ce_hours_centi, session.certificate_statement)
                    {
                        // Checked in at the door of a session still running: the certificate comes into force, and its
                        // mail is sent, when the session ends.
                        InForceFrom = DateTimeOffset.FromUnixTimeMilliseconds(session.ends_utc_ms),
                    });
                    break;
                case CertificateAction.IssueSelfStudy when person is not null:
                    // Dated the day the credit was earned, where the session was held, with the series' self-study hours.
                    await work.IssueAsync(new Snapshot(CertificateKind.Session, sessionId, null, selfStudy[email], email, person.Name, session.title,
                        Grains.Time.ZonedTime.In(work.At, session.time_zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        (int)(session.self_study_ce_hours_centi ?? session.ce_hours_centi), session.certificate_statement)
                    {
                        Credit = CreditType.SelfStudy,
                        InForceFrom = DateTimeOffset.FromUnixTimeMilliseconds(session.ends_utc_ms),
                    });
                    break;
                case CertificateAction.Revoke:
                    await work.RevokeAsync(certificate.Id, email, decision.Reason!);
                    break;
            }
        }
    }

    // The people (by normalized email, with the registration that earned it) who meet the series' self-study rule for
    // the session now: a confirmed registration that played at least the series' share of one of the session's
    // published recordings, and passed the session's knowledge check when it has one, with the last of those facts
    // landing within the series' window after the recording's publication (this transaction is that moment).
    private static async Task<Dictionary<string, Guid>> SelfStudyEarnedAsync(Work work, SessionFacts session, IReadOnlyList<string> emails)
    {
        var earned = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (session.self_study_enabled != 1)
        {
            return earned;
        }

        var (emailList, parameters) = SqlLists.Parameters("e", emails);
        parameters.AddDynamicParams(new
        {
            session = session.id, percent = session.self_study_percent, at = work.At.ToUnixTimeMilliseconds(),
            // No window is a window longer than anything stored can reach.
            window = session.self_study_days is { } days ? days * 86_400_000L : 100L * 365 * 86_400_000L,
        });
        var rows = await work.Scope.Connection.QueryAsync<(string email_normalized, string id)>(new CommandDefinition(
            $"""
            SELECT r.email_normalized, r.id FROM registrations r
            WHERE r.session_id = @session AND r.status = 'confirmed' AND r.email_normalized IN ({emailList})
              AND EXISTS (SELECT 1 FROM recording_views v JOIN session_media m ON m.id = v.media_id
                          WHERE v.registration_id = r.id AND m.session_id = r.session_id AND m.kind = 'recording' AND m.published_utc_ms IS NOT NULL
                            AND v.covered_ms * 100 >= @percent * v.length_ms AND @at <= m.published_utc_ms + @window)
              AND (NOT EXISTS (SELECT 1 FROM knowledge_checks k WHERE k.session_id = r.session_id)
                   OR EXISTS (SELECT 1 FROM knowledge_check_attempts ka WHERE ka.registration_id = r.id AND ka.passed = 1))
            ORDER BY r.registered_utc_ms, r.id
            """, parameters, work.Scope.Transaction, cancellationToken: work.CancellationToken));
        foreach (var (email, id) in rows)
        {
            earned.TryAdd(email, Guid.Parse(id));
        }

        return earned;
    }

    private static async Task ReconcileCourseAsync(Work work, Guid courseId, IReadOnlyList<string> emails)
    {
        var lockSuffix = work.Scope.Connection is NpgsqlConnection ? " FOR UPDATE" : "";
        var course = await work.Scope.Connection.QuerySingleOrDefaultAsync<CourseFacts>(new CommandDefinition(
            "SELECT id, title, ce_hours_centi, certificate_statement, requirements_revision FROM courses WHERE id = @id" + lockSuffix,
            new { id = courseId.ToString() }, work.Scope.Transaction, cancellationToken: work.CancellationToken));
        if (course is null)
        {
            return;
        }

        var sessions = (await work.Scope.Connection.QueryAsync<SessionFacts>(new CommandDefinition(
            """
            SELECT s.id, s.title, s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.ce_hours_centi, se.evaluation_required, se.certificate_statement, cs.since_revision
            FROM course_sessions cs JOIN sessions s ON s.id = cs.session_id JOIN series se ON se.id = s.series_id
            WHERE cs.course_id = @id ORDER BY s.starts_utc_ms
            """, new { id = courseId.ToString() }, work.Scope.Transaction, cancellationToken: work.CancellationToken))).ToList();
        var required = sessions.Select(s => Guid.Parse(s.id)).ToList();
        var people = await CompletionsAsync(work, sessions, emails);
        var live = await LiveAsync(work, "course_id", courseId, emails);
        foreach (var email in emails)
        {
            var person = people.GetValueOrDefault(email);
            // A live certificate answers only to the sessions required when it was issued: a requirement added later
            // applies to people who have not completed yet, never to a certificate already printed.
            var held = live.TryGetValue(email, out var certificate);
            var judged = held ? sessions.Where(s => s.since_revision <= certificate.Revision).Select(s => Guid.Parse(s.id)).ToList() : required;
            var decision = CertificateRules.ForCourse(judged, person?.Sessions ?? new Dictionary<Guid, SessionCompletion>(), held);
            if (decision.Action == CertificateAction.Issue && person is not null)
            {
                // A course is dated by its last required session: the day it was completed.
                await work.IssueAsync(new Snapshot(CertificateKind.Course, null, courseId, null, email, person.Name, course.title,
                    sessions[^1].Day(), (int)course.ce_hours_centi, course.certificate_statement)
                {
                    CourseRevision = course.requirements_revision,
                    InForceFrom = DateTimeOffset.FromUnixTimeMilliseconds(sessions.Max(s => s.ends_utc_ms)),
                });
            }
            else if (decision.Action == CertificateAction.Revoke)
            {
                await work.RevokeAsync(certificate.Id, email, decision.Reason!);
            }
        }
    }

    // What each person did in each of the sessions, merged over their registrations (someone who cancelled and
    // registered again has two rows; the better record counts).
    private static async Task<Dictionary<string, Person>> CompletionsAsync(Work work, IReadOnlyList<SessionFacts> sessions, IReadOnlyList<string> emails)
    {
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        if (sessions.Count == 0)
        {
            return people;
        }

        var (sessionList, parameters) = SqlLists.Parameters("s", sessions.Select(s => s.id).ToList());
        var (emailList, emailParameters) = SqlLists.Parameters("e", emails);
        parameters.AddDynamicParams(emailParameters);
        var rows = await work.Scope.Connection.QueryAsync<CompletionRow>(new CommandDefinition(
            $"""
            SELECT r.id, r.session_id, r.email_normalized, r.name, r.registered_utc_ms, a.attended, e.completed_utc_ms
            FROM registrations r
            LEFT JOIN attendance a ON a.registration_id = r.id
            LEFT JOIN evaluation_invitations e ON e.registration_id = r.id
            WHERE r.session_id IN ({sessionList}) AND r.email_normalized IN ({emailList})
            ORDER BY r.registered_utc_ms, r.id
            """, parameters, work.Scope.Transaction, cancellationToken: work.CancellationToken));
        var required = sessions.ToDictionary(s => s.id, s => s.evaluation_required == 1);
        foreach (var row in rows)
        {
            var person = people.TryGetValue(row.email_normalized, out var known) ? known : people[row.email_normalized] = new Person();
            person.Name = row.name;
            var sessionId = Guid.Parse(row.session_id);
            var candidate = new SessionCompletion(sessionId, row.attended == 1, required[row.session_id], row.completed_utc_ms is not null);
            if (!person.Sessions.TryGetValue(sessionId, out var current) || Rank(candidate) > Rank(current))
            {
                person.Sessions[sessionId] = candidate;
                person.Registrations[sessionId] = Guid.Parse(row.id);
            }
        }

        return people;

        static int Rank(SessionCompletion c) => c.Completed ? 2 : c.Attended ? 1 : 0;
    }

    // Each person's live certificate for the training, with the course requirement revision it was issued under and
    // the credit it records.
    private static async Task<Dictionary<string, (string Id, long Revision, CreditType Credit)>> LiveAsync(Work work, string column, Guid trainingId, IReadOnlyList<string> emails)
    {
        var (emailList, parameters) = SqlLists.Parameters("e", emails);
        parameters.Add("training", trainingId.ToString());
        var rows = await work.Scope.Connection.QueryAsync<(string id, string email_normalized, long revision, string credit)>(new CommandDefinition(
            $"""
            SELECT id, email_normalized, COALESCE(course_revision, 0) AS revision, credit FROM certificates
            WHERE {column} = @training AND revoked_utc_ms IS NULL AND email_normalized IN ({emailList})
            """,
            parameters, work.Scope.Transaction, cancellationToken: work.CancellationToken));
        return rows.ToDictionary(r => r.email_normalized, r => (r.id, r.revision, CertificateCredit.FromWire(r.credit)), StringComparer.Ordinal);
    }

    private sealed record Revoked(string id, string code, string email_normalized, string person_name, string training_title, string? session_id, string? registration_id);

    private sealed record Snapshot(CertificateKind Kind, Guid? SessionId, Guid? CourseId, Guid? RegistrationId, string Email, string PersonName,
        string TrainingTitle, string TrainingDate, int CeHoursCenti, string Statement)
    {
        public long? CourseRevision { get; init; }

        public CreditType Credit { get; init; } = CreditType.Live;

        // The end of the training it certifies. Attendance is recorded from the start, so a certificate may be earned
        // while its session still runs; it exists for nobody (pages, /verify, transcript, mail) before this instant.
        public DateTimeOffset InForceFrom { get; init; }
    }

    private sealed class Work(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken)
    {
        private readonly List<(Guid Id, Snapshot Snapshot)> _issued = [];
        private readonly List<Revoked> _revoked = [];

        public WriteScope Scope { get; } = scope;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public DateTimeOffset At => change.At;

        public async Task IssueAsync(Snapshot s)
        {
            var id = Guid.NewGuid();
            var code = CertificateCode.New();
            var at = Math.Max(change.At.ToUnixTimeMilliseconds(), s.InForceFrom.ToUnixTimeMilliseconds());
            await Scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO certificates (id, code, kind, session_id, course_id, registration_id, email_normalized, person_name, training_title,
                                          training_date, ce_hours_centi, statement, issued_utc_ms, course_revision, credit)
                VALUES (@id, @code, @kind, @session, @course, @registration, @email, @name, @title, @date, @hours, @statement, @at, @revision, @credit)
                """,
                new
                {
                    id = id.ToString(), code, kind = s.Kind == CertificateKind.Session ? "session" : "course", session = s.SessionId?.ToString(),
                    course = s.CourseId?.ToString(), registration = s.RegistrationId?.ToString(), email = s.Email, name = s.PersonName,
                    title = s.TrainingTitle, date = s.TrainingDate, hours = s.CeHoursCenti, statement = s.Statement, at, revision = s.CourseRevision,
                    credit = CertificateCredit.ToWire(s.Credit),
                }, Scope.Transaction, cancellationToken: CancellationToken));
            var what = s.Kind == CertificateKind.Course ? "Course" : s.Credit == CreditType.SelfStudy ? "Self-study session" : "Session";
            await AuditAsync("certificate.issued", id, $"{what} certificate {code} for {s.Email}: {s.TrainingTitle}.");
            _issued.Add((id, s));
        }

        public async Task RevokeAsync(string certificateId, string email, string ruleReason, bool tell = true)
        {
            if (await WithdrawIfNotInForceAsync(certificateId, email, ruleReason))
            {
                return;
            }

            var reason = string.IsNullOrWhiteSpace(change.Reason) ? ruleReason : $"{ruleReason} Reason given: {change.Reason.Trim()}";
            await Scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE certificates SET revoked_utc_ms = @at, revoked_reason = @reason WHERE id = @id AND revoked_utc_ms IS NULL",
                new { id = certificateId, at = change.At.ToUnixTimeMilliseconds(), reason }, Scope.Transaction, cancellationToken: CancellationToken));
            await AuditAsync("certificate.revoked", Guid.Parse(certificateId), $"Certificate of {email} revoked: {reason}");
            // The person is told too, in the same transaction: a certificate never disappears from a transcript unannounced
            // (unless another replaces it, whose own mail tells them).
            if (!tell)
            {
                return;
            }

            _revoked.Add(await Scope.Connection.QuerySingleAsync<Revoked>(new CommandDefinition(
                "SELECT id, code, email_normalized, person_name, training_title, session_id, registration_id FROM certificates WHERE id = @id",
                new { id = certificateId }, Scope.Transaction, cancellationToken: CancellationToken)));
        }

        // A certificate earned during a session whose attendance is undone before the end was never shown to anyone:
        // it is withdrawn (deleted, with its queued mail) rather than revoked, so no "revoked" page or mail ever
        // names a certificate its holder never saw.
        private async Task<bool> WithdrawIfNotInForceAsync(string certificateId, string email, string ruleReason)
        {
            var at = change.At.ToUnixTimeMilliseconds();
            var deleted = await Scope.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM certificates WHERE id = @id AND revoked_utc_ms IS NULL AND issued_utc_ms > @at",
                new { id = certificateId, at }, Scope.Transaction, cancellationToken: CancellationToken));
            if (deleted == 0)
            {
                return false;
            }

            await Scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET status = 'skipped', last_error = @why WHERE subject_ref = @subject AND status = 'queued'",
                new { subject = $"certificate:{certificateId}", why = "The certificate was withdrawn before its session ended." },
                Scope.Transaction, cancellationToken: CancellationToken));
            await AuditAsync("certificate.withdrawn", Guid.Parse(certificateId), $"Certificate of {email} withdrawn before it came into force: {ruleReason}");
            return true;
        }

        public async Task FlushMailAsync(string publicBaseUrl)
        {
            if (_issued.Count == 0 && _revoked.Count == 0)
            {
                return;
            }

            var mails = _issued.Select(i => new MailIntent(i.Snapshot.Email, MailPurpose.CertificateIssued, $"certificate:{i.Id}", i.Snapshot.SessionId, i.Snapshot.RegistrationId)
            {
                Link = $"{publicBaseUrl.TrimEnd('/')}/certificates/{i.Id}",
                Detail = i.Snapshot.TrainingTitle,
                Counterpart = i.Snapshot.PersonName,
                NotBefore = i.Snapshot.InForceFrom,
            }).ToList();
            mails.AddRange(_revoked.Select(r => new MailIntent(r.email_normalized, MailPurpose.CertificateRevoked, $"certificate-revoked:{r.id}",
                r.session_id is null ? null : Guid.Parse(r.session_id), r.registration_id is null ? null : Guid.Parse(r.registration_id))
            {
                Link = $"{publicBaseUrl.TrimEnd('/')}/verify/{r.code}",
                Detail = r.training_title,
                Counterpart = r.person_name,
            }));
            await OutboxWriter.InsertAsync(Scope, mails, change.At, CancellationToken);
            _issued.Clear();
            _revoked.Clear();
        }

        private Task AuditAsync(string action, Guid certificateId, string detail) =>
            AuditLog.AppendAsync(Scope, new AuditEntry(change.At, change.ActorId, null, action, "certificate", certificateId.ToString(), null, detail), CancellationToken);
    }

    private sealed class Person
    {
        public string Name { get; set; } = "";

        public Dictionary<Guid, SessionCompletion> Sessions { get; } = [];

        public Dictionary<Guid, Guid> Registrations { get; } = [];

        public Guid? RegistrationFor(Guid sessionId) => Registrations.TryGetValue(sessionId, out var id) ? id : null;
    }

    private sealed class SessionFacts
    {
        public string id { get; set; } = "";
        public string title { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string time_zone { get; set; } = "";
        public long ce_hours_centi { get; set; }
        public long evaluation_required { get; set; }
        public string certificate_statement { get; set; } = "";
        public long since_revision { get; set; }
        public long self_study_enabled { get; set; }
        public long self_study_percent { get; set; }
        public long? self_study_days { get; set; }
        public long? self_study_ce_hours_centi { get; set; }

        // The training's date is the day it started where it was held.
        public string Day() => Grains.Time.ZonedTime.In(DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms), time_zone)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private sealed class CourseFacts
    {
        public string id { get; set; } = "";
        public string title { get; set; } = "";
        public long ce_hours_centi { get; set; }
        public string certificate_statement { get; set; } = "";
        public long requirements_revision { get; set; }
    }

    private sealed class CompletionRow
    {
        public string id { get; set; } = "";
        public string session_id { get; set; } = "";
        public string email_normalized { get; set; } = "";
        public string name { get; set; } = "";
        public long registered_utc_ms { get; set; }
        public long? attended { get; set; }
        public long? completed_utc_ms { get; set; }
    }
}
