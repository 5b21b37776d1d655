using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Media;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Certificates;

/// <summary>
/// Self-study credit (issue 14), on both engines: issued by the write that completes it — the view that reaches the
/// series' share, or the passed knowledge check — in that write's transaction; never for skipping, a failed check, or
/// after the window; replaced, audited, by live attendance recorded later.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SelfStudyCreditTests(DatabaseFixture fixture)
{
    private const double Length = 600;

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PlayingTheShare_IssuesSelfStudyCredit_SkippingDoesNot_AndLiveAttendanceReplacesIt(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        await world.SettingsAsync(new SeriesTraining(SelfStudy: new SelfStudyRule(Enabled: true, Percent: 90, CeHoursCenti: 100)));
        var session = await world.SessionAsync("Trauma-Informed Supervision", ceHoursCenti: 150);
        var recording = await RecordingAsync(world, session);
        var views = new SqlRecordingViewStore(world.Database, [world.Observer]);
        var watcher = await world.RegisterAsync(session, "robin.diaz@example.org");
        var skipper = await world.RegisterAsync(session, "sam.lee@example.org", "Sam Lee");

        await SaveAsync(world, views, recording, watcher, new PlayedSpan(0, 300));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates"));

        await SaveAsync(world, views, recording, skipper, new PlayedSpan(0, 30), new PlayedSpan(570, 600));
        await SaveAsync(world, views, recording, watcher, new PlayedSpan(0, 545));
        var certificate = Assert.Single(await world.Store.ForPersonAsync("robin.diaz@example.org", default));
        Assert.Equal(CreditType.SelfStudy, certificate.Credit);
        Assert.Equal(100, certificate.CeHoursCenti);
        Assert.Equal(certificate.Id, (await world.Store.LiveForRegistrationAsync(watcher, default))!.Id);
        Assert.Empty(await world.Store.ForPersonAsync("sam.lee@example.org", default));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issued' AND detail LIKE 'Self-study session certificate%'"));

        // Writing again (the next minute's progress) issues nothing more.
        await SaveAsync(world, views, recording, watcher, new PlayedSpan(0, 600));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM certificates"));

        // The attendance report arrives late: live credit replaces self-study, and only one certificate stays in force.
        await world.AttendAsync(session, attended: true, registrations: watcher);
        var both = await world.Store.ForPersonAsync("robin.diaz@example.org", default);
        var live = Assert.Single(both, c => c.IsLive);
        Assert.Equal((CreditType.Live, 150), (live.Credit, live.CeHoursCenti));
        var replaced = Assert.Single(both, c => !c.IsLive);
        Assert.Equal(CreditType.SelfStudy, replaced.Credit);
        Assert.StartsWith("Replaced by live credit", replaced.RevokedReason, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-revoked'"));
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AKnowledgeCheck_MustBePassed_AndTheCreditComesWithThePass_WithinTheWindow(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var session = await world.SessionAsync("Motivational Interviewing");
        var recording = await RecordingAsync(world, session);
        var views = new SqlRecordingViewStore(world.Database, [world.Observer]);
        var checks = new SqlKnowledgeCheckStore(world.Database, [world.Observer]);
        Assert.True(await checks.SaveAsync(session, Draft(), null, world.Clock.GetUtcNow(), default));
        var learner = await world.RegisterAsync(session, "robin.diaz@example.org");
        var late = await world.RegisterAsync(session, "sam.lee@example.org", "Sam Lee");

        // Played everything before the series switched self-study on: switching it on settles nothing yet (the check waits).
        await SaveAsync(world, views, recording, learner, new PlayedSpan(0, 600));
        await world.SettingsAsync(new SeriesTraining(SelfStudy: new SelfStudyRule(Enabled: true, WithinDays: 3)));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates"));

        Assert.True(await checks.AddAttemptAsync(session, Attempt(learner, 1, passed: false, world), default));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates"));
        Assert.False(await checks.AddAttemptAsync(session, Attempt(learner, 1, passed: true, world), default));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates"));

        Assert.True(await checks.AddAttemptAsync(session, Attempt(learner, 2, passed: true, world), default));
        Assert.Equal(CreditType.SelfStudy, Assert.Single(await world.Store.ForPersonAsync("robin.diaz@example.org", default)).Credit);
        Assert.Equal([1, 2], (await checks.AttemptsAsync(learner, default)).Select(a => a.Attempt));

        // Four days after publication the window of three has closed: passing and playing earn nothing.
        world.Clock.Advance(TimeSpan.FromDays(4));
        Assert.True(await checks.AddAttemptAsync(session, Attempt(late, 1, passed: true, world), default));
        await SaveAsync(world, views, recording, late, new PlayedSpan(0, 600));
        Assert.Empty(await world.Store.ForPersonAsync("sam.lee@example.org", default));
    }

    private static KnowledgeCheckDraft Draft() => new([
        new CheckQuestion("a1", "Which stage comes first?", ["Engaging", "Planning"], 0),
        new CheckQuestion("b2", "Reflective listening is…", ["Advice", "A guess at meaning", "A question"], 1),
        new CheckQuestion("c3", "Change talk is the client's own?", ["Yes", "No"], 0),
    ]);

    private static CheckAttempt Attempt(Guid registration, int number, bool passed, CertificateWorld world) =>
        new(registration, number, new Dictionary<string, int> { ["a1"] = 0, ["b2"] = passed ? 1 : 0, ["c3"] = 0 }, passed ? 100 : 66, passed, world.Clock.GetUtcNow());

    private static async Task SaveAsync(CertificateWorld world, SqlRecordingViewStore views, Guid recording, Guid registration, params PlayedSpan[] spans)
    {
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await views.SaveAsync(recording, new Watcher(registration, null), WatchProgress.Restore(spans, world.Clock.GetUtcNow(), spans[^1].To), Length,
            world.Clock.GetUtcNow(), default);
    }

    // A recording published now, its length known: the rows the media grain writes.
    private static async Task<Guid> RecordingAsync(CertificateWorld world, Guid session)
    {
        var id = Guid.NewGuid();
        await using var connection = await world.Database.OpenAsync(default);
        await connection.ExecuteAsync(
            """
            INSERT INTO session_media (id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, published_utc_ms, created_utc_ms, length_ms)
            VALUES (@id, @session, 'recording', 'Recording', 'registrants', 'r.webm', 'video/webm', @sha, 10, @at, @at, @length)
            """,
            new { id = id.ToString(), session = session.ToString(), sha = new string('a', 64), at = world.Clock.GetUtcNow().ToUnixTimeMilliseconds(), length = (long)(Length * 1000) });
        return id;
    }
}
