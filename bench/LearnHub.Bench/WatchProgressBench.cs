using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnHub.Bench;

/// <summary>
/// Watch progress under load (issue 14): viewers of one recording, each reporting the 15 seconds it played every 15
/// seconds, spread evenly, through the pass in their mail, as the watch page's player does. Measured: the reports'
/// latency, the web process's CPU, and the writes to recording_views; the ceiling beside them is the same process
/// answering /health at the same rate on the same schedule.
/// </summary>
internal static class WatchProgressBench
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StatsFlush = TimeSpan.FromSeconds(12);

    public static async Task<SortedDictionary<string, string>> RunAsync(LearnHubDatabase database, HttpClient http, Guid session, int viewers, TimeSpan duration,
        int webPid, int clockTicks, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        var recording = Guid.NewGuid();
        List<Guid> registrations;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // A published, hour-long recording of the session (the file is not needed to report progress).
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO session_media (id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, published_utc_ms, created_utc_ms, length_ms)
                VALUES (@id, @session, 'recording', 'Bench recording', 'public', 'bench.mp4', 'video/mp4', @sha, 1, @now, @now, 3600000)
                """, new { id = recording.ToString(), session = session.ToString(), sha = new string('b', 64), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken));
            registrations = [.. (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT id FROM registrations WHERE session_id = @session ORDER BY sequence LIMIT @viewers", new { session = session.ToString(), viewers },
                cancellationToken: cancellationToken))).Select(Guid.Parse)];
        }

        // The passes, issued as the mail would be: with the key ring the web process keeps in the database.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.AddLearnHubStorage();
        using var host = builder.Build();
        var passes = host.Services.GetRequiredService<MediaPasses>();
        var urls = registrations.Select(r => new Uri($"api/recordings/{recording}/progress?pass={Uri.EscapeDataString(passes.Issue(r, recording))}", UriKind.Relative)).ToList();

        // Two ceilings from the same process, after /health's code is compiled: idle (its silo, timers and dashboard
        // metrics with no request at all), and /health at the same rate on the same schedule (HTTP, middleware and one
        // database round trip). Each is measured for as long as the reports are: the minutely jobs then fall into every
        // window alike. Each warm-up is two periods, each followed by a wait until the process is quiet: the runtime
        // counts a method's calls, to recompile it fully optimized, only once nothing new has been compiled for a
        // moment, so after a single period that recompiling fell into the measured window (as it did into the storms').
        for (var period = 0; period < 2; period++)
        {
            await ScheduleAsync(urls.Count, Period, (_, _) => GetAsync(http, cancellationToken), webPid, clockTicks, cancellationToken);
            await ProcStats.WaitUntilQuietAsync(webPid, clockTicks, 0.10, TimeSpan.FromSeconds(30), cancellationToken);
        }

        var idle = await ScheduleAsync(1, duration, (_, _) => Task.FromResult(true), webPid, clockTicks, cancellationToken);
        var health = await ScheduleAsync(urls.Count, duration, (_, _) => GetAsync(http, cancellationToken), webPid, clockTicks, cancellationToken);

        // Warm-up: every viewer's first report (written at once), then their next, on the same schedule as the measured
        // ones: viewers arrive over a period, as they do, so their write-behind timers are spread the way they would be.
        await ScheduleAsync(urls.Count, Period, (viewer, _) => PostAsync(http, urls[viewer], 0, 1, cancellationToken), webPid, clockTicks, cancellationToken);
        await ScheduleAsync(urls.Count, Period, (viewer, _) => PostAsync(http, urls[viewer], 1, 16, cancellationToken), webPid, clockTicks, cancellationToken);
        // PostgreSQL publishes a backend's table counters when it has been idle a while: wait for the warm-up's (and for
        // the runtime's recompiling), then start the measured reports (each viewer's write-behind timer still falls
        // inside their minute).
        await Task.Delay(StatsFlush, cancellationToken);
        var writesBefore = await WritesAsync(database, cancellationToken);
        var progress = await ScheduleAsync(urls.Count, duration, (viewer, round) => PostAsync(http, urls[viewer], 16 + (round * 15), 31 + (round * 15), cancellationToken),
            webPid, clockTicks, cancellationToken);
        await Task.Delay(StatsFlush, cancellationToken);
        var writes = await WritesAsync(database, cancellationToken) - writesBefore;

        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["progress_viewers"] = urls.Count.ToString(invariant),
            ["progress_reports"] = progress.Count.ToString(invariant),
            ["progress_rate"] = (progress.Count / duration.TotalSeconds).ToString("F0", invariant),
            ["progress_p50_ms"] = progress.Percentile(0.50).ToString("F1", invariant),
            ["progress_p99_ms"] = progress.Percentile(0.99).ToString("F1", invariant),
            ["progress_errors"] = progress.Errors.ToString(invariant),
            ["progress_cpu_web_pct"] = progress.WebCorePercent.ToString("F1", invariant),
            ["progress_writes"] = writes.ToString(invariant),
            ["progress_writes_per_viewer_minute"] = (writes / (double)urls.Count / duration.TotalMinutes).ToString("F2", invariant),
            ["health_rate"] = (health.Count / duration.TotalSeconds).ToString("F0", invariant),
            ["health_p99_ms"] = health.Percentile(0.99).ToString("F1", invariant),
            ["health_cpu_web_pct"] = health.WebCorePercent.ToString("F1", invariant),
            ["idle_cpu_web_pct"] = idle.WebCorePercent.ToString("F1", invariant),
            ["progress_cpu_web_system_pct"] = progress.WebSystemPercent.ToString("F1", invariant),
            ["health_cpu_web_system_pct"] = health.WebSystemPercent.ToString("F1", invariant),
            ["idle_cpu_web_system_pct"] = idle.WebSystemPercent.ToString("F1", invariant),
        };
    }

    private sealed record Measured(int Count, int Errors, double[] SortedMs, double WebCorePercent, double WebSystemPercent)
    {
        public double Percentile(double fraction) =>
            SortedMs.Length == 0 ? double.NaN : SortedMs[Math.Clamp((int)Math.Ceiling(fraction * SortedMs.Length) - 1, 0, SortedMs.Length - 1)];
    }

    // Each of n clients sends once every period, the clients spread evenly over it (an open schedule: a slow answer does
    // not slow the next request), for the duration.
    private static async Task<Measured> ScheduleAsync(int clients, TimeSpan duration, Func<int, int, Task<bool>> send, int webPid, int clockTicks, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var rounds = (int)Math.Round(duration / Period);
        var before = ProcStats.Take(webPid, 0);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            for (var round = 0; round < rounds; round++)
            {
                var due = (Period * round) + (Period * client / clients);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }

                var started = Stopwatch.GetTimestamp();
                var ok = await send(client, round);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        // The window is the whole duration, whatever the last send took: the idle floor sends nothing at all, and
        // without this wait it would read the counters twice within a millisecond.
        if (clock.Elapsed < duration)
        {
            await Task.Delay(duration - clock.Elapsed, cancellationToken);
        }

        var after = ProcStats.Take(webPid, 0);
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new Measured(sorted.Length, errors, sorted, 100.0 * (after.WebTicks - before.WebTicks) / clockTicks / elapsed,
            100.0 * (after.WebSystemTicks - before.WebSystemTicks) / clockTicks / elapsed);
    }

    private static async Task<bool> PostAsync(HttpClient http, Uri url, double from, double to, CancellationToken cancellationToken)
    {
        using var content = new StringContent(FormattableString.Invariant($"{{\"played\":[[{from},{to}]]}}"), Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.PostAsync(url, content, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<bool> GetAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<long> WritesAsync(LearnHubDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'recording_views'", cancellationToken: cancellationToken));
    }
}
