using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Silo.Scheduling;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Catalog;

/// <summary>A series with its sessions, as the catalog shows it.</summary>
public sealed record SeriesView(Guid Id, string Slug, string Title, string Description, IReadOnlyList<SessionView> Sessions);

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
    /// <summary>Seats still free.</summary>
    public int SeatsLeft => Math.Max(0, Capacity - ConfirmedCount);

    /// <summary>True when registration is open at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => now < StartsAt && !RegistrationClosedByOrganizer && !Cancelled;
}

/// <summary>Creates and reads series and sessions. Seats are never written here: only the roster store changes them.</summary>
public sealed class CatalogStore(LearnHubDatabase database, LearnHubClock clock)
{
    private const string SessionSelect =
        """
        SELECT s.id, s.series_id, se.slug AS series_slug, se.title AS series_title, s.kind, s.title, s.description,
               s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.capacity, s.confirmed_count, s.waitlisted_count,
               s.registration_closed, s.status, s.venue, s.city, s.webinar_id,
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
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var taken = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM series WHERE slug = @slug", new { slug = draft.Slug }, scope.Transaction, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            throw new DomainException($"A series with the slug '{draft.Slug}' exists already.");
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO series (id, slug, title, description, created_utc_ms) VALUES (@id, @slug, @title, @description, @at)",
            new { id = id.ToString(), slug = draft.Slug, title = draft.Title, description = draft.Description, at = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Stores a session with its presenters; throws with every problem when the draft is invalid.</summary>
    public async Task<Guid> CreateSessionAsync(SessionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfInvalid(draft.Problems());
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
            INSERT INTO sessions (id, series_id, kind, title, description, starts_utc_ms, ends_utc_ms, time_zone, capacity, venue, city, webinar_id, join_url)
            VALUES (@id, @series, @kind, @title, @description, @starts, @ends, @zone, @capacity, @venue, @city, @webinar, @joinUrl)
            """,
            new
            {
                id = id.ToString(),
                series = draft.SeriesId.ToString(),
                kind = draft.Kind.ToWire(),
                title = draft.Title,
                description = draft.Description,
                starts = draft.StartsAt.ToUnixTimeMilliseconds(),
                ends = draft.EndsAt.ToUnixTimeMilliseconds(),
                zone = draft.TimeZone,
                capacity = draft.Capacity,
                venue = draft.Venue,
                city = draft.City,
                webinar = draft.WebinarId?.ToString(),
                joinUrl = draft.JoinUrl,
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

        for (var position = 0; position < draft.Presenters.Count; position++)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO session_presenters (session_id, position, name, affiliation) VALUES (@id, @position, @name, @affiliation)",
                new { id = id.ToString(), position, name = draft.Presenters[position].Name, affiliation = draft.Presenters[position].Affiliation },
                scope.Transaction, cancellationToken: cancellationToken));
        }

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

    /// <summary>Every series with its sessions, in start order.</summary>
    public async Task<IReadOnlyList<SeriesView>> ListSeriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QueryAsync<SeriesRow>(new CommandDefinition(
            "SELECT id, slug, title, description FROM series ORDER BY title", cancellationToken: cancellationToken));
        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} ORDER BY s.starts_utc_ms, s.title", null, cancellationToken);
        return series.Select(s => s.ToView(sessions.Where(x => x.SeriesId == Guid.Parse(s.id)).ToList())).ToList();
    }

    /// <summary>One series by slug, or null.</summary>
    public async Task<SeriesView?> FindSeriesAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            "SELECT id, slug, title, description FROM series WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken));
        if (series is null)
        {
            return null;
        }

        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} WHERE s.series_id = @id ORDER BY s.starts_utc_ms, s.title", new { series.id }, cancellationToken);
        return series.ToView(sessions);
    }

    /// <summary>One session by id, or null.</summary>
    public async Task<SessionView?> FindSessionAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sessions = await ReadSessionsAsync(connection, $"{SessionSelect} WHERE s.id = @id", new { id = id.ToString() }, cancellationToken);
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
                $"SELECT session_id, position, name, affiliation FROM session_presenters WHERE session_id IN ({inList}) ORDER BY session_id, position",
                ids, cancellationToken: cancellationToken)))
            .GroupBy(p => p.session_id)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Presenter>)g.Select(p => new Presenter(p.name, p.affiliation)).ToList());
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

        public SeriesView ToView(IReadOnlyList<SessionView> sessions) => new(Guid.Parse(id), slug, title, description, sessions);
    }

    private sealed class PresenterRow
    {
        public string session_id { get; set; } = "";
        public long position { get; set; }
        public string name { get; set; } = "";
        public string affiliation { get; set; } = "";
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
        public string? city { get; set; }
        public string? webinar_id { get; set; }
        public string? learning_exchange_id { get; set; }

        public SessionView ToView(IReadOnlyList<Presenter> presenters) => new(
            Guid.Parse(id), Guid.Parse(series_id), series_slug, series_title, SessionKinds.FromWire(kind), title, description,
            DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms), DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms),
            time_zone, (int)capacity, (int)confirmed_count, (int)waitlisted_count, registration_closed != 0, status == "cancelled", venue, city,
            webinar_id is null ? null : Guid.Parse(webinar_id),
            learning_exchange_id is null ? null : Guid.Parse(learning_exchange_id),
            presenters);
    }
}
