using System.Diagnostics;
using System.Globalization;
using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Reminder fan-out, in two steps driven by bench/reminder-fanout.sh:
//   seed N     creates a session starting in two days with N confirmed registrants, and makes its 24 h reminder due
//              now (registrants are inserted directly: their confirmation mails are not what is measured);
//   wait N     after the script has started a silo, waits until N reminders are sent and prints key=value results.
var command = args.ElementAtOrDefault(0) ?? throw new ArgumentException("usage: seed N | wait N");
var count = int.Parse(args.ElementAtOrDefault(1) ?? "11000", CultureInfo.InvariantCulture);
var builder = Host.CreateApplicationBuilder();
builder.AddLearnHubStorage();
using var host = builder.Build();
var database = host.Services.GetRequiredService<LearnHubDatabase>();
await host.Services.GetRequiredService<Migrator>().MigrateAsync(default);

if (command == "seed")
{
    // Written through the grains' stores before any silo runs, as the demo seeder's rows would be: the bench measures
    // the reminder job, not how the session was made.
    var now = DateTimeOffset.UtcNow;
    var series = Guid.CreateVersion7();
    var session = Guid.CreateVersion7();
    await new SqlSeriesStore(database, LearnHub.Grains.Time.LearnHubClock.System, []).CreateAsync(series,
        new SeriesDraft($"fanout-{now.ToUnixTimeMilliseconds()}", "Reminder fan-out", ""), "", default);
    await new LearnHub.Silo.Sessions.SqlSessionStore(database, LearnHub.Grains.Time.LearnHubClock.System).CreateAsync(session,
        new SessionDraft(series, SessionKind.NationalWebinar, "Fan-out webinar", "Measured.", now.AddDays(2), now.AddDays(2).AddHours(1),
            "America/New_York", count, [], JoinUrl: "https://meet.example/j/1"), "<p>Measured.</p>", [], default);
    await using var scope = await database.BeginWriteAsync(default);
    for (var start = 0; start < count; start += 1000)
    {
        var rows = Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => new
        {
            id = Guid.CreateVersion7().ToString(), session = session.ToString(), group = Guid.NewGuid().ToString(), email = $"learner{i}@example.org",
            sequence = i + 1, at = now.ToUnixTimeMilliseconds(),
        });
        await scope.Connection.ExecuteAsync(
            """
            INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone,
                                       accommodations, status, sequence, registered_utc_ms)
            VALUES (@id, @session, @group, 'bench', 'Bench Learner', @email, @email, 'Agency', 'Caseworker', 'America/Chicago', '', 'confirmed', @sequence, @at)
            """, rows, scope.Transaction);
    }

    await scope.Connection.ExecuteAsync("UPDATE sessions SET confirmed_count = @count, last_sequence = @count WHERE id = @id",
        new { count, id = session.ToString() }, scope.Transaction);
    await scope.Connection.ExecuteAsync("UPDATE session_reminders SET due_utc_ms = @now WHERE session_id = @id AND offset_minutes = 1440",
        new { now = now.ToUnixTimeMilliseconds(), id = session.ToString() }, scope.Transaction);
    await scope.CommitAsync(default);
    Console.WriteLine($"seeded {count} registrants for session {session}; its 24 h reminder is due now");
    return 0;
}

var clock = Stopwatch.StartNew();
var timeout = TimeSpan.FromMinutes(5);
long sent = 0;
while (clock.Elapsed < timeout)
{
    await using var connection = await database.OpenAsync(default);
    sent = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'reminder' AND status = 'sent'");
    if (sent >= count)
    {
        break;
    }

    await Task.Delay(100);
}

await using (var connection = await database.OpenAsync(default))
{
    var (fired, first, last, failed) = await connection.QuerySingleAsync<(long?, long?, long?, long)>(
        """
        SELECT (SELECT MIN(fired_utc_ms) FROM session_reminders WHERE state = 'fired'),
               MIN(created_utc_ms), MAX(sent_utc_ms), SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)
        FROM outbox_messages WHERE purpose = 'reminder'
        """);
    var duplicates = await connection.ExecuteScalarAsync<long>(
        "SELECT COUNT(*) - COUNT(DISTINCT recipient) FROM outbox_messages WHERE purpose = 'reminder'");
    var seconds = (last - fired) / 1000.0 ?? double.NaN;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        sent={sent}
        failed={failed}
        duplicate_rows={duplicates}
        fired_to_last_sent_s={seconds:F2}
        rate={sent / seconds:F1}
        """));
}

return sent >= count ? 0 : 2;
