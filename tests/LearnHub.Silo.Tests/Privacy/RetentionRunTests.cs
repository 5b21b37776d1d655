using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Privacy;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Privacy;

/// <summary>
/// Retention periods against a pinned clock, on both engines: for each class of data one record just past its period
/// and one just inside it; a run removes exactly the first ones, a dry run only counts them.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RetentionRunTests(DatabaseFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private sealed record World(LearnHubDatabase Database, TestClock Clock, TestSilo Silo, RetentionRun Retention) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Silo.DisposeAsync();
    }

    // Defaults: registrations 1095 days after the session ends, evaluation text 730, mentoring notes 2555, outbox 90, audit 2555.
    private async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var clock = new TestClock(Now.AddDays(-1095).AddDays(-10));
        var (database, _) = await fixture.NewDatabaseAsync(provider, clock);
        var silo = await TestSilo.StartAsync(database, clock);
        var world = new World(database, clock, silo,
            new RetentionRun(database, clock, Options.Create(new RetentionOptions()), silo.Services.GetRequiredService<SessionDirectory>(), silo.Grains));
        var catalog = new GrainCatalog(silo.Services, clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Mind the Gap", ""), default);
        // One session ends a minute past the period before "now", the other a minute inside it.
        foreach (var (name, endsBeforeNow) in new[] { ("Ann Oldfield", TimeSpan.FromDays(1095) + Minute), ("Ben Recent", TimeSpan.FromDays(1095) - Minute) })
        {
            var ends = Now - endsBeforeNow;
            clock.SetUtcNow(ends.AddDays(-7));
            var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, $"Session {ends:yyyy-MM-dd}", "", ends.AddHours(-1), ends,
                "America/New_York", 5, []), default);
            var applicant = Applicant.Validate(name, $"{name.Split(' ')[0].ToLowerInvariant()}@example.org", "County DCF", "Caseworker", "America/Chicago", "Braille").Applicant!;
            await silo.Grains.Session(session).RegisterAsync(applicant, false);
        }

        var users = new[] { Guid.NewGuid().ToString(), Guid.NewGuid().ToString() };
        var mentorship = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync(default);
        foreach (var user in users)
        {
            await connection.ExecuteAsync("INSERT INTO users (id, email, email_normalized, display_name, created_utc_ms) VALUES (@user, @email, @email, 'Someone', 0)",
                new { user, email = $"{user}@example.org" });
        }

        await connection.ExecuteAsync(
            "INSERT INTO mentorships (id, mentor_id, mentee_id, assigned_on, mentor_time_zone, status, created_utc_ms) VALUES (@mentorship, @mentor, @mentee, '2018-01-01', 'UTC', 'active', 0)",
            new { mentorship, mentor = users[0], mentee = users[1] });
        foreach (var (label, days) in new[] { ("past", 1), ("inside", -1) })
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO evaluation_responses (id, session_id, registration_id, rating_overall, rating_content, rating_presenters, rating_relevance, recommend,
                                                  most_useful, suggestions, submitted_utc_ms)
                SELECT @id, id, NULL, 4, 4, 4, 4, 'yes', @text, @text, @at FROM sessions LIMIT 1
                """, new { id = Guid.NewGuid().ToString(), text = $"evaluation {label}", at = At(730, days) });
            await connection.ExecuteAsync(
                """
                INSERT INTO follow_up_logs (id, mentorship_id, held_on, mode, duration_minutes, topics, notes, next_steps, logged_by, logged_utc_ms)
                VALUES (@id, @mentorship, '2019-01-01', 'phone', 20, 'Onboarding', @text, @text, @mentor, @at)
                """, new { id = Guid.NewGuid().ToString(), mentorship, text = $"note {label}", mentor = users[0], at = At(2555, days) });
            await connection.ExecuteAsync(
                """
                INSERT INTO outbox_messages (id, idempotency_key, message_id, recipient, purpose, subject_ref, status, next_attempt_utc_ms, created_utc_ms)
                VALUES (@id, @id, @id, @recipient, 'confirmation', 'x', 'sent', @at, @at)
                """, new { id = Guid.NewGuid().ToString(), recipient = $"mail-{label}@example.org", at = At(90, days) });
            await using var scope = await database.BeginWriteAsync(default);
            await AuditLog.AppendAsync(scope, new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(At(2555, days)), null, $"audit-{label}@example.org",
                "user.created", "user", null, null, ""), default);
            await scope.CommitAsync(default);
        }

        clock.SetUtcNow(Now);
        return world;
    }

    // A minute past (+1) or inside (-1) a period of the given days before now.
    private static long At(int periodDays, int side) => (Now - TimeSpan.FromDays(periodDays) - side * Minute).ToUnixTimeMilliseconds();

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Run_RemovesExactlyWhatIsPastItsPeriod_AndNothingElse(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);

        var report = await world.Retention.RunAsync(dryRun: false, default);

        Assert.Equal(1, Count(report, "registrations"));
        Assert.Equal(1, Count(report, "mail about them"));
        Assert.Equal(1, Count(report, "evaluation answers"));
        Assert.Equal(1, Count(report, "follow-up notes"));
        Assert.Equal(1, Count(report, "delivered or abandoned mail"));
        Assert.Equal(1, Count(report, "audit entries"));
        foreach (var gone in new[] { "Ann Oldfield", "ann@example.org", "evaluation past", "note past", "mail-past@", "audit-past@" })
        {
            Assert.Equal($"{gone}: ", $"{gone}: {string.Join(", ", await DatabaseScan.WhereTextHoldsAsync(world.Database, gone))}");
        }

        foreach (var kept in new[] { "Ben Recent", "ben@example.org", "evaluation inside", "note inside", "mail-inside@", "audit-inside@" })
        {
            Assert.NotEmpty(await DatabaseScan.WhereTextHoldsAsync(world.Database, kept));
        }

        // Ann's registration is still counted, under the placeholder.
        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'"));
        var again = await world.Retention.RunAsync(dryRun: false, default);
        Assert.All(again.Lines, line => Assert.Equal(0, line.Count));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task DryRun_CountsTheSameRows_AndChangesNothing(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var before = await DatabaseScan.RowCountsAsync(world.Database);

        var report = await world.Retention.RunAsync(dryRun: true, default);

        Assert.True(report.DryRun);
        // Ann's registration and its confirmation mail, one evaluation, one note, one sent mail, one audit entry.
        Assert.Equal(6, report.Lines.Sum(l => l.Count));
        Assert.Equal(before, await DatabaseScan.RowCountsAsync(world.Database));
        Assert.NotEmpty(await DatabaseScan.WhereTextHoldsAsync(world.Database, "Ann Oldfield"));
        Assert.NotEmpty(await DatabaseScan.WhereTextHoldsAsync(world.Database, "note past"));
    }

    [Fact]
    public void Options_NameTheKey_OfAPeriodShorterThanADay()
    {
        var problems = new RetentionOptions { OutboxDays = 0 }.Problems().ToList();

        Assert.Contains("LearnHub:Retention:OutboxDays", Assert.Single(problems), StringComparison.Ordinal);
    }

    private static int Count(RetentionReport report, string what) => report.Lines.Single(l => l.What == what).Count;
}
