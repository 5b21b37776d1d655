using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using LearnHub.Web.Registrations;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Evaluations;

/// <summary>
/// Registrants of a running app, and their attendance written as the attendance importer will write it: its rows,
/// then every registered observer, in one transaction. The evaluation mail that follows is due at the session's end:
/// a test that waits for it moves the app's clock past the end first.
/// </summary>
public static class Attendees
{
    public static async Task<Guid> RegisterAsync(LearnHubWebFactory app, Guid session, string name, string email)
    {
        var result = await app.Services.GetRequiredService<RegistrationDesk>()
            .RegisterAsync(session, new RegistrationRequest(name, email, "County DCF", "Caseworker", "America/New_York", ""), default);
        return result.Receipt?.Session.RegistrationId ?? throw new InvalidOperationException($"Registration failed: {result.Outcome} {result.Message}");
    }

    public static async Task RecordAsync(LearnHubWebFactory app, Guid session, params (Guid Registration, bool Attended)[] rows)
    {
        var now = app.Clock.GetUtcNow();
        await using var scope = await app.Services.GetRequiredService<LearnHubDatabase>().BeginWriteAsync(default);
        foreach (var (registration, attended) in rows)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO attendance (registration_id, session_id, minutes, attended, source, recorded_utc_ms)
                VALUES (@registration, @session, @minutes, @attended, 'check-in', @now)
                """,
                new { registration = registration.ToString(), session = session.ToString(), minutes = attended ? 90 : 10, attended = attended ? 1 : 0, now = now.ToUnixTimeMilliseconds() },
                scope.Transaction));
        }

        var change = new TrainingRecordChange(session, rows.Select(r => r.Registration).ToList(), null, now);
        foreach (var observer in app.Services.GetServices<ITrainingRecordObserver>())
        {
            await observer.TrainingRecordChangedAsync(scope, change, default);
        }

        await scope.CommitAsync(default);
    }

    public static async Task<long> CountAsync(LearnHubWebFactory app, string sql, object? parameters = null)
    {
        await using var connection = await app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    /// <summary>A complete, valid set of answers as the survey form posts them.</summary>
    public static Dictionary<string, string> Answers(string overall = "4", string content = "5", string presenters = "4", string relevance = "3",
        string recommend = "yes", string mostUseful = "", string suggestions = "", bool anonymous = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["OverallRating"] = overall,
            ["ContentRating"] = content,
            ["PresentersRating"] = presenters,
            ["RelevanceRating"] = relevance,
            ["Recommend"] = recommend,
            ["MostUseful"] = mostUseful,
            ["Suggestions"] = suggestions,
        };
        if (anonymous)
        {
            fields["Anonymous"] = "true";
        }

        return fields;
    }
}
