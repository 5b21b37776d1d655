using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Catalog;

/// <summary>
/// Reads series and sessions from their rows: the catalog grain's start and periodic check, and the organizer pages and
/// reports, which may read SQL directly. Nothing here writes: series are written by their grain
/// (<see cref="SqlSeriesStore"/>), sessions by theirs (<see cref="Sessions.SqlSessionStore"/>).
/// </summary>
public sealed class CatalogStore(LearnHubDatabase database) : ICatalogStore
{
    private const string SeriesSelect = "SELECT id, slug, title, description, description_html, tracks, translations, version FROM series";

    /// <inheritdoc />
    public async Task<(IReadOnlyList<SeriesInfo> Series, IReadOnlyList<SessionView> Sessions)> LoadPublicAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = (await connection.QueryAsync<SeriesRow>(new CommandDefinition($"{SeriesSelect} ORDER BY title", cancellationToken: cancellationToken)))
            .Select(s => s.ToInfo()).ToList();
        var sessions = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE 1 = 1 {SessionViews.PublishedOnly} ORDER BY s.starts_utc_ms, s.title", null, cancellationToken);
        return (series, sessions);
    }

    /// <inheritdoc />
    public async Task<SeriesInfo?> LoadSeriesAsync(Guid seriesId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            $"{SeriesSelect} WHERE id = @id", new { id = seriesId.ToString() }, cancellationToken: cancellationToken)))?.ToInfo();
    }

    /// <summary>Every series with all its sessions, drafts included (the organizer pages).</summary>
    public async Task<IReadOnlyList<SeriesView>> ListSeriesForOrganizersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QueryAsync<SeriesRow>(new CommandDefinition($"{SeriesSelect} ORDER BY title", cancellationToken: cancellationToken));
        var sessions = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} ORDER BY s.starts_utc_ms, s.title", null, cancellationToken);
        return series.Select(s => s.ToView(sessions.Where(x => x.SeriesId == Guid.Parse(s.id)).ToList())).ToList();
    }

    /// <summary>
    /// One page of series by title, each with all its sessions, drafts included, and how many series there are (the
    /// organizer list: a programme with a thousand series is read a page at a time).
    /// </summary>
    public async Task<(IReadOnlyList<SeriesView> Series, int Total)> PageSeriesForOrganizersAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM series", cancellationToken: cancellationToken));
        var series = (await connection.QueryAsync<SeriesRow>(new CommandDefinition(
            $"{SeriesSelect} ORDER BY title, id LIMIT @take OFFSET @skip", new { take = pageSize, skip = (Math.Max(1, page) - 1) * pageSize },
            cancellationToken: cancellationToken))).ToList();
        if (series.Count == 0)
        {
            return ([], total);
        }

        var (inList, ids) = SqlLists.Parameters("s", series.Select(s => s.id).ToList());
        var sessions = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE s.series_id IN ({inList}) ORDER BY s.starts_utc_ms, s.title", ids, cancellationToken);
        return (series.Select(s => s.ToView(sessions.Where(x => x.SeriesId == Guid.Parse(s.id)).ToList())).ToList(), total);
    }

    /// <summary>
    /// One page of the organizer's session list across series, filtered, upcoming first (soonest first) then past
    /// (most recent first), with how many match, and the webinars the page's exchanges follow (for its warnings).
    /// </summary>
    public async Task<SessionListPage> PageSessionsForOrganizersAsync(SessionListFilter filter, DateTimeOffset now, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = SessionListWhere(filter, now);
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM sessions s WHERE {where}", parameters, cancellationToken: cancellationToken));
        parameters.Add("take", pageSize);
        parameters.Add("skip", (Math.Max(1, page) - 1) * pageSize);
        // Upcoming first, soonest first; then what has ended, most recent first.
        const string order = "CASE WHEN s.ends_utc_ms >= @now THEN 0 ELSE 1 END, CASE WHEN s.ends_utc_ms >= @now THEN s.starts_utc_ms ELSE -s.starts_utc_ms END, s.title, s.id";
        var sessions = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE {where} ORDER BY {order} LIMIT @take OFFSET @skip",
            parameters, cancellationToken);
        var webinarIds = sessions.Where(x => x.WebinarId is not null).Select(x => x.WebinarId!.Value.ToString()).Distinct().ToList();
        var webinars = new List<SessionView>();
        if (webinarIds.Count > 0)
        {
            var (inList, ids) = SqlLists.Parameters("w", webinarIds);
            webinars = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE s.id IN ({inList})", ids, cancellationToken);
        }

        return new SessionListPage(sessions, total, webinars.ToDictionary(w => w.Id));
    }

    /// <summary>What the organizer list's filters offer: every series by title, and every city an in-person session is held in.</summary>
    public async Task<(IReadOnlyList<(Guid Id, string Title)> Series, IReadOnlyList<string> Cities)> SessionListChoicesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = (await connection.QueryAsync<(string id, string title)>(new CommandDefinition(
            "SELECT id, title FROM series ORDER BY title, id", cancellationToken: cancellationToken))).Select(r => (Guid.Parse(r.id), r.title)).ToList();
        var cities = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT city FROM sessions WHERE city IS NOT NULL AND city <> '' ORDER BY city", cancellationToken: cancellationToken))).ToList();
        return (series, cities);
    }

    private static (string Where, DynamicParameters Parameters) SessionListWhere(SessionListFilter filter, DateTimeOffset now)
    {
        var clauses = new List<string>();
        var parameters = new DynamicParameters();
        parameters.Add("now", now.ToUnixTimeMilliseconds());
        clauses.Add(filter.State switch
        {
            SessionListState.Upcoming => "s.ends_utc_ms >= @now AND s.status <> 'cancelled'",
            SessionListState.Past => "s.ends_utc_ms < @now",
            SessionListState.Draft => "s.published = 0 AND s.status <> 'cancelled'",
            SessionListState.Published => "s.published = 1 AND s.status <> 'cancelled'",
            SessionListState.Cancelled => "s.status = 'cancelled'",
            _ => "1 = 1",
        });
        // Each filter given narrows the list by one condition on one parameter.
        void Narrow(string condition, string name, object? value)
        {
            if (value is not null)
            {
                clauses.Add(condition);
                parameters.Add(name, value);
            }
        }

        Narrow("s.series_id = @series", "series", filter.SeriesId?.ToString());
        Narrow("s.kind = @kind", "kind", filter.Kind?.ToWire());
        Narrow("s.city = @city", "city", string.IsNullOrWhiteSpace(filter.City) ? null : filter.City.Trim());
        Narrow("s.starts_utc_ms >= @from", "from", filter.StartsFrom?.ToUnixTimeMilliseconds());
        Narrow("s.starts_utc_ms < @before", "before", filter.StartsBefore?.ToUnixTimeMilliseconds());
        return (string.Join(" AND ", clauses), parameters);
    }

    /// <summary>One series by slug with its published sessions, or null (read from the rows, not the catalog grain).</summary>
    public async Task<SeriesView?> FindSeriesAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            $"{SeriesSelect} WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken));
        if (series is null)
        {
            return null;
        }

        var sessions = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE s.series_id = @id {SessionViews.PublishedOnly} ORDER BY s.starts_utc_ms, s.title", new { series.id }, cancellationToken);
        return series.ToView(sessions);
    }

    /// <summary>A series' reminder lead times (its sessions' reminders), longest first; empty for no such series.</summary>
    public async Task<IReadOnlyList<TimeSpan>> ReminderLeadsAsync(Guid seriesId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT reminder_offsets_minutes FROM series WHERE id = @id", new { id = seriesId.ToString() }, cancellationToken: cancellationToken));
        return Scheduling.ReminderOffsets.Parse(stored ?? "").Select(m => TimeSpan.FromMinutes(m)).OrderDescending().ToList();
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

        var sessions = await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE s.series_id = @id ORDER BY s.starts_utc_ms, s.title", new { series.id }, cancellationToken);
        return series.ToView(sessions);
    }

    /// <summary>One published session by id, or null (read from the rows, not its grain).</summary>
    public Task<SessionView?> FindSessionAsync(Guid id, CancellationToken cancellationToken) => FindAsync(id, SessionViews.PublishedOnly, cancellationToken);

    /// <summary>One session by id, draft or published, or null (read from the rows, not its grain).</summary>
    public Task<SessionView?> FindSessionForOrganizersAsync(Guid id, CancellationToken cancellationToken) => FindAsync(id, "", cancellationToken);

    /// <summary>The kind of a session, or null when there is none (which grain type keeps it).</summary>
    public async Task<SessionKind?> KindOfAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var kind = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT kind FROM sessions WHERE id = @id", new { id = id.ToString() }, cancellationToken: cancellationToken));
        return kind is null ? null : SessionKinds.FromWire(kind);
    }

    private async Task<SessionView?> FindAsync(Guid id, string condition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await SessionViews.ReadAsync(connection, $"{SessionViews.Select} WHERE s.id = @id {condition}", new { id = id.ToString() }, cancellationToken)).SingleOrDefault();
    }

    /// <summary>True when at least one series exists (the demo seeder's first-start test).</summary>
    public async Task<bool> AnySeriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM series", cancellationToken: cancellationToken)) > 0;
    }

    private sealed class SeriesRow
    {
        public string id { get; set; } = "";
        public string slug { get; set; } = "";
        public string title { get; set; } = "";
        public string description { get; set; } = "";
        public string description_html { get; set; } = "";
        public string tracks { get; set; } = "";
        public string translations { get; set; } = "";
        public long version { get; set; }

        public SeriesInfo ToInfo() => new(Guid.Parse(id), slug, title, description, description_html, Tracks.Parse(tracks), version)
        {
            Translations = ContentTranslations.FromColumn(translations),
        };

        public SeriesView ToView(IReadOnlyList<SessionView> sessions) => new(Guid.Parse(id), slug, title, description, sessions)
        {
            DescriptionHtml = description_html,
            Tracks = Tracks.Parse(tracks),
            Translations = ContentTranslations.FromColumn(translations),
            Revision = version,
        };
    }
}

/// <summary>One page of the organizer's session list.</summary>
public sealed record SessionListPage(IReadOnlyList<SessionView> Sessions, int Total, IReadOnlyDictionary<Guid, SessionView> Webinars);
