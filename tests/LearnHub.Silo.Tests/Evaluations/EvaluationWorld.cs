using Dapper;
using LearnHub.Grains.Evaluations;
using LearnHub.Silo.Evaluations;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using LearnHub.Testing;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Evaluations;

/// <summary>
/// A migrated database with series, sessions and registrations written as rows, attendance written the way the
/// attendance importer will (its rows, then every observer inside the same transaction), and the evaluation services.
/// </summary>
public sealed class EvaluationWorld
{
    public const string BaseUrl = "https://learnhub.example";

    private EvaluationWorld(LearnHubDatabase database, TestClock clock, RecordingObserver recorder)
    {
        Database = database;
        Clock = clock;
        Recorder = recorder;
        Inviter = new EvaluationInviter(Options.Create(new MailOptions { PublicBaseUrl = BaseUrl }));
        Store = new EvaluationStore(database, [Inviter, recorder], clock);
        Reports = new EvaluationReports(database);
    }

    public LearnHubDatabase Database { get; }

    public TestClock Clock { get; }

    /// <summary>Stands for the certificate code: remembers what it was told, and can be told to fail.</summary>
    public RecordingObserver Recorder { get; }

    public EvaluationInviter Inviter { get; }

    public EvaluationStore Store { get; }

    public EvaluationReports Reports { get; }

    public static async Task<EvaluationWorld> CreateAsync(DatabaseFixture fixture, DatabaseProvider provider, DateTimeOffset now)
    {
        var clock = new TestClock(now);
        var (database, _) = await fixture.NewDatabaseAsync(provider, clock);
        return new EvaluationWorld(database, clock, new RecordingObserver());
    }

    public async Task<Guid> SeriesAsync(string title = "Mind the Gap")
    {
        var id = Guid.NewGuid();
        await ExecuteAsync("INSERT INTO series (id, slug, title, description, created_utc_ms) VALUES (@id, @slug, @title, '', 0)",
            new { id = id.ToString(), slug = $"s-{id:N}"[..20], title });
        return id;
    }

    public async Task<Guid> SessionAsync(Guid series, string title, DateTimeOffset starts)
    {
        var id = Guid.NewGuid();
        await ExecuteAsync(
            """
            INSERT INTO sessions (id, series_id, kind, title, description, starts_utc_ms, ends_utc_ms, time_zone, capacity)
            VALUES (@id, @series, 'national-webinar', @title, '', @starts, @ends, 'America/New_York', 500)
            """,
            new { id = id.ToString(), series = series.ToString(), title, starts = starts.ToUnixTimeMilliseconds(), ends = starts.AddMinutes(90).ToUnixTimeMilliseconds() });
        return id;
    }

    private int _sequence;

    /// <summary>A registration row (the roster's counters are not kept: nothing here reads them).</summary>
    public async Task<Guid> RegistrationAsync(Guid session, string name, string email, DateTimeOffset registeredAt, string status = "confirmed")
    {
        var id = Guid.NewGuid();
        await ExecuteAsync(
            """
            INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                       status, sequence, registered_utc_ms)
            VALUES (@id, @session, @group, 'secret', @name, @email, @normalized, 'County DCF', 'Caseworker', 'America/New_York', '', @status, @sequence, @at)
            """,
            new
            {
                id = id.ToString(), session = session.ToString(), group = Guid.NewGuid().ToString(), name, email, normalized = email.ToLowerInvariant(), status,
                sequence = Interlocked.Increment(ref _sequence), at = registeredAt.ToUnixTimeMilliseconds(),
            });
        return id;
    }

    /// <summary>Writes (or overwrites) attendance rows and tells <paramref name="observer"/> inside the same transaction.</summary>
    public async Task RecordAttendanceAsync(Guid session, IReadOnlyList<(Guid Registration, int Minutes, bool Attended)> rows, ITrainingRecordObserver? observer = null,
        bool commit = true)
    {
        await using var scope = await Database.BeginWriteAsync(default);
        foreach (var (registration, minutes, attended) in rows)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO attendance (registration_id, session_id, minutes, attended, source, recorded_utc_ms)
                VALUES (@registration, @session, @minutes, @attended, 'import', @now)
                ON CONFLICT (registration_id) DO UPDATE SET minutes = excluded.minutes, attended = excluded.attended, recorded_utc_ms = excluded.recorded_utc_ms
                """,
                new { registration = registration.ToString(), session = session.ToString(), minutes, attended = attended ? 1 : 0, now = Clock.GetUtcNow().ToUnixTimeMilliseconds() },
                scope.Transaction));
        }

        await (observer ?? Inviter).TrainingRecordChangedAsync(scope, new TrainingRecordChange(session, rows.Select(r => r.Registration).ToList(), null, Clock.GetUtcNow()), default);
        if (commit)
        {
            await scope.CommitAsync(default);
        }
    }

    /// <summary>The token of a registration's invitation, read back from the link in its queued mail.</summary>
    public async Task<string> EmailedTokenAsync(Guid registration)
    {
        var data = await ScalarAsync<string>("SELECT data FROM outbox_messages WHERE registration_id = @r AND purpose = 'evaluation-requested'",
            new { r = registration.ToString() });
        var link = System.Text.Json.JsonDocument.Parse(data).RootElement.GetProperty("link").GetString()!;
        Assert.StartsWith($"{BaseUrl}/evaluations/", link, StringComparison.Ordinal);
        return link[(BaseUrl.Length + "/evaluations/".Length)..];
    }

    public static EvaluationAnswers Answers(int overall = 4, int content = 4, int presenters = 5, int relevance = 3, string recommend = "yes",
        string mostUseful = "", string suggestions = "")
    {
        var (answers, problems) = EvaluationAnswers.Read(Ratings(overall, content, presenters, relevance), recommend, mostUseful, suggestions);
        Assert.Empty(problems);
        return answers!;
    }

    public static Dictionary<RatedQuestion, string?> Ratings(object? overall, object? content, object? presenters, object? relevance) => new()
    {
        [RatedQuestion.Overall] = overall?.ToString(),
        [RatedQuestion.Content] = content?.ToString(),
        [RatedQuestion.Presenters] = presenters?.ToString(),
        [RatedQuestion.Relevance] = relevance?.ToString(),
    };

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(default);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync(default);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public Task<long> CountAsync(string table, string where = "1 = 1", object? parameters = null) =>
        ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {where}", parameters);
}

/// <summary>An observer that records each change it is told of, and throws when asked to.</summary>
public sealed class RecordingObserver : ITrainingRecordObserver
{
    private readonly List<TrainingRecordChange> _changes = [];

    public IReadOnlyList<TrainingRecordChange> Changes => _changes;

    public bool Fail { get; set; }

    public Task TrainingRecordChangedAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("The certificate code failed.");
        }

        _changes.Add(change);
        return Task.CompletedTask;
    }
}
