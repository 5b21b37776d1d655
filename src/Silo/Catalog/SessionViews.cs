using System.Data.Common;
using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Catalog;

/// <summary>
/// Reads sessions as <see cref="SessionView"/>s: the one query behind a session grain's view, the catalog grain's
/// start and the organizer lists, so they cannot disagree about what a session shows.
/// </summary>
internal static class SessionViews
{
    public const string Select =
        """
        SELECT s.id, s.series_id, se.slug AS series_slug, se.title AS series_title, s.kind, s.title, s.description,
               s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.capacity, s.confirmed_count, s.waitlisted_count,
               s.registration_closed, s.status, s.venue, s.venue_address, s.city, s.webinar_id, s.description_html, s.published, s.join_url,
               s.version, s.ce_hours_centi, s.recorded, s.recording_consent_required, s.registration_opens_utc_ms, s.registration_closes_utc_ms,
               s.translations, se.translations AS series_translations,
               (SELECT le.id FROM sessions le WHERE le.webinar_id = s.id) AS learning_exchange_id
        FROM sessions s JOIN series se ON se.id = s.series_id
        """;

    public const string PublishedOnly = "AND s.published = 1";

    /// <summary>The sessions <paramref name="sql"/> selects (it starts with <see cref="Select"/>), with their presenters.</summary>
    public static async Task<List<SessionView>> ReadAsync(DbConnection connection, string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        var rows = (await connection.QueryAsync<SessionRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var presenters = new Dictionary<string, IReadOnlyList<Presenter>>(StringComparer.Ordinal);
        // In chunks: a catalog of 20,000 sessions must not become one statement with 20,000 parameters.
        foreach (var chunk in rows.Select(r => r.id).Chunk(500))
        {
            var (inList, ids) = SqlLists.Parameters("id", chunk);
            var found = await connection.QueryAsync<PresenterRow>(new CommandDefinition(
                $"SELECT session_id, position, name, affiliation, bio, bio_html FROM session_presenters WHERE session_id IN ({inList}) ORDER BY session_id, position",
                ids, transaction, cancellationToken: cancellationToken));
            foreach (var group in found.GroupBy(p => p.session_id))
            {
                presenters[group.Key] = group.Select(p => new Presenter(p.name, p.affiliation, p.bio, p.bio_html)).ToList();
            }
        }

        return rows.Select(r => r.ToView(presenters.GetValueOrDefault(r.id, []))).ToList();
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
        public long version { get; set; }
        public long ce_hours_centi { get; set; }
        public long recorded { get; set; }
        public long recording_consent_required { get; set; }
        public long? registration_opens_utc_ms { get; set; }
        public long? registration_closes_utc_ms { get; set; }
        public string translations { get; set; } = "";
        public string series_translations { get; set; } = "";

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
            Revision = version,
            CeHoursCenti = (int)ce_hours_centi,
            VenueAddress = venue_address,
            Recorded = recorded != 0,
            RecordingConsentRequired = recording_consent_required != 0,
            RegistrationOpensAt = registration_opens_utc_ms is { } opens ? DateTimeOffset.FromUnixTimeMilliseconds(opens) : null,
            RegistrationClosesAt = registration_closes_utc_ms is { } closes ? DateTimeOffset.FromUnixTimeMilliseconds(closes) : null,
            Translations = ContentTranslations.FromColumn(translations),
            SeriesTranslations = ContentTranslations.FromColumn(series_translations),
        };
    }
}
