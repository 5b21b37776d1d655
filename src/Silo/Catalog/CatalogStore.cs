using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Scheduling;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Silo.Catalog;

/// <summary>A series with its sessions, as the catalog shows it.</summary>
public sealed record SeriesView(Guid Id, string Slug, string Title, string Description, IReadOnlyList<SessionView> Sessions)
{
    /// <summary>The sanitized rendering of the description (empty for series stored before rendering existed).</summary>
    public string DescriptionHtml { get; init; } = "";

    /// <summary>The series' tracks, as wire names (see <see cref="Grains.Catalog.Tracks"/>).</summary>
    public IReadOnlyList<string> Tracks { get; init; } = [];
}

/// <summary>A session as the catalog and the API show it; times are UTC instants plus the session's IANA zone.</summary>
public sealed record SessionView(
    Guid Id,
    Guid SeriesId,
    string SeriesSlug,
    string SeriesTitle,
    SessionKind Kind,
    string Title,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    int Capacity,
    int ConfirmedCount,
    int WaitlistedCount,
    bool RegistrationClosedByOrganizer,
    bool Cancelled,
    string? Venue,
    string? City,
    Guid? WebinarId,
    Guid? LearningExchangeId,
    IReadOnlyList<Presenter> Presenters)
{
    /// <summary>The sanitized rendering of the description (empty for sessions stored before rendering existed).</summary>
    public string DescriptionHtml { get; init; } = "";

    /// <summary>False while an organizer keeps the session out of the public catalog.</summary>
    public bool Published { get; init; } = true;

    /// <summary>The join link (shown to registrants and organizers only).</summary>
    public string? JoinUrl { get; init; }

    /// <summary>An in-person training's street address, when the organizer gave one.</summary>
    public string? VenueAddress { get; init; }

    /// <summary>Seats still free.</summary>
    public int SeatsLeft => Math.Max(0, Capacity - ConfirmedCount);

    /// <summary>True when registration is open at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => now < StartsAt && !RegistrationClosedByOrganizer && !Cancelled;
}

/// <summary>
/// Creates and reads series and sessions. Seats are never written here: only the roster store changes them. Rich text
/// is rendered and sanitized here, before it is stored, so no path into the tables skips the policy.
/// </summary>
public sealed class CatalogStore(LearnHubDatabase database, LearnHubClock clock, RichTextPolicy? richText = null, IEnumerable<ITrainingRecordObserver>? observers = null)
{
    private readonly RichTextPolicy _richText = richText ?? new RichTextPolicy();

    private const string SessionSelect =
        """
        SELECT s.id, s.series_id, se.slug AS series_slug, se.title AS series_title, s.kind, s.title, s.description,
               s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.capacity, s.confirmed_count, s.waitlisted_count,
               s.registration_closed, s.status, s.venue, s.venue_address, s.city, s.webinar_id, s.description_html, s.published, s.join_url,
               (SELECT le.id FROM sessions le WHERE le.webinar_id = s.id) AS learning_exchange_id
        FROM sessions s JOIN series se ON se.id = s.series_id
        """;

    /// <summary>Sets the reminder lead times of a series (for sessions created from now on).</summary>
    public async Task SetReminderOffsetsAsync(Guid seriesId, IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET reminder_offsets_minutes = @offsets WHERE id = @id",
            new { id = seriesId.ToString(), offsets = ReminderOffsets.Format(leads) }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>Stores a series; throws with every problem when the draft is invalid or the slug is taken.</summary>
    public async Task<Guid> CreateSeriesAsync(SeriesDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfInvalid(draft.Problems());
        var training = draft.Training ?? new SeriesTraining();
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var taken = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM series WHERE slug = @slug", new { slug = draft.Slug }, scope.Transaction, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            throw new DomainException($"A series with the slug '{draft.Slug}' exists already.");
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO series (id, slug, title, description, description_html, tracks, attendance_threshold_percent, evaluation_required, certificate_statement, created_utc_ms)
            VALUES (@id, @slug, @title, @description, @html, @tracks, @threshold, @evaluation, @statement, @at)
            """,
            new
            {
                id = id.ToString(), slug = draft.Slug, title = draft.Title, description = draft.Description, html = _richText.RenderMarkdown(draft.Description),
                tracks = Tracks.Format(draft.Tracks ?? []), threshold = training.AttendanceThresholdPercent, evaluation = training.EvaluationRequired ? 1 : 0,
                statement = training.CertificateStatement.Trim(), at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Changes a series' title, description and tracks (its slug stays: links to it are out there).</summary>
    public async Task UpdateSeriesAsync(Guid id, SeriesDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfInvalid(draft.Problems());
        var html = _richText.RenderMarkdown(draft.Description);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // The settings change in the same statement as the rest of the form, so a crash cannot keep half an edit.
        var training = draft.Training;
        var evaluationWasRequired = await scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT evaluation_required FROM series WHERE id = @id" + database.LockRowSuffix, new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken)) == 1;
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            training is null
                ? "UPDATE series SET title = @title, description = @description, description_html = @html, tracks = @tracks WHERE id = @id"
                : """
                  UPDATE series SET title = @title, description = @description, description_html = @html, tracks = @tracks,
                      attendance_threshold_percent = @threshold, evaluation_required = @evaluation, certificate_statement = @statement
                  WHERE id = @id
                  """,
            new
            {
                id = id.ToString(), title = draft.Title, description = draft.Description, html, tracks = Tracks.Format(draft.Tracks ?? []),
                threshold = training?.AttendanceThresholdPercent ?? 0, evaluation = training?.EvaluationRequired == true ? 1 : 0,
                statement = training?.CertificateStatement.Trim() ?? "",
            },
            scope.Transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            throw new DomainException($"There is no series {id}.");
        }

        if (evaluationWasRequired && training is { EvaluationRequired: false })
        {
            await ReleaseWaitingCertificatesAsync(scope, id, cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
    }

    // Certificates that waited only for an evaluation are due the moment the series stops requiring one: the
    // certificate rules run again, in this transaction, for every attendee of the series' sessions.
    private async Task ReleaseWaitingCertificatesAsync(WriteScope scope, Guid seriesId, CancellationToken cancellationToken)
    {
        var series = new { series = seriesId.ToString() };
        if (database.LockRowSuffix.Length > 0)
        {
            // Every session row of the series first, then every course row of those sessions, each in id order, before
            // any observer runs. The observers lock a session and then its courses; run one session after another, this
            // writer would hold the first session's course while waiting for the next session, which an attendance or
            // evaluation writer may hold while it waits for that same course: a deadlock on PostgreSQL. Holding the
            // sessions before reading attendance also means a writer that recorded attendance under the old setting has
            // committed by then, so its attendee is seen here. (SQLite has one writer; its suffix is empty.)
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT id FROM sessions WHERE series_id = @series ORDER BY id" + database.LockRowSuffix, series, scope.Transaction, cancellationToken: cancellationToken));
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                SELECT c.id FROM courses c
                WHERE c.id IN (SELECT cs.course_id FROM course_sessions cs JOIN sessions s ON s.id = cs.session_id WHERE s.series_id = @series)
                ORDER BY c.id
                """ + database.LockRowSuffix, series, scope.Transaction, cancellationToken: cancellationToken));
        }

        var attendees = await scope.Connection.QueryAsync<(string session_id, string registration_id)>(new CommandDefinition(
            """
            SELECT a.session_id, a.registration_id FROM attendance a JOIN sessions s ON s.id = a.session_id
            WHERE s.series_id = @series AND a.attended = 1 ORDER BY a.session_id, a.registration_id
            """, series, scope.Transaction, cancellationToken: cancellationToken));
        foreach (var session in attendees.GroupBy(a => a.session_id))
        {
            var change = new TrainingRecordChange(Guid.Parse(session.Key), session.Select(a => Guid.Parse(a.registration_id)).ToList(), null, clock.GetUtcNow(),
                "The series no longer requires the evaluation.");
            foreach (var observer in observers ?? [])
            {
                await observer.TrainingRecordChangedAsync(scope, change, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Changes what an organizer may change of a session besides its times and seats (which move through its grain);
    /// presenters are replaced as a list. A new kind keeps the link rules: a webinar that a learning exchange follows
    /// stays a webinar, a learning exchange follows a national webinar of its series that has no other exchange, and a
    /// session that stops being an exchange drops its link. A join link that really changed is mailed, with an updated
    /// invite, to everyone holding a seat, in the same transaction (keyed by the invite sequence the change raised, so
    /// each change is mailed once). Returns how many registrants were told of a new join link.
    /// </summary>
    public async Task<int> UpdateSessionDetailsAsync(Guid id, SessionDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var session = await FindSessionForOrganizersAsync(id, cancellationToken) ?? throw new DomainException($"There is no session {id}.");
        var kind = details.Kind ?? session.Kind;
        ThrowIfInvalid(details.Problems(kind));
        var html = _richText.RenderMarkdown(details.Description);
        var presenters = Render(details.Presenters);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // Held like a roster turn holds it: the invite sequence raised below must not race a reschedule.
        var current = await scope.Connection.QuerySingleAsync<(string kind, string? webinar_id, string? join_url, long invite_sequence, string status, string series_id, long ends_utc_ms)>(
            new CommandDefinition(
                "SELECT kind, webinar_id, join_url, invite_sequence, status, series_id, ends_utc_ms FROM sessions WHERE id = @id" + database.LockRowSuffix,
                new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        var webinarId = kind == SessionKind.LearningExchange ? details.WebinarId ?? (current.webinar_id is { } w ? Guid.Parse(w) : null) : null;
        if (kind != SessionKinds.FromWire(current.kind) || webinarId?.ToString() != current.webinar_id)
        {
            await CheckKindLinksAsync(scope, id, current.series_id, kind, webinarId, cancellationToken);
        }

        var joinChanged = !string.Equals(details.JoinUrl, current.join_url, StringComparison.Ordinal) && details.JoinUrl is not null;
        var inviteSequence = joinChanged ? current.invite_sequence + 1 : current.invite_sequence;
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sessions SET title = @title, description = @description, description_html = @html, join_url = @joinUrl, venue = @venue, venue_address = @venueAddress, city = @city,
                                kind = @kind, webinar_id = @webinar, invite_sequence = @invite, version = version + @bump,
                                ce_hours_centi = COALESCE(@ceHours, ce_hours_centi)
            WHERE id = @id
            """,
            new
            {
                id = id.ToString(), title = details.Title, description = details.Description, html, joinUrl = details.JoinUrl, venue = details.Venue, venueAddress = Trimmed(details.VenueAddress), city = details.City,
                kind = kind.ToWire(), webinar = webinarId?.ToString(), invite = inviteSequence, bump = joinChanged ? 1 : 0,
                ceHours = details.CeHoursCenti,
            },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM session_presenters WHERE session_id = @id", new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        await InsertPresentersAsync(scope, id, presenters, cancellationToken);
        var notified = 0;
        if (joinChanged && current.status == "scheduled" && current.ends_utc_ms > clock.GetUtcNow().ToUnixTimeMilliseconds())
        {
            // A link removed is not news worth an email; a new or replaced one is, to those who hold a seat — while
            // the session is still to come or running (after it, the link changes nothing anyone can join).
            notified = await RegistrantMail.QueueAsync(scope, id, confirmedOnly: true, clock.GetUtcNow(),
                (email, registration) => new MailIntent(email, MailPurpose.JoinLinkChanged, $"session:{id}:join-link-changed:{inviteSequence}", id, registration),
                cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return notified;
    }

    private static async Task CheckKindLinksAsync(WriteScope scope, Guid id, string seriesId, SessionKind kind, Guid? webinarId, CancellationToken cancellationToken)
    {
        var followedBy = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT id FROM sessions WHERE webinar_id = @id", new { id = id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (followedBy is not null && kind != SessionKind.NationalWebinar)
        {
            throw new DomainException("A learning exchange follows this webinar, so it stays a national webinar; change or remove the exchange first.");
        }

        if (kind != SessionKind.LearningExchange)
        {
            return;
        }

        if (webinarId is not { } webinar || webinar == id)
        {
            throw new DomainException("Choose the webinar this learning exchange follows.");
        }

        var target = (await scope.Connection.QueryAsync<(string kind, string series_id)>(new CommandDefinition(
            "SELECT kind, series_id FROM sessions WHERE id = @id", new { id = webinar.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))
            .FirstOrDefault();
        if (target.kind != SessionKind.NationalWebinar.ToWire() || target.series_id != seriesId)
        {
            throw new DomainException("A learning exchange must follow a national webinar of the same series.");
        }

        var taken = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT id FROM sessions WHERE webinar_id = @webinar AND id <> @id", new { webinar = webinar.ToString(), id = id.ToString() },
            scope.Transaction, cancellationToken: cancellationToken));
        if (taken is not null)
        {
            throw new DomainException("That webinar already has a learning exchange.");
        }
    }

    /// <summary>Shows the session in the public catalog or keeps it out; false when it already was so.</summary>
    public async Task<bool> SetPublishedAsync(Guid id, bool published, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET published = @published WHERE id = @id AND published <> @published",
            new { id = id.ToString(), published = published ? 1 : 0 }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <summary>Stores a session with its presenters; throws with every problem when the draft is invalid.</summary>
    public async Task<Guid> CreateSessionAsync(SessionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfInvalid(draft.Problems());
        var html = _richText.RenderMarkdown(draft.Description);
        var presenters = Render(draft.Presenters);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (draft.WebinarId is { } webinarId)
        {
            var webinarKind = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT kind FROM sessions WHERE id = @id", new { id = webinarId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
            if (webinarKind != SessionKind.NationalWebinar.ToWire())
            {
                throw new DomainException($"Session {webinarId} is not a national webinar; a learning exchange must follow one.");
            }
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sessions (id, series_id, kind, title, description, description_html, starts_utc_ms, ends_utc_ms, time_zone, capacity, venue, venue_address, city,
                                  webinar_id, join_url, published, ce_hours_centi)
            VALUES (@id, @series, @kind, @title, @description, @html, @starts, @ends, @zone, @capacity, @venue, @venueAddress, @city, @webinar, @joinUrl, @published, @ceHours)
            """,
            new
            {
                id = id.ToString(),
                series = draft.SeriesId.ToString(),
                kind = draft.Kind.ToWire(),
                title = draft.Title,
                description = draft.Description,
                html,
                published = draft.Published ? 1 : 0,
                starts = draft.StartsAt.ToUnixTimeMilliseconds(),
                ends = draft.EndsAt.ToUnixTimeMilliseconds(),
                zone = draft.TimeZone,
                capacity = draft.Capacity,
                venue = draft.Venue,
                venueAddress = Trimmed(draft.VenueAddress),
                city = draft.City,
                webinar = draft.WebinarId?.ToString(),
                joinUrl = draft.JoinUrl,
                ceHours = draft.CeHoursCenti,
            },
            scope.Transaction, cancellationToken: cancellationToken));
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
        return id;
    }

    /// <summary>
    /// A number that changes whenever anything the catalog page shows changes (kept by triggers on series and sessions;
    /// seat counts do not move it). Web nodes poll it to drop their cached catalog pages.
    /// </summary>
    public async Task<long> CatalogVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT version FROM catalog_version WHERE id = 1", cancellationToken: cancellationToken));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private List<Presenter> Render(IReadOnlyList<Presenter> presenters) =>
        (presenters ?? []).Select(p => p with { BioHtml = _richText.RenderMarkdown(p.Bio ?? "") }).ToList();

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

    /// <summary>Every series with its published sessions, in start order (the public catalog).</summary>
    public Task<IReadOnlyList<SeriesView>> ListSeriesAsync(CancellationToken cancellationToken) => ListAsync(PublishedOnly, cancellationToken);

    /// <summary>Every series with all its sessions, drafts included (the organizer pages).</summary>
    public Task<IReadOnlyList<SeriesView>> ListSeriesForOrganizersAsync(CancellationToken cancellationToken) => ListAsync("", cancellationToken);

    /// <summary>One series by slug with its published sessions, or null.</summary>
    public async Task<SeriesView?> FindSeriesAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            $"{SeriesSelect} WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken));
        if (series is null)
        {
            return null;
        }

        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} WHERE s.series_id = @id {PublishedOnly} ORDER BY s.starts_utc_ms, s.title", new { series.id }, cancellationToken);
        return series.ToView(sessions);
    }

    /// <summary>One series by id with all its sessions, or null (the organizer pages).</summary>
    public async Task<SeriesView?> FindSeriesForOrganizersAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            $"{SeriesSelect} WHERE id = @id", new { id = id.ToString() }, cancellationToken: cancellationToken));
        if (series is null)
        {
            return null;
        }

        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} WHERE s.series_id = @id ORDER BY s.starts_utc_ms, s.title", new { series.id }, cancellationToken);
        return series.ToView(sessions);
    }

    /// <summary>One published session by id, or null.</summary>
    public Task<SessionView?> FindSessionAsync(Guid id, CancellationToken cancellationToken) => FindAsync(id, PublishedOnly, cancellationToken);

    /// <summary>One session by id, draft or published, or null (the organizer pages and media checks).</summary>
    public Task<SessionView?> FindSessionForOrganizersAsync(Guid id, CancellationToken cancellationToken) => FindAsync(id, "", cancellationToken);

    private const string PublishedOnly = "AND s.published = 1";

    private const string SeriesSelect = "SELECT id, slug, title, description, description_html, tracks FROM series";

    private async Task<IReadOnlyList<SeriesView>> ListAsync(string condition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QueryAsync<SeriesRow>(new CommandDefinition($"{SeriesSelect} ORDER BY title", cancellationToken: cancellationToken));
        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} WHERE 1 = 1 {condition} ORDER BY s.starts_utc_ms, s.title", null, cancellationToken);
        return series.Select(s => s.ToView(sessions.Where(x => x.SeriesId == Guid.Parse(s.id)).ToList())).ToList();
    }

    private async Task<SessionView?> FindAsync(Guid id, string condition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} WHERE s.id = @id {condition}", new { id = id.ToString() }, cancellationToken);
        return sessions.SingleOrDefault();
    }

    /// <summary>True when at least one series exists (the demo seeder's first-start test).</summary>
    public async Task<bool> AnySeriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM series", cancellationToken: cancellationToken)) > 0;
    }

    private static async Task<List<SessionView>> ReadSessionsAsync(
        System.Data.Common.DbConnection connection, string sql, object? parameters, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<SessionRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var (inList, ids) = SqlLists.Parameters("id", rows.Select(r => r.id).ToList());
        var presenters = (await connection.QueryAsync<PresenterRow>(new CommandDefinition(
                $"SELECT session_id, position, name, affiliation, bio, bio_html FROM session_presenters WHERE session_id IN ({inList}) ORDER BY session_id, position",
                ids, cancellationToken: cancellationToken)))
            .GroupBy(p => p.session_id)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Presenter>)g.Select(p => new Presenter(p.name, p.affiliation, p.bio, p.bio_html)).ToList());
        return rows.Select(r => r.ToView(presenters.GetValueOrDefault(r.id, []))).ToList();
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems));
        }
    }

    private sealed class SeriesRow
    {
        public string id { get; set; } = "";
        public string slug { get; set; } = "";
        public string title { get; set; } = "";
        public string description { get; set; } = "";
        public string description_html { get; set; } = "";
        public string tracks { get; set; } = "";

        public SeriesView ToView(IReadOnlyList<SessionView> sessions) =>
            new(Guid.Parse(id), slug, title, description, sessions) { DescriptionHtml = description_html, Tracks = Grains.Catalog.Tracks.Parse(tracks) };
    }

    private sealed class PresenterRow
    {
        public string session_id { get; set; } = "";
        public long position { get; set; }
        public string name { get; set; } = "";
        public string affiliation { get; set; } = "";
        public string bio { get; set; } = "";
        public string bio_html { get; set; } = "";
    }

    private sealed class SessionRow
    {
        public string id { get; set; } = "";
        public string series_id { get; set; } = "";
        public string series_slug { get; set; } = "";
        public string series_title { get; set; } = "";
        public string kind { get; set; } = "";
        public string title { get; set; } = "";
        public string description { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string time_zone { get; set; } = "";
        public long capacity { get; set; }
        public long confirmed_count { get; set; }
        public long waitlisted_count { get; set; }
        public long registration_closed { get; set; }
        public string status { get; set; } = "scheduled";
        public string? venue { get; set; }
        public string? venue_address { get; set; }
        public string? city { get; set; }
        public string? webinar_id { get; set; }
        public string? learning_exchange_id { get; set; }
        public string description_html { get; set; } = "";
        public long published { get; set; }
        public string? join_url { get; set; }

        public SessionView ToView(IReadOnlyList<Presenter> presenters) => new(
            Guid.Parse(id), Guid.Parse(series_id), series_slug, series_title, SessionKinds.FromWire(kind), title, description,
            DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms), DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms),
            time_zone, (int)capacity, (int)confirmed_count, (int)waitlisted_count, registration_closed != 0, status == "cancelled", venue, city,
            webinar_id is null ? null : Guid.Parse(webinar_id),
            learning_exchange_id is null ? null : Guid.Parse(learning_exchange_id),
            presenters)
        {
            DescriptionHtml = description_html,
            Published = published != 0,
            JoinUrl = join_url,
            VenueAddress = venue_address,
        };
    }
}
