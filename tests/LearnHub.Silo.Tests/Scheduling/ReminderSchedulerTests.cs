using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Tests.Messaging;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Scheduling;

/// <summary>Reminders are data fired by a job: right UTC instants across daylight-saving changes, once each.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ReminderSchedulerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private static DateTimeOffset Local(int year, int month, int day, string zone)
    {
        var utc = TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, 9, 0, 0, DateTimeKind.Unspecified), TimeZoneInfo.FindSystemTimeZoneById(zone));
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }

    private static DateTimeOffset Utc(int month, int day, int hour) => new(2027, month, day, hour, 0, 0, TimeSpan.Zero);

    // 09:00 local on the Monday after each 2027 change: New York (Mar 14, Nov 7), Berlin (Mar 28, Oct 31).
    public static TheoryData<DatabaseProvider, string, int, int, DateTimeOffset, DateTimeOffset> Sessions => new()
    {
        { DatabaseProvider.Sqlite, "America/New_York", 3, 15, Utc(3, 14, 13), Utc(3, 15, 12) },
        { DatabaseProvider.Sqlite, "America/New_York", 11, 8, Utc(11, 7, 14), Utc(11, 8, 13) },
        { DatabaseProvider.Sqlite, "Europe/Berlin", 3, 29, Utc(3, 28, 7), Utc(3, 29, 6) },
        { DatabaseProvider.Sqlite, "Europe/Berlin", 11, 1, Utc(10, 31, 8), Utc(11, 1, 7) },
        { DatabaseProvider.PostgreSql, "America/New_York", 3, 15, Utc(3, 14, 13), Utc(3, 15, 12) },
        { DatabaseProvider.PostgreSql, "Europe/Berlin", 11, 1, Utc(10, 31, 8), Utc(11, 1, 7) },
    };

    [Theory]
    [MemberData(nameof(Sessions))]
    public async Task DaylightSaving_RemindersFireAtTheRightUtcInstants_OnceEach(
        DatabaseProvider provider, string zone, int month, int day, DateTimeOffset due24h, DateTimeOffset due1h)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, new DateTimeOffset(2027, 1, 4, 12, 0, 0, TimeSpan.Zero));
        var webinar = await world.WebinarAsync(capacity: 10, starts: Local(2027, month, day, zone), zone: zone);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org", zone), false);

        Assert.Equal([(1440L, due24h.ToUnixTimeMilliseconds()), (60L, due1h.ToUnixTimeMilliseconds())], await DueAsync(world, webinar));
        foreach (var (due, offset) in new[] { (due24h, 1440), (due1h, 60) })
        {
            world.Clock.SetUtcNow(due.AddMinutes(-1));
            await world.Reminders.FireDueAsync(default);
            Assert.Equal(0, await RemindersQueuedAsync(world, offset));

            world.Clock.SetUtcNow(due);
            await world.Reminders.FireDueAsync(default);
            await world.Reminders.FireDueAsync(default);
            Assert.Equal(1, await RemindersQueuedAsync(world, offset));
        }

        await world.Dispatcher.DrainAsync(default);
        var subjects = (await _smtp.WaitForAsync(3)).Select(m => m.Subject).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["In 1 hour: Simulation Labs", "Registered: Simulation Labs", "Tomorrow: Simulation Labs"], subjects);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Misfire_ALateReminderIsSent_IfTheSessionHasNotBegun_AndSkipped_IfItHas(DatabaseProvider provider)
    {
        var now = new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero);
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, now);
        // Starts in 3 hours: its 24 h reminder is already overdue (no silo ran then); its 1 h one is not yet due.
        var soon = await world.WebinarAsync(capacity: 10, starts: now.AddHours(3));
        await world.Grains.Session(soon).RegisterAsync(MailWorld.Person("robin@example.org"), false);

        await world.Reminders.FireDueAsync(default);
        Assert.Equal(1, await RemindersQueuedAsync(world, 1440));

        // Every silo is down from now until after the start: the 1 h reminder is skipped, not sent late.
        world.Clock.SetUtcNow(now.AddHours(4));
        var run = await world.Reminders.FireDueAsync(default);

        Assert.Equal((0, 1), (run.Fired, run.Skipped));
        Assert.Equal(0, await RemindersQueuedAsync(world, 60));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASeriesCanAskForOtherLeadTimes_ForItsNewSessions(DatabaseProvider provider)
    {
        var now = new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero);
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, now);
        var series = await world.Catalog.CreateSeriesAsync(new SeriesDraft("leads", "Leads", ""), default);
        await world.Catalog.SetReminderOffsetsAsync(series, [TimeSpan.FromDays(2), TimeSpan.FromMinutes(30)], default);
        var starts = now.AddDays(5);

        var session = await world.Catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "S", "", starts, starts.AddHours(1),
            "UTC", 10, []), default);

        Assert.Equal([(2880L, starts.AddDays(-2).ToUnixTimeMilliseconds()), (30L, starts.AddMinutes(-30).ToUnixTimeMilliseconds())], await DueAsync(world, session));
    }

    [Fact]
    public async Task TwoSilosOnOnePostgreSql_Deliver500RemindersExactlyOnceEach()
    {
        var now = new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero);
        await using var first = await MailWorld.CreateAsync(fixture, DatabaseProvider.PostgreSql, _smtp.Port, now);
        var webinar = await first.WebinarAsync(capacity: 500, starts: now.AddDays(2));
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => first.Grains.Session(webinar).RegisterAsync(MailWorld.Person($"p{i}@example.org"), false)));
        await first.Dispatcher.DrainAsync(default);
        var confirmations = (await _smtp.WaitForAsync(500)).Count;
        using var secondDatabase = new LearnHubDatabase(DatabaseProvider.PostgreSql, first.ConnectionString);
        await using var second = await MailWorld.CreateAsync(fixture, DatabaseProvider.PostgreSql, _smtp.Port, now,
            shared: (secondDatabase, first.ConnectionString));

        first.Clock.SetUtcNow(now.AddDays(1));
        second.Clock.SetUtcNow(now.AddDays(1));
        await Task.WhenAll(first.Reminders.FireDueAsync(default), second.Reminders.FireDueAsync(default));
        var passes = await Task.WhenAll(first.Dispatcher.DrainAsync(default), second.Dispatcher.DrainAsync(default));

        Assert.Equal(500, passes.Sum(p => p.Sent));
        Assert.True(passes.All(p => p.Sent > 0), "Both silos should have shared the work.");
        var reminders = (await _smtp.WaitForAsync(confirmations + 500)).Skip(confirmations).ToList();
        Assert.Equal(500, reminders.Count);
        Assert.Equal(500, reminders.Select(m => m.RcptTos[0]).Distinct().Count());
        Assert.All(reminders, m => Assert.Equal("Tomorrow: Simulation Labs", m.Subject));
    }

    private static async Task<List<(long, long)>> DueAsync(MailWorld world, Guid session)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await connection.QueryAsync<(long, long)>(
            "SELECT offset_minutes, due_utc_ms FROM session_reminders WHERE session_id = @id ORDER BY offset_minutes DESC", new { id = session.ToString() })).ToList();
    }

    private static async Task<long> RemindersQueuedAsync(MailWorld world, int offset)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'reminder' AND subject_ref LIKE @pattern", new { pattern = $"%:reminder:{offset}:%" });
    }
}
