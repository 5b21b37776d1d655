using System.Globalization;
using System.Net;
using System.Text.Json;
using LearnHub.Bench;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The registration storm. bench/run.sh starts PostgreSQL and LearnHub.Web, then this program: it creates the
// sessions through the silo's stores (there is no HTTP API for that yet), drives the registrations over HTTP, checks
// the roster in the database, and writes key=value results for run.sh's table. Exit code 0: the roster is exact;
// 2: something was oversold, lost or refused. Throughput and latency targets are judged by run.sh, not here.
var options = BenchOptions.Parse(args);
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
var token = deadline.Token;
var invariant = CultureInfo.InvariantCulture;

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = Math.Max(64, options.Clients),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
};
using var http = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

await WaitUntilHealthyAsync(http, options.WebPid, token);

// The same configuration as the web process (LearnHub__* environment variables), so the same database.
var builder = Host.CreateApplicationBuilder();
builder.AddLearnHubStorage();
using var host = builder.Build();
var services = host.Services;
await services.GetRequiredService<Migrator>().MigrateAsync(token); // the web process migrated already; this is a no-op check
var catalog = services.GetRequiredService<CatalogStore>();
var reader = services.GetRequiredService<RegistrationReader>();
var database = services.GetRequiredService<LearnHubDatabase>();
if (database.Provider != DatabaseProvider.PostgreSql)
{
    throw new InvalidOperationException("The benchmark runs on PostgreSQL: set LearnHub__Database__Provider=PostgreSql.");
}

var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(invariant);
var seriesId = await catalog.CreateSeriesAsync(new SeriesDraft($"bench-{stamp}", "Registration storm", "Created by bench/run.sh."), token);
var startsAt = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(30).AddHours(17), TimeSpan.Zero);
var warmupSessionId = await catalog.CreateSessionAsync(new SessionDraft(seriesId, SessionKind.NationalWebinar, "Warm-up webinar",
    "Warms the JIT, the thread pools and the connection pools; excluded from the numbers.", startsAt, startsAt.AddMinutes(90),
    "America/New_York", options.Capacity, []), token);
var stormSessionId = await catalog.CreateSessionAsync(new SessionDraft(seriesId, SessionKind.NationalWebinar, "Storm webinar",
    "The measured session.", startsAt, startsAt.AddMinutes(90), "America/New_York", options.Capacity, []), token);

// Bodies are serialized before the clock starts, so the load generator spends its CPU on HTTP only.
var warmupBodies = Bodies("warmup", options.Warmup);
var stormBodies = Bodies("bench", options.Registrants);

Console.WriteLine($"Warm-up: {options.Warmup} registrations on session {warmupSessionId} with {options.Clients} clients …");
var warmup = await Storm.RunAsync(http, Endpoint(warmupSessionId), warmupBodies, options.Clients, token);
await Task.Delay(TimeSpan.FromSeconds(1), token); // let tiered compilation finish what the warm-up queued

Console.WriteLine($"Storm: {options.Registrants} distinct registrants, capacity {options.Capacity}, {options.Clients} concurrent clients, session {stormSessionId} …");
var before = ProcStats.Take(options.WebPid, options.PostmasterPid);
var storm = await Storm.RunAsync(http, Endpoint(stormSessionId), stormBodies, options.Clients, token);
var after = ProcStats.Take(options.WebPid, options.PostmasterPid);

// What the database says, three ways: the session's counters, the registration rows, and the distinct people.
var session = await catalog.FindSessionAsync(stormSessionId, token)
    ?? throw new InvalidOperationException($"Session {stormSessionId} vanished.");
var rows = await reader.CountByStatusAsync(stormSessionId, token);
var distinctPeople = await DistinctLiveEmailsAsync(database, stormSessionId, token);
var rowsConfirmed = rows[RegistrationStatus.Confirmed];
var rowsWaitlisted = rows[RegistrationStatus.Waitlisted];
var oversell = Math.Max(0, Math.Max(rowsConfirmed, session.ConfirmedCount) - options.Capacity);
var problems = new List<string>();
void Expect(bool condition, string problem)
{
    if (!condition)
    {
        problems.Add(problem);
    }
}

Expect(storm.Created == options.Registrants, $"{storm.Created} of {options.Registrants} requests answered 201");
Expect(storm.Errors == 0, $"{storm.Errors} request(s) failed");
Expect(storm.Confirmed == options.Capacity, $"{storm.Confirmed} answers said confirmed, expected {options.Capacity}");
Expect(rowsConfirmed == options.Capacity, $"{rowsConfirmed} confirmed rows, expected {options.Capacity}");
Expect(rowsConfirmed + rowsWaitlisted == options.Registrants, $"{rowsConfirmed}+{rowsWaitlisted} live rows, expected {options.Registrants}");
Expect(session.ConfirmedCount == rowsConfirmed && session.WaitlistedCount == rowsWaitlisted,
    $"session counters {session.ConfirmedCount}/{session.WaitlistedCount} disagree with rows {rowsConfirmed}/{rowsWaitlisted}");
Expect(distinctPeople == options.Registrants, $"{distinctPeople} distinct emails, expected {options.Registrants}");
Expect(rows[RegistrationStatus.Cancelled] == 0, $"{rows[RegistrationStatus.Cancelled]} cancelled rows");

var seconds = storm.Elapsed.TotalSeconds;
var cores = Environment.ProcessorCount;
double CorePercent(long ticks) => Math.Max(0, 100.0 * ticks / options.ClockTicksPerSecond / seconds); // 0 when a process vanished
var webCpu = CorePercent(after.WebTicks - before.WebTicks);
var webSystemCpu = CorePercent(after.WebSystemTicks - before.WebSystemTicks);
var postgresCpu = CorePercent(after.PostgresTicks - before.PostgresTicks);
var postgresSystemCpu = CorePercent(after.PostgresSystemTicks - before.PostgresSystemTicks);
var benchCpu = 100.0 * (after.Self - before.Self).TotalSeconds / seconds;
var machineBusy = 100.0 * cores * (after.MachineBusyTicks - before.MachineBusyTicks) / Math.Max(1, after.MachineTotalTicks - before.MachineTotalTicks);
var webPeakKib = ProcStats.StatusKib(options.WebPid, "VmHWM");
var webRssKib = ProcStats.StatusKib(options.WebPid, "VmRSS");

var results = new SortedDictionary<string, string>(StringComparer.Ordinal)
{
    ["registrants"] = options.Registrants.ToString(invariant),
    ["clients"] = options.Clients.ToString(invariant),
    ["capacity"] = options.Capacity.ToString(invariant),
    ["warmup"] = options.Warmup.ToString(invariant),
    ["warmup_errors"] = warmup.Errors.ToString(invariant),
    ["elapsed_s"] = seconds.ToString("F2", invariant),
    ["rate"] = storm.RegistrationsPerSecond.ToString("F1", invariant),
    ["p50_ms"] = storm.Percentile(0.50).ToString("F1", invariant),
    ["p90_ms"] = storm.Percentile(0.90).ToString("F1", invariant),
    ["p99_ms"] = storm.Percentile(0.99).ToString("F1", invariant),
    ["max_ms"] = storm.MaxMs.ToString("F1", invariant),
    ["created"] = storm.Created.ToString(invariant),
    ["answered_confirmed"] = storm.Confirmed.ToString(invariant),
    ["answered_waitlisted"] = storm.Waitlisted.ToString(invariant),
    ["errors"] = storm.Errors.ToString(invariant),
    ["error_kinds"] = string.Join("; ", storm.ErrorKinds.OrderByDescending(e => e.Value).Take(3).Select(e => $"{e.Value}x {e.Key}"))
        .ReplaceLineEndings(" "),
    ["db_confirmed"] = rowsConfirmed.ToString(invariant),
    ["db_waitlisted"] = rowsWaitlisted.ToString(invariant),
    ["db_counter_confirmed"] = session.ConfirmedCount.ToString(invariant),
    ["db_counter_waitlisted"] = session.WaitlistedCount.ToString(invariant),
    ["db_distinct_emails"] = distinctPeople.ToString(invariant),
    ["oversell"] = oversell.ToString(invariant),
    ["correct"] = problems.Count == 0 ? "yes" : "no",
    ["problems"] = string.Join("; ", problems),
    ["cpu_cores"] = cores.ToString(invariant),
    ["cpu_web_pct"] = webCpu.ToString("F0", invariant),
    ["cpu_web_sys_pct"] = webSystemCpu.ToString("F0", invariant),
    ["cpu_postgres_pct"] = postgresCpu.ToString("F0", invariant),
    ["cpu_postgres_sys_pct"] = postgresSystemCpu.ToString("F0", invariant),
    ["cpu_ms_per_registration"] = (seconds * (webCpu + postgresCpu + benchCpu) / 100.0 * 1000.0 / Math.Max(1, storm.Created)).ToString("F2", invariant),
    ["cpu_loadgen_pct"] = benchCpu.ToString("F0", invariant),
    ["cpu_machine_pct"] = machineBusy.ToString("F0", invariant),
    ["web_vmhwm_mib"] = webPeakKib is { } hwm ? (hwm / 1024.0).ToString("F0", invariant) : "n/a",
    ["web_vmrss_mib"] = webRssKib is { } rss ? (rss / 1024.0).ToString("F0", invariant) : "n/a",
};
await File.WriteAllLinesAsync(options.ResultsFile, results.Select(r => $"{r.Key}={r.Value}"), token);

Console.WriteLine(
    $"Storm done: {storm.Created}/{storm.Requests} created in {seconds:F2} s = {storm.RegistrationsPerSecond:F1} registrations/s; " +
    $"p50 {storm.Percentile(0.5):F1} ms, p99 {storm.Percentile(0.99):F1} ms, max {storm.MaxMs:F1} ms; errors {storm.Errors}.");
Console.WriteLine($"Database: {rowsConfirmed} confirmed, {rowsWaitlisted} waitlisted, {distinctPeople} distinct people; oversell {oversell}.");
foreach (var problem in problems)
{
    Console.Error.WriteLine($"PROBLEM: {problem}");
}

return problems.Count == 0 ? 0 : 2;

Uri Endpoint(Guid sessionId) => new($"api/sessions/{sessionId}/registrations", UriKind.Relative);

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

static async Task<long> DistinctLiveEmailsAsync(LearnHubDatabase database, Guid sessionId, CancellationToken cancellationToken)
{
    await using var connection = await database.OpenAsync(cancellationToken);
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT COUNT(DISTINCT email_normalized) FROM registrations WHERE session_id = @id AND status <> 'cancelled'";
    var parameter = command.CreateParameter();
    parameter.ParameterName = "id";
    parameter.Value = sessionId.ToString();
    command.Parameters.Add(parameter);
    return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
}
