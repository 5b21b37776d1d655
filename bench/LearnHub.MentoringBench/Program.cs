using System.Diagnostics;
using System.Globalization;
using Dapper;
using LearnHub.Grains.Time;
using LearnHub.MentoringBench;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Mentoring;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Mentoring at scale, driven by bench/mentoring-scale.sh against a throwaway PostgreSQL database:
//   1. seeds MENTORS mentors (profiles of capacity MENTEES_PER_MENTOR, in four US zones) and as many mentees as fill
//      them, inserted directly (accounts are not what is measured);
//   2. assigns every mentee through MentoringStore.AssignAsync from CLIENTS parallel workers, all on one day
//      (2027-01-15 15:00 UTC: the 15th in every zone), so each assignment is the real transaction: the mentor's row
//      held, capacity and the mentee's other mentorships checked, the first follow-up planned, both emails queued;
//   3. moves the clock past the whole of February 15 in every zone, when all their first follow-ups have fallen due,
//      and runs FollowUpScheduler once (next month planned, one "due" email each), then once more (nothing left);
//   4. prints key=value results and checks the rows (exit 2 when they are wrong).
var mentors = Setting("BENCH_MENTORS", 1000);
var perMentor = Setting("BENCH_MENTEES_PER_MENTOR", 10);
var clients = Setting("BENCH_CLIENTS", 16);
var mentees = mentors * perMentor;
var assignedAt = new DateTimeOffset(2027, 1, 15, 15, 0, 0, TimeSpan.Zero);
var dayOver = new DateTimeOffset(2027, 2, 16, 8, 0, 0, TimeSpan.Zero); // midnight after February 15 in Los Angeles, the last of the four zones
string[] zones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];

var clock = new BenchClock(assignedAt);
var builder = Host.CreateApplicationBuilder();
builder.Services.AddSingleton<LearnHubClock>(clock);
builder.AddLearnHubStorage();
builder.Services.AddLearnHubMail(builder.Configuration);
builder.Services.AddOptions<MentoringOptions>();
builder.Services.AddSingleton<FollowUpScheduler>();
using var host = builder.Build();
var database = host.Services.GetRequiredService<LearnHubDatabase>();
var store = host.Services.GetRequiredService<MentoringStore>();
var scheduler = host.Services.GetRequiredService<FollowUpScheduler>();
await host.Services.GetRequiredService<Migrator>().MigrateAsync(default);

var (mentorIds, menteeIds) = await SeedAsync();
Console.Error.WriteLine($"[mentoring] seeded {mentors} mentors and {mentees} mentees; assigning from {clients} clients");

// Mentee i goes to mentor i mod MENTORS, so parallel workers mostly hold different mentors' rows, and each mentor
// ends exactly full (the last assignment to each still passes the capacity check).
var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<AssignOutcome, int>();
var latencies = new double[mentees];
var next = -1;
var assignClock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < mentees)
    {
        var started = Stopwatch.GetTimestamp();
        var (outcome, _) = await store.AssignAsync(mentorIds[i % mentors], menteeIds[i], false, default);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
    }
})));
var assignSeconds = assignClock.Elapsed.TotalSeconds;
var afterAssign = await CountsAsync();
Console.Error.WriteLine($"[mentoring] assigned in {assignSeconds:F1} s; running one due day's follow-ups");

clock.Set(dayOver);
var dueClock = Stopwatch.StartNew();
var run = await scheduler.RunAsync(default);
var dueSeconds = dueClock.Elapsed.TotalSeconds;
var afterDue = await CountsAsync();
var againClock = Stopwatch.StartNew();
var again = await scheduler.RunAsync(default);
var againSeconds = againClock.Elapsed.TotalSeconds;
var afterAgain = await CountsAsync();

Array.Sort(latencies);
var assigned = outcomes.GetValueOrDefault(AssignOutcome.Assigned);
var ok = assigned == mentees && outcomes.Count == 1
    && afterAssign == new Counts(mentees, mentees, 2 * mentees, 0)
    && run == new FollowUpRun(mentees, mentees)
    && afterDue == new Counts(mentees, 2 * mentees, 2 * mentees, mentees)
    && again == new FollowUpRun(0, 0) && afterAgain == afterDue;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    mentors={mentors}
    mentees={mentees}
    clients={clients}
    assigned={assigned}
    refused={mentees - assigned}
    assign_s={assignSeconds:F2}
    assign_rate={assigned / assignSeconds:F0}
    assign_p50_ms={latencies[mentees / 2]:F1}
    assign_p99_ms={latencies[(int)(mentees * 0.99)]:F1}
    assign_mentorships={afterAssign.Mentorships}
    assign_follow_ups={afterAssign.FollowUps}
    assign_outbox={afterAssign.AssignmentMails}
    due_s={dueSeconds:F2}
    due_planned={run.Planned}
    due_alerts={run.Alerts}
    due_follow_ups={afterDue.FollowUps - afterAssign.FollowUps}
    due_outbox={afterDue.DueMails - afterAssign.DueMails}
    again_s={againSeconds:F2}
    again_rows={afterAgain.FollowUps - afterDue.FollowUps + afterAgain.DueMails - afterDue.DueMails}
    rows_ok={(ok ? "yes" : "no")}
    peak_mib={PeakMib()}
    """));
return ok ? 0 : 2;

// The process's peak resident memory (VmHWM), as the other benchmarks report it for their processes.
static long PeakMib() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

async Task<(Guid[] Mentors, Guid[] Mentees)> SeedAsync()
{
    var mentorIds = Enumerable.Range(0, mentors).Select(_ => Guid.CreateVersion7()).ToArray();
    var menteeIds = Enumerable.Range(0, mentees).Select(_ => Guid.CreateVersion7()).ToArray();
    var at = assignedAt.AddDays(-7).ToUnixTimeMilliseconds();
    await using var scope = await database.BeginWriteAsync(default);
    var people = mentorIds.Select((id, i) => (id, email: $"mentor{i}@example.org", name: $"Mentor {i}", role: "mentor"))
        .Concat(menteeIds.Select((id, i) => (id, email: $"mentee{i}@example.org", name: $"Mentee {i}", role: "learner")));
    foreach (var chunk in people.Chunk(1000))
    {
        await scope.Connection.ExecuteAsync(
            "INSERT INTO users (id, email, email_normalized, display_name, created_utc_ms) VALUES (@id, @email, @email, @name, @at)",
            chunk.Select(p => new { id = p.id.ToString(), p.email, p.name, at }), scope.Transaction);
        await scope.Connection.ExecuteAsync("INSERT INTO user_roles (user_id, role) VALUES (@id, @role)",
            chunk.Select(p => new { id = p.id.ToString(), p.role }), scope.Transaction);
    }

    await scope.Connection.ExecuteAsync(
        """
        INSERT INTO mentor_profiles (user_id, agency, region, specialties, languages, time_zone, capacity, active)
        VALUES (@id, 'State agency', 'Region', 'youth', 'English', @zone, @capacity, 1)
        """,
        mentorIds.Select((id, i) => new { id = id.ToString(), zone = zones[i % zones.Length], capacity = perMentor }), scope.Transaction);
    await scope.CommitAsync(default);
    return (mentorIds, menteeIds);
}

async Task<Counts> CountsAsync()
{
    await using var connection = await database.OpenAsync(default);
    return await connection.QuerySingleAsync<Counts>(
        """
        SELECT (SELECT COUNT(*) FROM mentorships) AS Mentorships, (SELECT COUNT(*) FROM follow_ups) AS FollowUps,
               (SELECT COUNT(*) FROM outbox_messages WHERE purpose IN ('mentee-assigned', 'mentor-assigned')) AS AssignmentMails,
               (SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'follow-up-due') AS DueMails
        """);
}

static int Setting(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

namespace LearnHub.MentoringBench
{
    /// <summary>The row counts the benchmark checks.</summary>
    internal sealed record Counts(long Mentorships, long FollowUps, long AssignmentMails, long DueMails);

    /// <summary>LearnHub's clock as the benchmark moves it: assignment day, then the day the follow-ups fall due.</summary>
    internal sealed class BenchClock(DateTimeOffset start) : LearnHubClock
    {
        private long _utcTicks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

        public void Set(DateTimeOffset value) => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
    }
}
