using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Certificates;

/// <summary>
/// A database with a series, sessions and registrations, where a test writes attendance and evaluation rows directly
/// (as the attendance and evaluation writers will) and tells the observer inside the same write transaction.
/// </summary>
public sealed class CertificateWorld
{
    private CertificateWorld(LearnHubDatabase database, TestClock clock, Guid series)
    {
        Database = database;
        Clock = clock;
        Series = series;
        Observer = new CertificateObserver("https://learnhub.example");
        Catalog = new TestCatalog(database, clock, [Observer]);
        Store = new CertificateStore(database, clock, Observer);
    }

    public LearnHubDatabase Database { get; }

    public TestClock Clock { get; }

    public Guid Series { get; }

    public CertificateObserver Observer { get; }

    public TestCatalog Catalog { get; }

    public CertificateStore Store { get; }

    public static async Task<CertificateWorld> CreateAsync(DatabaseFixture fixture, DatabaseProvider provider)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 12, 10, 18, 0, 0, TimeSpan.Zero));
        var (database, _) = await fixture.NewDatabaseAsync(provider, clock);
        var series = await new TestCatalog(database, clock).CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Mind the Gap", "A series."), default);
        return new CertificateWorld(database, clock, series);
    }

    /// <summary>A session that started <paramref name="daysAgo"/> days ago at 21:30 UTC (afternoon in Denver), with CE hours.</summary>
    public async Task<Guid> SessionAsync(string title, int ceHoursCenti = 150, int daysAgo = 2)
    {
        var starts = new DateTimeOffset(2026, 12, 10, 3, 30, 0, TimeSpan.Zero).AddDays(-daysAgo);
        var id = await Catalog.CreateSessionAsync(new SessionDraft(Series, SessionKind.NationalWebinar, title, "About it.", starts, starts.AddMinutes(90),
            "America/Denver", 100, []) { CeHoursCenti = ceHoursCenti }, default);
        return id;
    }

    public Task RequireEvaluationAsync(string statement = "This training is approved for continuing education.") =>
        SettingsAsync(new SeriesTraining(EvaluationRequired: true, CertificateStatement: statement));

    /// <summary>Sets the series' attendance and certificate settings as the series form does.</summary>
    public Task SettingsAsync(SeriesTraining training) =>
        Catalog.UpdateSeriesAsync(Series, new SeriesDraft("unchanged", "Mind the Gap", "A series.", Training: training), default);

    /// <summary>A confirmed registration (the email as typed; it is stored normalized too).</summary>
    public async Task<Guid> RegisterAsync(Guid session, string email, string name = "Robin Diaz")
    {
        var id = Guid.NewGuid();
        await using var connection = await Database.OpenAsync(default);
        await connection.ExecuteAsync(
            """
            INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                       status, sequence, registered_utc_ms)
            VALUES (@id, @session, @group, 'secret', @name, @email, @normalized, 'County', 'Caseworker', 'America/Denver', '', 'confirmed',
                    (SELECT COUNT(*) + 1 FROM registrations WHERE session_id = @session), @at)
            """,
            new { id = id.ToString(), session = session.ToString(), group = Guid.NewGuid().ToString(), name, email, normalized = email.Trim().ToLowerInvariant(),
                at = Clock.GetUtcNow().ToUnixTimeMilliseconds() });
        return id;
    }

    /// <summary>Writes (or corrects) attendance rows and tells the observer, in one transaction, as the attendance writer does.</summary>
    public async Task AttendAsync(Guid session, bool attended, string reason = "", params Guid[] registrations)
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await using var scope = await Database.BeginWriteAsync(default);
        await WriteAttendanceAsync(scope, session, attended, reason, registrations);
        await scope.CommitAsync(default);
    }

    /// <summary>The attendance writer's work inside <paramref name="scope"/>, left uncommitted (for races).</summary>
    public async Task WriteAttendanceAsync(WriteScope scope, Guid session, bool attended, string reason, params Guid[] registrations)
    {
        foreach (var registration in registrations)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO attendance (registration_id, session_id, minutes, attended, source, recorded_utc_ms) VALUES (@r, @s, @m, @a, 'check-in', @at)
                ON CONFLICT (registration_id) DO UPDATE SET minutes = @m, attended = @a, recorded_utc_ms = @at
                """,
                new { r = registration.ToString(), s = session.ToString(), m = attended ? 90 : 10, a = attended ? 1 : 0, at = Clock.GetUtcNow().ToUnixTimeMilliseconds() },
                scope.Transaction));
        }

        await Observer.TrainingRecordChangedAsync(scope, new TrainingRecordChange(session, registrations, null, Clock.GetUtcNow(), reason), default);
    }

    /// <summary>Marks a registration's evaluation completed and tells the observer, as the evaluation submission does.</summary>
    public async Task CompleteEvaluationAsync(Guid session, Guid registration)
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        await using var scope = await Database.BeginWriteAsync(default);
        var at = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO evaluation_invitations (registration_id, session_id, token_hash, invited_utc_ms, completed_utc_ms) VALUES (@r, @s, @token, @at, @at)
            ON CONFLICT (registration_id) DO UPDATE SET completed_utc_ms = @at
            """, new { r = registration.ToString(), s = session.ToString(), token = Guid.NewGuid().ToString("N"), at }, scope.Transaction));
        await Observer.TrainingRecordChangedAsync(scope, new TrainingRecordChange(session, [registration], null, Clock.GetUtcNow()), default);
        await scope.CommitAsync(default);
    }

    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }
}
