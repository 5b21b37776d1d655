using System.Globalization;
using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace LearnHub.Bench;

/// <summary>The sessions the benchmark drives, as the loader made them.</summary>
internal sealed record BenchCatalog(string SeriesSlug, Guid WarmupSession, Guid ApiStormSession, Guid PageStormSession);

/// <summary>
/// Fills the database before the web process starts (bench/platform.sh): the benchmark's own series of 20 sessions,
/// written through the grains' stores as an organizer's forms would write them, and — for the growth run — a programme
/// grown for years: 1,000 series of 20 sessions and 1,000,000 registrations, bulk-copied (no HTTP path is fast enough
/// to load a million rows, and what is measured is how pages and storms behave over them, not how they got there).
/// </summary>
internal static class Loader
{
    private const string Zone = "America/New_York";

    public static async Task<BenchCatalog> LoadAsync(LearnHubDatabase database, int capacity, int growthSeries, int registrations, CancellationToken cancellationToken)
    {
        var clock = LearnHubClock.System;
        var richText = new RichTextPolicy();
        var series = new SqlSeriesStore(database, clock, []);
        var sessions = new SqlSessionStore(database, clock);
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var seriesId = Guid.CreateVersion7();
        var slug = $"bench-{stamp}";
        const string description = "Created by bench/platform.sh. A **webinar series** whose sessions the benchmark drives.";
        await series.CreateAsync(seriesId, new SeriesDraft(slug, "Benchmark series", description, ["youth"]), richText.RenderMarkdown(description), cancellationToken);
        var startsAt = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(30).AddHours(17), TimeSpan.Zero);
        var presenters = new List<Presenter> { new("Dana Ruiz", "State university", "Dana **leads** the simulation lab.", richText.RenderMarkdown("Dana **leads** the simulation lab.")) };

        async Task<Guid> SessionAsync(string title, DateTimeOffset starts, int seats)
        {
            var id = Guid.CreateVersion7();
            var draft = new SessionDraft(seriesId, SessionKind.NationalWebinar, title, "How simulation labs train new child-welfare workers.", starts,
                starts.AddMinutes(90), Zone, seats, presenters, JoinUrl: "https://meet.example.org/j/bench");
            if (draft.Problems() is { Count: > 0 } problems)
            {
                throw new InvalidOperationException(string.Join(" ", problems));
            }

            await sessions.CreateAsync(id, draft, richText.RenderMarkdown(draft.Description), presenters, cancellationToken);
            return id;
        }

        var warmup = await SessionAsync("Warm-up webinar", startsAt, capacity);
        var apiStorm = await SessionAsync("Storm webinar (API)", startsAt, capacity);
        var pageStorm = await SessionAsync("Storm webinar (pages)", startsAt, capacity);
        for (var i = 0; i < 17; i++)
        {
            await SessionAsync($"Instalment {i + 1}", startsAt.AddDays(7 * (i - 8)), 200);
        }

        if (growthSeries > 0)
        {
            await GrowAsync(database, growthSeries, registrations, cancellationToken);
        }

        return new BenchCatalog(slug, warmup, apiStorm, pageStorm);
    }

    // 20 sessions a series (ten webinars, each with its learning exchange a week later), spread over two years around
    // now; registrations spread evenly over the sessions, confirmed, by people who each registered for about five.
    private static async Task GrowAsync(LearnHubDatabase database, int seriesCount, int registrations, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var sessionIds = new List<Guid>(seriesCount * 20);
        var perSession = Math.Max(1, registrations / (seriesCount * 20));
        await using (var series = await connection.BeginBinaryImportAsync(
            "COPY series (id, slug, title, description, description_html, tracks, created_utc_ms, version) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var s = 0; s < seriesCount; s++)
            {
                await series.StartRowAsync(cancellationToken);
                await series.WriteAsync(SeriesId(s).ToString(), NpgsqlDbType.Text, cancellationToken);
                await series.WriteAsync($"growth-{s:0000}", NpgsqlDbType.Text, cancellationToken);
                await series.WriteAsync($"Growth series {s:0000}", NpgsqlDbType.Text, cancellationToken);
                await series.WriteAsync("A series of the grown programme.", NpgsqlDbType.Text, cancellationToken);
                await series.WriteAsync("<p>A series of the grown programme.</p>\n", NpgsqlDbType.Text, cancellationToken);
                await series.WriteAsync("older-adult", NpgsqlDbType.Text, cancellationToken);
                await series.WriteAsync(now.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken);
                await series.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
            }

            await series.CompleteAsync(cancellationToken);
        }

        await using (var rows = await connection.BeginBinaryImportAsync(
            """
            COPY sessions (id, series_id, kind, title, description, description_html, starts_utc_ms, ends_utc_ms, time_zone, capacity,
                           webinar_id, confirmed_count, last_sequence, published, version)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            for (var s = 0; s < seriesCount; s++)
            {
                for (var w = 0; w < 10; w++)
                {
                    var starts = now.AddDays(((s * 10) + w) % 730 - 365).AddHours(17);
                    var webinar = Guid.CreateVersion7();
                    var exchange = Guid.CreateVersion7();
                    await SessionRowAsync(rows, webinar, SeriesId(s), "national-webinar", $"Webinar {s:0000}-{w}", starts, null, perSession, cancellationToken);
                    await SessionRowAsync(rows, exchange, SeriesId(s), "learning-exchange", $"Learning Exchange {s:0000}-{w}", starts.AddDays(7), webinar, perSession, cancellationToken);
                    sessionIds.Add(webinar);
                    sessionIds.Add(exchange);
                }
            }

            await rows.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                status, sequence, registered_utc_ms)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            // Seat k of session i goes to person (i·seats + k) mod people: each person holds about five seats, in sessions
            // a fifth of the catalog apart, never two in one session.
            var people = Math.Max(perSession, sessionIds.Count * perSession / 5);
            var registered = now.AddDays(-400).ToUnixTimeMilliseconds();
            for (var i = 0; i < sessionIds.Count; i++)
            {
                for (var seat = 0; seat < perSession; seat++)
                {
                    var person = (((long)i * perSession) + seat) % people;
                    var email = $"learner{person}@growth.example.org";
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(Guid.CreateVersion7().ToString(), NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(sessionIds[i].ToString(), NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(Guid.CreateVersion7().ToString(), NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("0123456789abcdef0123456789abcdef", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync($"Learner {person}", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(email, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(email, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("Growth County", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("Caseworker", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(Zone, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("confirmed", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync((long)seat + 1, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(registered + i, NpgsqlDbType.Bigint, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        // CommandType.Text said outright: Dapper takes a command without a space for a stored procedure and Npgsql then
        // sends "CALL ANALYZE".
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE", commandType: System.Data.CommandType.Text, cancellationToken: cancellationToken));
    }

    private static Guid SeriesId(int s) => new(s, 0x6272, 0x6f77, [0x74, 0x68, 0, 0, 0, 0, 0, 0x01]);

    private static async Task SessionRowAsync(NpgsqlBinaryImporter rows, Guid id, Guid series, string kind, string title, DateTimeOffset starts, Guid? webinar,
        int seats, CancellationToken cancellationToken)
    {
        await rows.StartRowAsync(cancellationToken);
        await rows.WriteAsync(id.ToString(), NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync(series.ToString(), NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync(title, NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync("A session of the grown programme.", NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync("<p>A session of the grown programme.</p>\n", NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync(starts.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken);
        await rows.WriteAsync(starts.AddMinutes(90).ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken);
        await rows.WriteAsync(Zone, NpgsqlDbType.Text, cancellationToken);
        await rows.WriteAsync(seats + 10, NpgsqlDbType.Integer, cancellationToken);
        if (webinar is { } w)
        {
            await rows.WriteAsync(w.ToString(), NpgsqlDbType.Text, cancellationToken);
        }
        else
        {
            await rows.WriteNullAsync(cancellationToken);
        }

        await rows.WriteAsync(seats, NpgsqlDbType.Integer, cancellationToken);
        await rows.WriteAsync((long)seats, NpgsqlDbType.Bigint, cancellationToken);
        await rows.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
        await rows.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
    }
}
