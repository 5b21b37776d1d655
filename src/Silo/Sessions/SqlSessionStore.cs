using System.Data;
using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Scheduling;
using LearnHub.Silo.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LearnHub.Silo.Sessions;

/// <summary>
/// The session grains' store, and the only code that writes a session's row, presenters, planned reminders and
/// registrations. A turn loads the session row with a lock (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE
/// transaction's write lock), runs the grain's logic, then writes what it staged and the roster in the same
/// transaction, raising the row's version. The roster write also checks the version it read, so a save that somehow
/// raced another fails loudly instead of overwriting it.
/// </summary>
public sealed class SqlSessionStore(LearnHubDatabase database, LearnHubClock clock) : ISessionStore
{
    // 22 parameters a row: 64 rows stay far below SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement.
    private const int InsertChunk = 64;

    internal const string RegistrationColumns =
        "id, session_id, group_id, group_secret, name, email, agency, job_role, time_zone, accommodations, status, sequence, registered_utc_ms, promoted_utc_ms, cancelled_utc_ms, recording_consent, accommodation_state, accommodation_note, accommodation_requested_utc_ms, answers, language";

    /// <inheritdoc />
    public async Task<T> RunTurnAsync<T>(Guid sessionId, Func<ISessionTurn, Task<T>> turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var row = await scope.Connection.QuerySingleOrDefaultAsync<RosterRow>(new CommandDefinition(
            """
            SELECT s.id, s.kind, s.capacity, s.starts_utc_ms, s.ends_utc_ms, s.invite_sequence, s.status, s.registration_closed, s.published,
                   s.confirmed_count, s.waitlisted_count, s.last_sequence, s.version, s.recording_consent_required,
                   s.registration_opens_utc_ms, s.registration_closes_utc_ms,
                   (SELECT le.id FROM sessions le WHERE le.webinar_id = s.id) AS learning_exchange_id,
                   (SELECT se.registration_questions FROM series se WHERE se.id = s.series_id) AS registration_questions
            FROM sessions s WHERE s.id = @id
            """ + database.LockRowSuffix,
            new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        var sqlTurn = new SqlSessionTurn(scope, row, sessionId, clock, cancellationToken);
        var result = await turn(sqlTurn);
        await sqlTurn.SaveAsync();
        await scope.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<SessionCreation> CreateAsync(Guid id, SessionDraft draft, string descriptionHtml, IReadOnlyList<Presenter> presenters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(presenters);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM sessions WHERE id = @id", new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken)) > 0)
        {
            return SessionCreation.Exists;
        }

        if (draft.WebinarId is { } webinar && await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM sessions WHERE webinar_id = @webinar", new { webinar = webinar.ToString() }, scope.Transaction, cancellationToken: cancellationToken)) > 0)
        {
            return SessionCreation.WebinarTaken;
        }

        try
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sessions (id, series_id, kind, title, description, description_html, starts_utc_ms, ends_utc_ms, time_zone, capacity, venue, venue_address,
                                      city, webinar_id, join_url, published, ce_hours_centi, recorded, recording_consent_required,
                                      registration_opens_utc_ms, registration_closes_utc_ms)
                VALUES (@id, @series, @kind, @title, @description, @html, @starts, @ends, @zone, @capacity, @venue, @venueAddress, @city, @webinar, @joinUrl,
                        @published, @ceHours, @recorded, @consentRequired, @opens, @closes)
                """,
                new
                {
                    id = id.ToString(),
                    series = draft.SeriesId.ToString(),
                    kind = draft.Kind.ToWire(),
                    title = draft.Title,
                    description = draft.Description,
                    html = descriptionHtml,
                    published = draft.Published ? 1 : 0,
                    starts = draft.StartsAt.ToUnixTimeMilliseconds(),
                    ends = draft.EndsAt.ToUnixTimeMilliseconds(),
                    zone = draft.TimeZone,
                    capacity = draft.Capacity,
                    venue = draft.Venue,
                    venueAddress = Blank(draft.VenueAddress),
                    city = draft.City,
                    webinar = draft.WebinarId?.ToString(),
                    joinUrl = draft.JoinUrl,
                    ceHours = draft.CeHoursCenti,
                    recorded = draft.Recorded ? 1 : 0,
                    consentRequired = draft.RecordingConsentRequired ? 1 : 0,
                    opens = draft.Window?.OpensAt?.ToUnixTimeMilliseconds(),
                    closes = draft.Window?.ClosesAt?.ToUnixTimeMilliseconds(),
                },
                scope.Transaction, cancellationToken: cancellationToken));
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            // Two exchanges created for one webinar at once: the database's unique key lets one in.
            return SessionCreation.WebinarTaken;
        }

        // Reminders are planned with the session: one row per lead time the series asks for, due that long before it.
        var offsets = await scope.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT reminder_offsets_minutes FROM series WHERE id = @id", new { id = draft.SeriesId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        foreach (var minutes in ReminderOffsets.Parse(offsets ?? ""))
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO session_reminders (session_id, offset_minutes, due_utc_ms) VALUES (@id, @minutes, @due)",
                new { id = id.ToString(), minutes, due = (draft.StartsAt - TimeSpan.FromMinutes(minutes)).ToUnixTimeMilliseconds() },
                scope.Transaction, cancellationToken: cancellationToken));
        }

        await InsertPresentersAsync(scope, id, presenters, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return SessionCreation.Created;
    }

    /// <inheritdoc />
    public async Task<SessionView?> LoadViewAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE s.id = @id", new { id = sessionId.ToString() }, cancellationToken)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> WaitlistSequencesAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT sequence FROM registrations WHERE session_id = @id AND status = 'waitlisted' ORDER BY sequence",
            new { id = sessionId.ToString() }, cancellationToken: cancellationToken))).ToList();
    }

    /// <inheritdoc />
    public async Task<RegistrationStatus?> StatusOfAsync(Guid sessionId, Guid registrationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM registrations WHERE id = @id AND session_id = @session",
            new { id = registrationId.ToString(), session = sessionId.ToString() }, cancellationToken: cancellationToken));
        return status is null ? null : RegistrationRow.StatusFromWire(status);
    }

    /// <summary>The placeholder an anonymized registration carries instead of a person's name.</summary>
    public const string ErasedName = "Erased person";

    /// <summary>The domain of the placeholder addresses anonymized rows carry (reserved: it never receives mail).</summary>
    public const string ErasedDomain = "erased.invalid";

    /// <summary>
    /// Takes the person out of the registrations that <paramref name="where"/> selects (a condition on the
    /// registrations table), inside the caller's transaction: name, email, agency, role and accommodations give way to
    /// placeholders and the answer about the recording is forgotten (it was the person's, and says nothing once nobody
    /// can tell whose it was), while status, arrival order and times stay, so seats, waitlists and counts still add up. The
    /// sessions touched have their row's version raised, so every session grain, in this cluster or another process,
    /// reads its roster again instead of trusting what it held. Returns those sessions.
    /// </summary>
    /// <remarks>Here because this store is the only writer of registrations (erasure and retention call it).</remarks>
    public static async Task<IReadOnlyList<Guid>> AnonymizeRegistrationsAsync(WriteScope scope, string where, object parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var sessions = (await scope.Connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT session_id FROM registrations WHERE ({where}) AND email_normalized NOT LIKE '%@{ErasedDomain}'",
            parameters, scope.Transaction, cancellationToken: cancellationToken))).Select(Guid.Parse).ToList();
        if (sessions.Count == 0)
        {
            return sessions;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE registrations
            SET name = '{ErasedName}', email = 'erased-' || id || '@{ErasedDomain}', email_normalized = 'erased-' || id || '@{ErasedDomain}',
                agency = '', job_role = '', accommodations = '', recording_consent = NULL, answers = NULL, language = NULL
            WHERE ({where}) AND email_normalized NOT LIKE '%@{ErasedDomain}'
            """, parameters, scope.Transaction, cancellationToken: cancellationToken));
        var (inList, ids) = SqlLists.Parameters("s", sessions.Select(s => s.ToString()).ToList());
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE sessions SET version = version + 1 WHERE id IN ({inList})", ids, scope.Transaction, cancellationToken: cancellationToken));
        return sessions;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsUniqueViolation(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteExtendedErrorCode: 2067 };

    private static async Task InsertPresentersAsync(WriteScope scope, Guid id, IReadOnlyList<Presenter> presenters, CancellationToken cancellationToken)
    {
        for (var position = 0; position < presenters.Count; position++)
        {
            var presenter = presenters[position];
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO session_presenters (session_id, position, name, affiliation, bio, bio_html) VALUES (@id, @position, @name, @affiliation, @bio, @bioHtml)",
                new { id = id.ToString(), position, name = presenter.Name, affiliation = presenter.Affiliation ?? "", bio = presenter.Bio ?? "", bioHtml = presenter.BioHtml },
                scope.Transaction, cancellationToken: cancellationToken));
        }
    }

    private sealed class SqlSessionTurn(WriteScope scope, RosterRow? row, Guid sessionId, LearnHubClock clock, CancellationToken cancellationToken) : ISessionTurn
    {
        private readonly List<Registration> _new = [];
        private readonly List<Registration> _changed = [];
        private readonly List<MailIntent> _mail = [];
        private readonly List<(Registration Registration, RegistrantEdit Edit)> _edited = [];
        private readonly List<(Registration Registration, OrganizerActor Act)> _answered = [];
        private IReadOnlyList<TimeSpan>? _reminderLeads;
        private readonly List<RegistrantAudit> _audits = [];
        private StoredDetails? _details;
        private bool? _published;
        private IReadOnlyList<ContentTranslation>? _translations;

        public SessionRoster? Roster { get; } = row?.ToRoster();

        public SessionKind Kind => row is null ? default : SessionKinds.FromWire(row.kind);

        public long Version { get; private set; } = row?.version ?? 0;

        public async Task<IReadOnlyDictionary<string, Registration>> FindActiveByEmailsAsync(
            IReadOnlyCollection<string> normalizedEmails, CancellationToken cancellationToken)
        {
            if (normalizedEmails.Count == 0)
            {
                return new Dictionary<string, Registration>();
            }

            var (inList, parameters) = SqlLists.Parameters("e", normalizedEmails);
            parameters.Add("session", sessionId.ToString());
            var rows = await scope.Connection.QueryAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status <> 'cancelled' AND email_normalized IN ({inList})",
                parameters, scope.Transaction, cancellationToken: cancellationToken));
            return rows.Select(r => r.ToRegistration()).ToDictionary(r => r.Applicant.NormalizedEmail, StringComparer.Ordinal);
        }

        public async Task<Registration?> FindAsync(Guid registrationId, CancellationToken cancellationToken) =>
            (await scope.Connection.QuerySingleOrDefaultAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND id = @id",
                new { session = sessionId.ToString(), id = registrationId.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))?.ToRegistration();

        public async Task<IReadOnlyList<Registration>> ActiveRegistrationsAsync(CancellationToken cancellationToken) =>
            (await scope.Connection.QueryAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status <> 'cancelled' ORDER BY sequence",
                new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))
            .Select(r => r.ToRegistration()).ToList();

        public async Task<IReadOnlyList<Registration>> WaitingAsync(int count, CancellationToken cancellationToken) =>
            (await scope.Connection.QueryAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status = 'waitlisted' ORDER BY sequence LIMIT @count",
                new { session = sessionId.ToString(), count }, scope.Transaction, cancellationToken: cancellationToken)))
            .Select(r => r.ToRegistration()).ToList();

        public async Task<PairingFacts> PairingFactsAsync(Guid? webinarId, CancellationToken cancellationToken)
        {
            var followedBy = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT id FROM sessions WHERE webinar_id = @id", new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
            PairingTarget? target = null;
            if (webinarId is { } webinar)
            {
                var t = (await scope.Connection.QueryAsync<(string kind, string series_id, long ends_utc_ms, string? exchange)>(new CommandDefinition(
                    """
                    SELECT w.kind, w.series_id, w.ends_utc_ms, (SELECT le.id FROM sessions le WHERE le.webinar_id = w.id) AS exchange
                    FROM sessions w WHERE w.id = @id
                    """, new { id = webinar.ToString() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
                if (t.Count == 1)
                {
                    target = new PairingTarget(webinar, SessionKinds.FromWire(t[0].kind), Guid.Parse(t[0].series_id),
                        DateTimeOffset.FromUnixTimeMilliseconds(t[0].ends_utc_ms), t[0].exchange is { } e ? Guid.Parse(e) : null);
                }
            }

            return new PairingFacts(followedBy is null ? null : Guid.Parse(followedBy), target);
        }

        public async Task<StoredDetails> DetailsAsync(CancellationToken cancellationToken)
        {
            var d = await scope.Connection.QuerySingleAsync<DetailsRow>(new CommandDefinition(
                """
                SELECT kind, title, description, description_html, join_url, venue, venue_address, city, webinar_id, ce_hours_centi, series_id,
                       recorded, recording_consent_required, registration_opens_utc_ms, registration_closes_utc_ms
                FROM sessions WHERE id = @id
                """, new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
            var presenters = (await scope.Connection.QueryAsync<(string name, string affiliation, string bio, string bio_html)>(new CommandDefinition(
                "SELECT name, affiliation, bio, bio_html FROM session_presenters WHERE session_id = @id ORDER BY position",
                new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))
                .Select(p => new Presenter(p.name, p.affiliation, p.bio, p.bio_html)).ToList();
            return new StoredDetails(SessionKinds.FromWire(d.kind), d.title, d.description, d.description_html, d.join_url, d.venue, d.city,
                d.webinar_id is null ? null : Guid.Parse(d.webinar_id), (int)d.ce_hours_centi, presenters, Guid.Parse(d.series_id), d.venue_address,
                d.recorded != 0, d.recording_consent_required != 0,
                new RegistrationWindow(Instant(d.registration_opens_utc_ms), Instant(d.registration_closes_utc_ms)));
        }

        public void StageNew(Registration registration) => _new.Add(registration);

        public void StageChanged(Registration registration) => _changed.Add(registration);

        public void StageMail(MailIntent mail) => _mail.Add(mail);

        public void StageEdited(Registration registration, RegistrantEdit edit) => _edited.Add((registration, edit));

        public void StageAccommodation(Registration registration, OrganizerActor act) => _answered.Add((registration, act));

        public void StageReminderLeads(IReadOnlyList<TimeSpan> leads) => _reminderLeads = leads;

        public void StageDetails(StoredDetails details) => _details = details;

        public void StageAudit(RegistrantAudit audit) => _audits.Add(audit);

        public async Task<bool> MailQueuedAsync(string idempotencyKey, CancellationToken cancellationToken) =>
            await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key = @key", new { key = idempotencyKey }, scope.Transaction, cancellationToken: cancellationToken)) > 0;

        public void StagePublished(bool published) => _published = published;

        public void StageTranslations(IReadOnlyList<ContentTranslation> translations) => _translations = translations;

        public async Task SaveAsync()
        {
            var connection = scope.Connection;
            foreach (var chunk in _new.Chunk(InsertChunk))
            {
                await InsertAsync(chunk);
            }

            foreach (var registration in _changed)
            {
                await connection.ExecuteAsync(Command(
                    "UPDATE registrations SET status = @status, promoted_utc_ms = @promoted_utc_ms, cancelled_utc_ms = @cancelled_utc_ms WHERE id = @id",
                    RegistrationRow.From(registration)));
            }

            foreach (var (registration, edit) in _edited)
            {
                var now = clock.GetUtcNow();
                var a = registration.Applicant;
                await connection.ExecuteAsync(Command(
                    """
                    UPDATE registrations SET name = @name, agency = @agency, job_role = @jobRole, time_zone = @zone, accommodations = @accommodations,
                                             recording_consent = @consent, edited_utc_ms = @now,
                                             accommodation_state = @accState, accommodation_note = @accNote, accommodation_requested_utc_ms = @accAt
                    WHERE id = @id
                    """,
                    new
                    {
                        id = registration.Id.ToString(), name = a.Name, agency = a.Agency, jobRole = a.JobRole, zone = a.TimeZone,
                        accommodations = a.Accommodations, consent = RegistrationRow.ConsentToWire(a.RecordingConsent), now = now.ToUnixTimeMilliseconds(),
                        accState = Accommodation.ToWire(registration.Accommodation.State), accNote = registration.Accommodation.Note,
                        accAt = registration.Accommodation.RequestedAt?.ToUnixTimeMilliseconds(),
                    }));
                // The registrant acts through their manage link, without an account: the entry names them by email.
                await AuditLog.AppendAsync(scope, new AuditEntry(now, null, a.NormalizedEmail, "registration.edited", "registration", registration.Id.ToString(),
                    edit.FromAddress, $"Changed by the registrant: {string.Join(", ", edit.ChangedFields)}.") { ObjectTitle = a.Name }, cancellationToken);
            }

            foreach (var (registration, act) in _answered)
            {
                var accommodation = registration.Accommodation;
                await connection.ExecuteAsync(Command(
                    "UPDATE registrations SET accommodation_state = @state, accommodation_note = @note WHERE id = @id",
                    new { id = registration.Id.ToString(), state = Accommodation.ToWire(accommodation.State), note = accommodation.Note }));
                // The note is the registrant's to read, not the log's: the entry names the state only.
                await AuditLog.AppendAsync(scope, new AuditEntry(clock.GetUtcNow(), act.AccountId, act.Email, "registration.accommodation", "registration",
                    registration.Id.ToString(), act.FromAddress, $"Accommodation: {Accommodation.Label(accommodation.State)}" + (accommodation.Note.Length > 0 ? ", with a note." : "."))
                {
                    ObjectTitle = registration.Applicant.Name,
                }, cancellationToken);
            }

            await OutboxWriter.InsertAsync(scope, _mail, clock.GetUtcNow(), cancellationToken);

            foreach (var audit in _audits)
            {
                await AuditLog.AppendAsync(scope, new AuditEntry(clock.GetUtcNow(), audit.Actor.AccountId, audit.Actor.Email, audit.Action, "registration",
                    audit.RegistrationId.ToString(), audit.Actor.FromAddress, audit.Detail) { ObjectTitle = audit.Title }, cancellationToken);
            }

            if (Roster is not { } roster || row is null)
            {
                return;
            }

            if (_reminderLeads is { } leads)
            {
                await ReplanRemindersAsync(roster, leads);
            }

            if (_details is { } details)
            {
                await connection.ExecuteAsync(Command(
                    """
                    UPDATE sessions SET title = @title, description = @description, description_html = @html, join_url = @joinUrl, venue = @venue,
                                        venue_address = @venueAddress, city = @city, kind = @kind, webinar_id = @webinar, ce_hours_centi = @ceHours,
                                        recorded = @recorded, recording_consent_required = @consentRequired,
                                        registration_opens_utc_ms = @opens, registration_closes_utc_ms = @closes
                    WHERE id = @id
                    """,
                    new
                    {
                        id = sessionId.ToString(), title = details.Title, description = details.Description, html = details.DescriptionHtml,
                        joinUrl = details.JoinUrl, venue = details.Venue, venueAddress = Blank(details.VenueAddress), city = details.City, kind = details.Kind.ToWire(),
                        webinar = details.WebinarId?.ToString(), ceHours = details.CeHoursCenti,
                        recorded = details.Recorded ? 1 : 0, consentRequired = details.RecordingConsentRequired ? 1 : 0,
                        opens = details.Window?.OpensAt?.ToUnixTimeMilliseconds(), closes = details.Window?.ClosesAt?.ToUnixTimeMilliseconds(),
                    }));
                await connection.ExecuteAsync(Command("DELETE FROM session_presenters WHERE session_id = @id", new { id = sessionId.ToString() }));
                await InsertPresentersAsync(scope, sessionId, details.Presenters, cancellationToken);
            }

            if (_published is { } published)
            {
                await connection.ExecuteAsync(Command("UPDATE sessions SET published = @published WHERE id = @id",
                    new { id = sessionId.ToString(), published = published ? 1 : 0 }));
            }

            if (_translations is { } translations)
            {
                await connection.ExecuteAsync(Command("UPDATE sessions SET translations = @translations WHERE id = @id",
                    new { id = sessionId.ToString(), translations = ContentTranslations.ToColumn(translations) }));
            }

            if (!row.DiffersFrom(roster) && _details is null && _published is null && _translations is null)
            {
                return;
            }

            var saved = await connection.ExecuteAsync(Command(
                """
                UPDATE sessions SET capacity = @capacity, confirmed_count = @confirmed, waitlisted_count = @waitlisted, last_sequence = @last,
                    registration_closed = @closed, starts_utc_ms = @starts, ends_utc_ms = @ends, invite_sequence = @invite,
                    status = @status, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    id = sessionId.ToString(),
                    capacity = roster.Capacity,
                    confirmed = roster.ConfirmedCount,
                    waitlisted = roster.WaitlistedCount,
                    last = roster.LastSequence,
                    closed = roster.ClosedByOrganizer ? 1 : 0,
                    starts = roster.StartsAt.ToUnixTimeMilliseconds(),
                    ends = roster.EndsAt.ToUnixTimeMilliseconds(),
                    invite = roster.InviteSequence,
                    status = roster.IsCancelled ? "cancelled" : "scheduled",
                    version = roster.Version,
                }));
            if (saved != 1)
            {
                throw new DBConcurrencyException($"Session {sessionId} changed since version {roster.Version} was read; nothing was saved.");
            }

            Version = roster.Version + 1;
            if (roster.IsCancelled && row.status != "cancelled")
            {
                // Dropped, not deleted: the rows still say which reminders never went out and why.
                await connection.ExecuteAsync(Command(
                    "UPDATE session_reminders SET state = 'skipped' WHERE session_id = @id AND state = 'pending'", new { id = sessionId.ToString() }));
            }
            else if (roster.StartsAt.ToUnixTimeMilliseconds() != row.starts_utc_ms)
            {
                // Re-planned from the new start; a reminder that already went out goes again, for the new time.
                await connection.ExecuteAsync(Command(
                    "UPDATE session_reminders SET due_utc_ms = @starts - CAST(offset_minutes AS BIGINT) * 60000, state = 'pending', fired_utc_ms = NULL WHERE session_id = @id",
                    new { id = sessionId.ToString(), starts = roster.StartsAt.ToUnixTimeMilliseconds() }));
            }
        }

        // Reminders still to come follow the new lead times; those sent or skipped stay as the record of what happened.
        private async Task ReplanRemindersAsync(SessionRoster roster, IReadOnlyList<TimeSpan> leads)
        {
            var id = sessionId.ToString();
            var minutes = leads.Select(l => (int)l.TotalMinutes).Distinct().ToList();
            var existing = (await scope.Connection.QueryAsync<(long offset_minutes, string state)>(Command(
                "SELECT offset_minutes, state FROM session_reminders WHERE session_id = @id", new { id }))).ToList();
            foreach (var (offset, _) in existing.Where(r => r.state == "pending" && !minutes.Contains((int)r.offset_minutes)))
            {
                await scope.Connection.ExecuteAsync(Command(
                    "DELETE FROM session_reminders WHERE session_id = @id AND offset_minutes = @offset AND state = 'pending'", new { id, offset }));
            }

            var now = clock.GetUtcNow();
            foreach (var lead in minutes.Where(m => existing.All(r => r.offset_minutes != m)))
            {
                var due = roster.StartsAt - TimeSpan.FromMinutes(lead);
                // A lead whose moment has passed is not sent late now: it is recorded as skipped, like a misfire after the start.
                await scope.Connection.ExecuteAsync(Command(
                    "INSERT INTO session_reminders (session_id, offset_minutes, due_utc_ms, state) VALUES (@id, @lead, @due, @state)",
                    new { id, lead, due = due.ToUnixTimeMilliseconds(), state = due > now ? "pending" : "skipped" }));
            }
        }

        // One multi-row INSERT per chunk: a batch of admissions costs one round trip, not one per registrant.
        private async Task InsertAsync(Registration[] registrations)
        {
            var parameters = new DynamicParameters();
            var rows = new List<string>(registrations.Length);
            for (var i = 0; i < registrations.Length; i++)
            {
                var r = RegistrationRow.From(registrations[i]);
                rows.Add($"(@id{i}, @session{i}, @group{i}, @secret{i}, @name{i}, @email{i}, @agency{i}, @role{i}, @zone{i}, @acc{i}, @status{i}, @seq{i}, @at{i}, @promoted{i}, @cancelled{i}, @consent{i}, @accState{i}, @accNote{i}, @accAt{i}, @answers{i}, @lang{i}, @norm{i})");
                parameters.Add($"id{i}", r.id);
                parameters.Add($"session{i}", r.session_id);
                parameters.Add($"group{i}", r.group_id);
                parameters.Add($"secret{i}", r.group_secret);
                parameters.Add($"name{i}", r.name);
                parameters.Add($"email{i}", r.email);
                parameters.Add($"agency{i}", r.agency);
                parameters.Add($"role{i}", r.job_role);
                parameters.Add($"zone{i}", r.time_zone);
                parameters.Add($"acc{i}", r.accommodations);
                parameters.Add($"status{i}", r.status);
                parameters.Add($"seq{i}", r.sequence);
                parameters.Add($"at{i}", r.registered_utc_ms);
                parameters.Add($"promoted{i}", r.promoted_utc_ms);
                parameters.Add($"cancelled{i}", r.cancelled_utc_ms);
                parameters.Add($"consent{i}", r.recording_consent);
                parameters.Add($"accState{i}", r.accommodation_state);
                parameters.Add($"accNote{i}", r.accommodation_note);
                parameters.Add($"accAt{i}", r.accommodation_requested_utc_ms);
                parameters.Add($"answers{i}", r.answers);
                parameters.Add($"lang{i}", r.language);
                parameters.Add($"norm{i}", r.email_normalized);
            }

            await scope.Connection.ExecuteAsync(Command(
                $"INSERT INTO registrations ({RegistrationColumns}, email_normalized) VALUES {string.Join(", ", rows)}", parameters));
        }

        private CommandDefinition Command(string sql, object parameters) =>
            new(sql, parameters, scope.Transaction, cancellationToken: cancellationToken);
    }

    private sealed class DetailsRow
    {
        public string kind { get; set; } = "";
        public string title { get; set; } = "";
        public string description { get; set; } = "";
        public string description_html { get; set; } = "";
        public string? join_url { get; set; }
        public string? venue { get; set; }
        public string? venue_address { get; set; }
        public string? city { get; set; }
        public string? webinar_id { get; set; }
        public long ce_hours_centi { get; set; }
        public string series_id { get; set; } = "";
        public long recorded { get; set; }
        public long recording_consent_required { get; set; }
        public long? registration_opens_utc_ms { get; set; }
        public long? registration_closes_utc_ms { get; set; }
    }

    private static DateTimeOffset? Instant(long? utcMs) => utcMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private sealed class RosterRow
    {
        public string id { get; set; } = "";
        public string kind { get; set; } = "";
        public long capacity { get; set; }
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public long invite_sequence { get; set; }
        public string status { get; set; } = "scheduled";
        public long registration_closed { get; set; }
        public long published { get; set; } = 1;
        public long confirmed_count { get; set; }
        public long waitlisted_count { get; set; }
        public long last_sequence { get; set; }
        public long version { get; set; }
        public string? learning_exchange_id { get; set; }
        public long recording_consent_required { get; set; }
        public long? registration_opens_utc_ms { get; set; }
        public long? registration_closes_utc_ms { get; set; }
        public string? registration_questions { get; set; }

        public SessionRoster ToRoster() => new(
            Guid.Parse(id),
            checked((int)capacity),
            DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms),
            registration_closed != 0,
            checked((int)confirmed_count),
            checked((int)waitlisted_count),
            last_sequence,
            learning_exchange_id is null ? null : Guid.Parse(learning_exchange_id),
            version,
            DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms),
            invite_sequence,
            status == "cancelled",
            published != 0,
            recording_consent_required != 0,
            new RegistrationWindow(Instant(registration_opens_utc_ms), Instant(registration_closes_utc_ms)),
            QuestionsJson.Parse(registration_questions));

        public bool DiffersFrom(SessionRoster roster) =>
            roster.Capacity != capacity || roster.ConfirmedCount != confirmed_count || roster.WaitlistedCount != waitlisted_count ||
            roster.LastSequence != last_sequence || (roster.ClosedByOrganizer ? 1 : 0) != registration_closed ||
            roster.InviteSequence != invite_sequence || roster.IsCancelled != (status == "cancelled") ||
            roster.StartsAt.ToUnixTimeMilliseconds() != starts_utc_ms || roster.EndsAt.ToUnixTimeMilliseconds() != ends_utc_ms;
    }
}
