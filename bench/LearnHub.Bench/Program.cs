using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using LearnHub.Bench;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// The platform benchmark's load generator (bench/platform.sh). "load" fills PostgreSQL before the web process starts:
// the benchmark's series (through the grains' stores) and, for the growth run, a programme of a million
// registrations. "storm" drives the running web process: two warm-up rounds, then 11,000 registrants through the JSON
// API, then (once its mail is out) 11,000 through the session page and its form, and checks both rosters in the
// database. "progress" then drives watch progress: viewers of a recording reporting every 15 s (WatchProgressBench). Each writes key=value results for the
// script's tables. Exit code 0: every roster is exact; 2: something was oversold, lost or refused. "settle" waits until
// the web process is nearly idle, as the storms do after their warm-up; the script runs it between wrk's warm-up and
// the measured pages.
var options = BenchOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;
var connectionString = Environment.GetEnvironmentVariable("LearnHub__Database__ConnectionString")
    ?? throw new InvalidOperationException("Set LearnHub__Database__ConnectionString (PostgreSQL), as for the web process.");
using var database = new LearnHubDatabase(DatabaseProvider.PostgreSql, connectionString);
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var token = deadline.Token;

if (options.Mode == "load")
{
    await new Migrator(database, LearnHubClock.System, NullLogger<Migrator>.Instance).MigrateAsync(token);
    var started = System.Diagnostics.Stopwatch.StartNew();
    var catalog = await Loader.LoadAsync(database, options.Number("capacity", 500), options.Number("growth-series", 0), options.Number("registrations", 0), token);
    await using var connection = await database.OpenAsync(token);
    var counts = await connection.QuerySingleAsync<(long series, long sessions, long registrations)>(
        "SELECT (SELECT COUNT(*) FROM series), (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM registrations)");
    await File.WriteAllLinesAsync(options.Text("results"),
    [
        $"series_slug={catalog.SeriesSlug}",
        $"warmup_session={catalog.WarmupSession}",
        $"api_session={catalog.ApiStormSession}",
        $"page_session={catalog.PageStormSession}",
        $"db_series={counts.series}",
        $"db_sessions={counts.sessions}",
        $"db_registrations={counts.registrations}",
        $"load_s={started.Elapsed.TotalSeconds.ToString("F1", invariant)}",
    ], token);
    Console.WriteLine($"Loaded {counts.series:N0} series, {counts.sessions:N0} sessions, {counts.registrations:N0} registrations in {started.Elapsed.TotalSeconds:F1} s.");
    return 0;
}

if (options.Mode == "settle")
{
    await ProcStats.WaitUntilQuietAsync(options.Number("web-pid", 0), options.Number("clk-tck", 100), 0.10, TimeSpan.FromSeconds(options.Number("seconds", 60)), token);
    return 0;
}

var registrants = options.Number("registrants", 11_000);
var clients = options.Number("clients", 64);
var capacity = options.Number("capacity", 500);
var webPid = options.Number("web-pid", 0);
var pgPid = options.Number("pg-pid", 0);
var clockTicks = options.Number("clk-tck", 100);
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = Math.Max(64, clients),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
};
using var http = new HttpClient(handler) { BaseAddress = new Uri(options.Text("url"), UriKind.Absolute), Timeout = TimeSpan.FromSeconds(60) };
await WaitUntilHealthyAsync(http, webPid, token);

if (options.Mode == "progress")
{
    Console.WriteLine($"Watch progress: {options.Number("viewers", 2000)} viewers reporting every 15 s for {options.Number("seconds", 60)} s …");
    var progress = await WatchProgressBench.RunAsync(database, http, options.Session("api-session"), options.Number("viewers", 2000),
        TimeSpan.FromSeconds(options.Number("seconds", 60)), webPid, clockTicks, token);
    await File.WriteAllLinesAsync(options.Text("results"), progress.Select(r => $"{r.Key}={r.Value}"), token);
    return progress["progress_errors"] == "0" ? 0 : 2;
}

// A server runs for days: what is measured is its steady state, so the storms wait until the runtime has finished
// recompiling the hot paths at full optimization. One warm-up round is not enough for that: the runtime starts counting
// calls to a method only once no new method has been compiled for a moment, so whatever a single continuous warm-up
// calls is counted only afterwards, and was recompiled during the storm. Measured (dotnet-trace, JIT events): 2,306
// methods recompiled in eight seconds of the page storm, the compiler's thread a quarter of the web process's samples.
// A second round, after the first has settled, is counted and recompiled before the storms. Each round ends once the
// web process has been nearly idle (under 10% of a core) for two seconds, after at most 90: the round's confirmations
// are mailed by then too.
var warmup = options.Number("warmup", 200);
var settled = new List<ProcStats.Quiet>();
foreach (var round in new[] { "warmup", "warmup2" })
{
    Console.WriteLine($"Warm-up ({round}): {warmup} registrations through the API and as many through the page …");
    await Storm.RunAsync(http, Endpoint(options.Session("warmup-session")), Bodies(round, warmup), clients, token);
    await PageStorm.RunAsync(http, options.Session("warmup-session"), warmup, $"{round}-page", clients, token);
    settled.Add(await ProcStats.WaitUntilQuietAsync(webPid, clockTicks, 0.10, TimeSpan.FromSeconds(90), token));
}

var warmupSettled = string.Join(" + ", settled.Select(Waited));
Console.WriteLine($"Warm-up settled after {warmupSettled} s.");

var results = new SortedDictionary<string, string>(StringComparer.Ordinal)
{
    ["registrants"] = registrants.ToString(invariant),
    ["clients"] = clients.ToString(invariant),
    ["capacity"] = capacity.ToString(invariant),
    ["cpu_cores"] = Environment.ProcessorCount.ToString(invariant),
    ["warmup_settle_s"] = warmupSettled,
};
var problems = new List<string>();

Console.WriteLine($"API storm: {registrants} distinct registrants, capacity {capacity}, {clients} concurrent clients …");
var apiBefore = ProcStats.Take(webPid, pgPid);
var api = await Storm.RunAsync(http, Endpoint(options.Session("api-session")), Bodies("bench", registrants), clients, token);
var apiAfter = ProcStats.Take(webPid, pgPid);
Record("api", api, apiBefore, apiAfter);
problems.AddRange((await CheckAsync(options.Session("api-session"), api.Created)).Select(p => $"API storm: {p}"));
if (api.Confirmed != capacity)
{
    problems.Add($"API storm: {api.Confirmed} answers said confirmed, expected {capacity}");
}

// Each storm is measured from the same steady state. The API storm's 11,000 mails (500 confirmations with their
// calendar invites, 10,500 waitlist notices) wait while registrations pour in, for at most 30 s
// (LearnHub:Mail:BurstDeferral), so a page storm begun at once would pay for rendering and sending them halfway through,
// and for the first compilation of that code. How long the web process takes to become quiet again is reported as the
// API storm's mail drain.
var drained = await ProcStats.WaitUntilQuietAsync(webPid, clockTicks, 0.10, TimeSpan.FromSeconds(180), token);
results["api_mail_drain_s"] = Waited(drained);
Console.WriteLine($"Page storm: {registrants} registrants each loading the session page, then posting its form …");
var pageBefore = ProcStats.Take(webPid, pgPid);
var page = await PageStorm.RunAsync(http, options.Session("page-session"), registrants, "bench-page", clients, token);
var pageAfter = ProcStats.Take(webPid, pgPid);
Record("page", page.Registration, pageBefore, pageAfter);
results["page_load_p50_ms"] = Percentile(page.SortedPageMs, 0.50).ToString("F1", invariant);
results["page_load_p99_ms"] = Percentile(page.SortedPageMs, 0.99).ToString("F1", invariant);
results["page_bytes"] = page.PageBytes.ToString(invariant);
problems.AddRange((await CheckAsync(options.Session("page-session"), page.Registration.Created)).Select(p => $"page storm: {p}"));

var webPeakKib = ProcStats.StatusKib(webPid, "VmHWM");
results["web_vmhwm_mib"] = webPeakKib is { } hwm ? (hwm / 1024.0).ToString("F0", invariant) : "n/a";
results["correct"] = problems.Count == 0 ? "yes" : "no";
results["problems"] = string.Join("; ", problems);
await File.WriteAllLinesAsync(options.Text("results"), results.Select(r => $"{r.Key}={r.Value}"), token);
foreach (var problem in problems)
{
    Console.Error.WriteLine($"PROBLEM: {problem}");
}

return problems.Count == 0 ? 0 : 2;

void Record(string prefix, StormResult storm, ProcStats.CpuSnapshot before, ProcStats.CpuSnapshot after)
{
    var seconds = storm.Elapsed.TotalSeconds;
    double CorePercent(long ticks) => Math.Max(0, 100.0 * ticks / clockTicks / seconds);
    var machineBusy = 100.0 * Environment.ProcessorCount * (after.MachineBusyTicks - before.MachineBusyTicks) / Math.Max(1, after.MachineTotalTicks - before.MachineTotalTicks);
    results[$"{prefix}_elapsed_s"] = seconds.ToString("F2", invariant);
    results[$"{prefix}_rate"] = storm.RegistrationsPerSecond.ToString("F1", invariant);
    results[$"{prefix}_p50_ms"] = storm.Percentile(0.50).ToString("F1", invariant);
    results[$"{prefix}_p99_ms"] = storm.Percentile(0.99).ToString("F1", invariant);
    results[$"{prefix}_max_ms"] = storm.MaxMs.ToString("F1", invariant);
    results[$"{prefix}_created"] = storm.Created.ToString(invariant);
    results[$"{prefix}_errors"] = storm.Errors.ToString(invariant);
    results[$"{prefix}_error_kinds"] = string.Join("; ", storm.ErrorKinds.OrderByDescending(e => e.Value).Take(3).Select(e => $"{e.Value}x {e.Key}")).ReplaceLineEndings(" ");
    results[$"{prefix}_cpu_web_pct"] = CorePercent(after.WebTicks - before.WebTicks).ToString("F0", invariant);
    results[$"{prefix}_cpu_postgres_pct"] = CorePercent(after.PostgresTicks - before.PostgresTicks).ToString("F0", invariant);
    results[$"{prefix}_cpu_loadgen_pct"] = (100.0 * (after.Self - before.Self).TotalSeconds / seconds).ToString("F0", invariant);
    results[$"{prefix}_cpu_machine_pct"] = machineBusy.ToString("F0", invariant);
    if (storm.Errors > 0)
    {
        problems.Add($"{prefix} storm: {storm.Errors} request(s) failed: {results[$"{prefix}_error_kinds"]}");
    }
}

// What the database says, three ways: the session's counters, the registration rows, and the distinct people.
async Task<List<string>> CheckAsync(Guid session, int answered)
{
    await using var connection = await database.OpenAsync(token);
    var row = await connection.QuerySingleAsync<(long confirmed_count, long waitlisted_count, long confirmed, long waitlisted, long people)>(
        """
        SELECT s.confirmed_count, s.waitlisted_count,
               (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'confirmed'),
               (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted'),
               (SELECT COUNT(DISTINCT email_normalized) FROM registrations r WHERE r.session_id = s.id AND r.status <> 'cancelled')
        FROM sessions s WHERE s.id = @id
        """, new { id = session.ToString() });
    var found = new List<string>();
    var oversell = Math.Max(0, Math.Max(row.confirmed, row.confirmed_count) - capacity);
    results[$"{(session == options.Session("api-session") ? "api" : "page")}_oversell"] = oversell.ToString(invariant);
    if (oversell > 0)
    {
        found.Add($"oversold by {oversell}");
    }

    if (row.confirmed != capacity || row.confirmed + row.waitlisted != registrants || row.people != registrants)
    {
        found.Add($"{row.confirmed} confirmed + {row.waitlisted} waitlisted rows of {row.people} people, expected {capacity} + {registrants - capacity}");
    }

    if (row.confirmed_count != row.confirmed || row.waitlisted_count != row.waitlisted)
    {
        found.Add($"counters {row.confirmed_count}/{row.waitlisted_count} disagree with rows {row.confirmed}/{row.waitlisted}");
    }

    if (answered != registrants)
    {
        found.Add($"{answered} of {registrants} registrations answered as made");
    }

    return found;
}

static double Percentile(double[] sorted, double fraction) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

static Uri Endpoint(Guid sessionId) => new($"api/sessions/{sessionId}/registrations", UriKind.Relative);

static byte[][] Bodies(string prefix, int count)
{
    var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
    return Enumerable.Range(1, count)
        .Select(n => JsonSerializer.SerializeToUtf8Bytes(new
        {
            name = $"Bench Registrant {n}",
            email = $"{prefix}-{n}@example.org",
            agency = "Bench County Public Health",
            jobRole = "Program analyst",
            timeZone = "America/Chicago",
            accommodations = "",
            includeLearningExchange = false,
        }, web))
        .ToArray();
}

static async Task WaitUntilHealthyAsync(HttpClient http, int webPid, CancellationToken cancellationToken)
{
    var giveUp = DateTime.UtcNow.AddSeconds(90);
    while (true)
    {
        if (!ProcStats.IsAlive(webPid))
        {
            throw new InvalidOperationException($"The web process {webPid} exited before it was healthy.");
        }

        try
        {
            using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        if (DateTime.UtcNow > giveUp)
        {
            throw new TimeoutException("The web process did not answer 200 on /health within 90 s.");
        }

        await Task.Delay(250, cancellationToken);
    }
}

// Seconds waited for the web process to become quiet; "never quiet within N" when it did not, so that a table never
// reads a timeout as a steady state.
static string Waited(ProcStats.Quiet wait) => wait.Reached
    ? wait.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)
    : $"never quiet within {wait.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)}";
