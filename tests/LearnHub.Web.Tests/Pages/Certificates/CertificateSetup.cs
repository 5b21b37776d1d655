using Dapper;
using LearnHub.Testing;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Certificates;

/// <summary>
/// Certificates in a running app, made as the attendance writer will make them: a registration, an attendance row
/// written directly, and every registered observer told inside that write transaction.
/// </summary>
public static class CertificateSetup
{
    /// <summary>A past session in its own series, with CE hours and a statement.</summary>
    public static async Task<Guid> PastSessionAsync(LearnHubWebFactory app, string title, int ceHoursCenti, string statement = "Approved by the State Board of Social Work.",
        SelfStudyRule? selfStudy = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var catalog = new GrainCatalog(app.Services, app.Clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..14], "Mind the Gap", "A series.",
            Training: new SeriesTraining(CertificateStatement: statement, SelfStudy: selfStudy)), default);
        var starts = app.Clock.GetUtcNow().AddDays(-3);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, title, "About it.", starts, starts.AddHours(1),
            "America/New_York", 50, []) { CeHoursCenti = ceHoursCenti }, default);
        return session;
    }

    /// <summary>Registers <paramref name="email"/> for the session and records their attendance; returns the registration.</summary>
    public static async Task<Guid> AttendAsync(LearnHubWebFactory app, Guid session, string email, string name = "Test Person", bool attended = true, Guid? registration = null, string reason = "")
    {
        ArgumentNullException.ThrowIfNull(app);
        var database = app.Services.GetRequiredService<LearnHubDatabase>();
        var now = app.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(default);
        var id = registration ?? Guid.NewGuid();
        if (registration is null)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                           status, sequence, registered_utc_ms)
                VALUES (@id, @session, @group, 'secret', @name, @email, @normalized, 'County', 'Caseworker', 'America/New_York', '', 'confirmed',
                        (SELECT COUNT(*) + 1 FROM registrations WHERE session_id = @session), @now)
                """,
                new { id = id.ToString(), session = session.ToString(), group = Guid.NewGuid().ToString(), name, email, normalized = email.ToLowerInvariant(), now },
                scope.Transaction));
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO attendance (registration_id, session_id, minutes, attended, source, recorded_utc_ms) VALUES (@r, @s, 60, @a, 'check-in', @now)
            ON CONFLICT (registration_id) DO UPDATE SET attended = @a, recorded_utc_ms = @now
            """, new { r = id.ToString(), s = session.ToString(), a = attended ? 1 : 0, now }, scope.Transaction));
        foreach (var observer in app.Services.GetServices<ITrainingRecordObserver>())
        {
            await observer.TrainingRecordChangedAsync(scope, new TrainingRecordChange(session, [id], null, app.Clock.GetUtcNow(), reason), default);
        }

        await scope.CommitAsync(default);
        return id;
    }

    /// <summary>The live certificate of a person for a session.</summary>
    public static async Task<CertificateView> CertificateAsync(LearnHubWebFactory app, string email, Guid session) =>
        (await app.Services.GetRequiredService<CertificateStore>().ForPersonAsync(email.ToLowerInvariant(), default)).Single(c => c.SessionId == session && c.IsLive);
}
