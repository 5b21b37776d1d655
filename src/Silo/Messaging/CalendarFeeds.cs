using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Messaging;

/// <summary>
/// Subscribable iCalendar feeds: one public feed per series, and a private feed per learner (their live
/// registrations, join links included for seats they hold) behind a signed token.
/// </summary>
public sealed class CalendarFeeds(CatalogStore catalog, LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>The series feed, or null for an unknown series.</summary>
    public async Task<string?> SeriesAsync(string slug, CancellationToken cancellationToken)
    {
        var series = await catalog.FindSeriesAsync(slug, cancellationToken);
        return series is null ? null : Invites.Feed(series.Sessions.Select(s => new InviteEvent(
            s.Id, 0, s.Title, RichTextAsText.From(s.DescriptionHtml), s.StartsAt, s.EndsAt, s.TimeZone, s.Venue is null ? null : $"{s.Venue}, {s.City}", s.Cancelled, clock.GetUtcNow())));
    }

    /// <summary>The feed of one registration group: its registrations that are not cancelled.</summary>
    public Task<string> GroupAsync(Guid groupId, CancellationToken cancellationToken) => FeedAsync("r.group_id = @key", groupId.ToString(), cancellationToken);

    /// <summary>The feed of one learner (by normalized email, proven by signing in): every registration not cancelled.</summary>
    public Task<string> LearnerAsync(string normalizedEmail, CancellationToken cancellationToken) => FeedAsync("r.email_normalized = @key", normalizedEmail, cancellationToken);

    /// <summary>
    /// One session of a registration group as a single-event calendar ("add to calendar"), built like the group's feed
    /// (the join link for a held seat); null when the group holds no live registration for that session.
    /// </summary>
    public Task<string?> GroupSessionAsync(Guid groupId, Guid sessionId, CancellationToken cancellationToken) =>
        SingleAsync("r.group_id = @key", groupId.ToString(), sessionId, cancellationToken);

    /// <summary>One session of a learner (by normalized email) as a single-event calendar; null when they hold no live registration for it.</summary>
    public Task<string?> LearnerSessionAsync(string normalizedEmail, Guid sessionId, CancellationToken cancellationToken) =>
        SingleAsync("r.email_normalized = @key", normalizedEmail, sessionId, cancellationToken);

    private async Task<string?> SingleAsync(string where, string key, Guid sessionId, CancellationToken cancellationToken)
    {
        var events = await EventsAsync($"{where} AND r.session_id = @session", key, sessionId, cancellationToken);
        return events.Count == 0 ? null : Invites.Feed(events);
    }

    private async Task<string> FeedAsync(string where, string key, CancellationToken cancellationToken) =>
        Invites.Feed(await EventsAsync(where, key, null, cancellationToken));

    private async Task<IReadOnlyList<InviteEvent>> EventsAsync(string where, string key, Guid? sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT s.id, s.title, s.kind, s.description_html, s.starts_utc_ms, s.ends_utc_ms, s.time_zone, s.venue, s.city, s.join_url,
                   s.invite_sequence, s.status, r.status AS registration_status, r.language
            FROM registrations r JOIN sessions s ON s.id = r.session_id
            WHERE {where} AND r.status <> 'cancelled'
            ORDER BY s.starts_utc_ms
            """, new { key, session = sessionId?.ToString() }, cancellationToken: cancellationToken));
        // The words around each title are in the language its registration was made in (the title stays as written).
        return rows.Select(r => Event(r, MailText.For(r.language))).ToList();

        InviteEvent Event(Row r, MailText t) => new(
            Guid.Parse(r.id), r.invite_sequence,
            r.registration_status == "waitlisted" ? t["{0} (waitlisted)", r.title] : r.title,
            r.registration_status == "confirmed" && r.join_url is not null ? $"{RichTextAsText.From(r.description_html)}\n\n{t["Join: {0}", r.join_url]}" : RichTextAsText.From(r.description_html),
            DateTimeOffset.FromUnixTimeMilliseconds(r.starts_utc_ms), DateTimeOffset.FromUnixTimeMilliseconds(r.ends_utc_ms), r.time_zone,
            r.venue is null ? (r.registration_status == "confirmed" ? r.join_url : null) : $"{r.venue}, {r.city}",
            r.status == "cancelled", clock.GetUtcNow());
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string title { get; set; } = "";
        public string kind { get; set; } = "";
        public string description_html { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string time_zone { get; set; } = "";
        public string? venue { get; set; }
        public string? city { get; set; }
        public string? join_url { get; set; }
        public long invite_sequence { get; set; }
        public string status { get; set; } = "";
        public string registration_status { get; set; } = "";
        public string? language { get; set; }
    }
}
