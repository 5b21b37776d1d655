using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Certificates;

/// <summary>Certificates issued and revoked by the observer inside the writers' transactions, on both engines.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CertificateObserverTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnAttendee_GetsOneSessionCertificate_WithTheSnapshotTheMailAndTheAudit(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        await world.SettingsAsync(new SeriesTraining(CertificateStatement: "Approved for 1.5 CE hours by the State Board."));
        var session = await world.SessionAsync("Simulation Labs", ceHoursCenti: 150);
        var registration = await world.RegisterAsync(session, " Robin.Diaz@Example.org ");

        await world.AttendAsync(session, true, "", registration);

        var certificate = Assert.Single(await world.Store.ForPersonAsync("robin.diaz@example.org", default));
        Assert.Equal((CertificateKind.Session, "Robin Diaz", "Simulation Labs", 150, "Approved for 1.5 CE hours by the State Board."),
            (certificate.Kind, certificate.PersonName, certificate.TrainingTitle, certificate.CeHoursCenti, certificate.Statement));
        // 03:30 UTC on December 8 is still December 7 in Denver, where the session was held.
        Assert.Equal(new DateOnly(2026, 12, 7), certificate.TrainingDate);
        Assert.Equal(CodeReading.WellFormed, CertificateCode.Read(certificate.Code).Reading);
        Assert.Equal(1, await world.CountAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued' AND recipient = 'robin.diaz@example.org' AND data LIKE @link",
            new { link = $"%/certificates/{certificate.Id}%" }));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issued' AND object_id = @id", new { id = certificate.Id.ToString() }));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhereTheSeriesRequiresTheEvaluation_AttendanceAloneEarnsNothing_AndTheEvaluationThenEarnsOne(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        await world.RequireEvaluationAsync();
        var session = await world.SessionAsync("Trauma-Informed Supervision");
        var registration = await world.RegisterAsync(session, "sam@example.org");

        await world.AttendAsync(session, true, "", registration);
        Assert.Empty(await world.Store.ForPersonAsync("sam@example.org", default));

        await world.CompleteEvaluationAsync(session, registration);
        Assert.Single(await world.Store.ForPersonAsync("sam@example.org", default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhenTheSeriesStopsRequiringTheEvaluation_AttendeesWhoSkippedItGetTheirCertificateThen(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        await world.RequireEvaluationAsync();
        var session = await world.SessionAsync("Trauma-Informed Supervision");
        var attendee = await world.RegisterAsync(session, "sam@example.org");
        var absentee = await world.RegisterAsync(session, "kim@example.org", "Kim Park");
        await world.AttendAsync(session, true, "", attendee);
        await world.AttendAsync(session, false, "", absentee);
        Assert.Empty(await world.Store.ForPersonAsync("sam@example.org", default));

        await world.SettingsAsync(new SeriesTraining(EvaluationRequired: true, CertificateStatement: "Changed statement only."));
        Assert.Empty(await world.Store.ForPersonAsync("sam@example.org", default));

        await world.SettingsAsync(new SeriesTraining(EvaluationRequired: false));
        Assert.Single(await world.Store.ForPersonAsync("sam@example.org", default));
        Assert.Empty(await world.Store.ForPersonAsync("kim@example.org", default));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued'"));
    }

    [Fact]
    public async Task SwitchingTheEvaluationOff_TakesTheSeriesSessionsBeforeAnyCourse_SoItCannotDeadlockWithAnAttendanceWriter()
    {
        // PostgreSQL only: SQLite has one writer, so there is no lock order to get wrong.
        var world = await CertificateWorld.CreateAsync(fixture, DatabaseProvider.PostgreSql);
        await world.RequireEvaluationAsync();
        var ids = new[] { await world.SessionAsync("Week 1", daysAgo: 9), await world.SessionAsync("Week 2", daysAgo: 2) };
        var (first, second) = string.CompareOrdinal(ids[0].ToString(), ids[1].ToString()) < 0 ? (ids[0], ids[1]) : (ids[1], ids[0]);
        var course = await world.Store.CreateCourseAsync(new CourseDraft("Two weeks", "Both weeks.", "3", "Certified.", [ids[0], ids[1]]), null, default);
        await world.AttendAsync(first, true, "", await world.RegisterAsync(first, "sam@example.org"));
        await world.AttendAsync(second, true, "", await world.RegisterAsync(second, "sam@example.org"));

        // An attendance writer of the second session: it holds that session's row and will want the course's row next.
        await using var writer = (Npgsql.NpgsqlConnection)await world.Database.OpenAsync(default);
        await using var transaction = await writer.BeginTransactionAsync();
        await writer.ExecuteAsync("SELECT id FROM sessions WHERE id = @id FOR UPDATE", new { id = second.ToString() }, transaction);

        var release = world.SettingsAsync(new SeriesTraining(EvaluationRequired: false));
        // Wait until the series update is blocked on the second session's row.
        for (var i = 0; i < 200 && await world.CountAsync(
                 "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0; i++)
        {
            await Task.Delay(25);
        }

        await writer.ExecuteAsync("SET LOCAL lock_timeout = '5s'", transaction: transaction);
        await writer.ExecuteAsync("SELECT id FROM courses WHERE id = @id FOR UPDATE", new { id = course.ToString() }, transaction);
        await transaction.CommitAsync();
        await release;

        Assert.Equal(3, await world.CountAsync("SELECT COUNT(*) FROM certificates WHERE revoked_utc_ms IS NULL"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARegistrantWhoDidNotAttend_GetsNone_EvenWithAnEvaluation(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var session = await world.SessionAsync("Simulation Labs");
        var absent = await world.RegisterAsync(session, "absent@example.org");

        await world.AttendAsync(session, false, "", absent);
        await world.CompleteEvaluationAsync(session, absent);

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CorrectingAttendance_RevokesWithTheReasonAndAnAuditEntry_AndAttendingAgainIssuesANewCode(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var session = await world.SessionAsync("Simulation Labs");
        var registration = await world.RegisterAsync(session, "kim@example.org");
        await world.AttendAsync(session, true, "", registration);
        var first = Assert.Single(await world.Store.ForPersonAsync("kim@example.org", default));

        await world.AttendAsync(session, false, "Left after ten minutes; the report was wrong.", registration);

        var revoked = (await world.Store.FindAsync(first.Id, default))!;
        Assert.Equal(world.Clock.GetUtcNow(), revoked.RevokedAt);
        Assert.Equal("Attendance was corrected: no longer recorded as attended. Reason given: Left after ten minutes; the report was wrong.", revoked.RevokedReason);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.revoked' AND object_id = @id", new { id = first.Id.ToString() }));
        // The person is told, with the link that now verifies the certificate as revoked; the organizer's reason stays internal.
        Assert.Equal(1, await world.CountAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-revoked' AND recipient = 'kim@example.org' AND data LIKE @link AND data NOT LIKE '%ten minutes%'",
            new { link = $"%/verify/{first.Code}%" }));

        await world.AttendAsync(session, true, "Checked the sign-in sheet again.", registration);

        var all = await world.Store.ForPersonAsync("kim@example.org", default);
        Assert.Equal(2, all.Count);
        var second = Assert.Single(all, c => c.IsLive);
        Assert.NotEqual(first.Code, second.Code);
        Assert.False((await world.Store.FindAsync(first.Id, default))!.IsLive);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheObserverToldTwice_IssuesOnce(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var session = await world.SessionAsync("Simulation Labs");
        var registration = await world.RegisterAsync(session, "lee@example.org");
        await world.AttendAsync(session, true, "", registration);

        await using (var scope = await world.Database.BeginWriteAsync(default))
        {
            var change = new TrainingRecordChange(session, [registration, registration], null, world.Clock.GetUtcNow());
            await world.Observer.TrainingRecordChangedAsync(scope, change, default);
            await world.Observer.TrainingRecordChangedAsync(scope, change, default);
            await scope.CommitAsync(default);
        }

        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM certificates"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued'"));
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issued'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhatTheObserverWrites_IsRolledBackWithTheWriter(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var session = await world.SessionAsync("Simulation Labs");
        var registration = await world.RegisterAsync(session, "lee@example.org");

        await using (var scope = await world.Database.BeginWriteAsync(default))
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO attendance (registration_id, session_id, minutes, attended, source, recorded_utc_ms) VALUES (@r, @s, 90, 1, 'check-in', 0)",
                new { r = registration.ToString(), s = session.ToString() }, scope.Transaction));
            await world.Observer.TrainingRecordChangedAsync(scope, new TrainingRecordChange(session, [registration], null, world.Clock.GetUtcNow()), default);
            Assert.Equal(1, await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM certificates", transaction: scope.Transaction)));
            // Disposed without commit: the writer failed.
        }

        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACourse_CompletesOnlyWhenEveryRequiredSessionIsAttended_ByEmailAcrossRegistrations(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var sessions = new List<Guid>();
        for (var week = 3; week >= 1; week--)
        {
            sessions.Add(await world.SessionAsync($"Week {4 - week}", daysAgo: week * 7));
        }

        var course = await world.Store.CreateCourseAsync(new CourseDraft("Certified Peer Specialist", "Eight **weeks**.", "12.5", "Certified by the board.", sessions), null, default);
        var registrations = new List<Guid>();
        foreach (var (session, i) in sessions.Select((s, i) => (s, i)))
        {
            // The same person, typing their address differently each week.
            registrations.Add(await world.RegisterAsync(session, i == 1 ? "PAT@example.org" : "pat@example.org", "Pat Okafor"));
        }

        await world.AttendAsync(sessions[0], true, "", registrations[0]);
        await world.AttendAsync(sessions[1], true, "", registrations[1]);
        await world.AttendAsync(sessions[2], false, "", registrations[2]);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates WHERE kind = 'course'"));
        Assert.Equal((2, 3), (await world.Store.ProgressAsync(course, default)).Select(l => (l.Completed, l.Required)).Single());

        await world.AttendAsync(sessions[2], true, "Late check-in.", registrations[2]);

        var courseCertificate = Assert.Single(await world.Store.ForPersonAsync("pat@example.org", default), c => c.Kind == CertificateKind.Course);
        Assert.Equal(("Certified Peer Specialist", 1250, "Certified by the board.", new DateOnly(2026, 12, 2)),
            (courseCertificate.TrainingTitle, courseCertificate.CeHoursCenti, courseCertificate.Statement, courseCertificate.TrainingDate));
        Assert.Equal(courseCertificate.Code, (await world.Store.ProgressAsync(course, default)).Single().CertificateCode);

        await world.AttendAsync(sessions[0], false, "Wrong person matched.", registrations[0]);

        Assert.False((await world.Store.FindAsync(courseCertificate.Id, default))!.IsLive);
        Assert.Contains("1 required session is no longer recorded as attended", (await world.Store.FindAsync(courseCertificate.Id, default))!.RevokedReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACourseCreatedAfterItsSessionsWereAttended_CertifiesThoseWhoCompletedIt(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var a = await world.SessionAsync("Week 1", daysAgo: 14);
        var b = await world.SessionAsync("Week 2", daysAgo: 7);
        var done = new[] { await world.RegisterAsync(a, "done@example.org"), await world.RegisterAsync(b, "done@example.org") };
        var half = await world.RegisterAsync(a, "half@example.org");
        await world.AttendAsync(a, true, "", done[0], half);
        await world.AttendAsync(b, true, "", done[1]);

        await world.Store.CreateCourseAsync(new CourseDraft("Two Weeks", "", "3", "", [a, b]), null, default);

        Assert.Single(await world.Store.ForPersonAsync("done@example.org", default), c => c.Kind == CertificateKind.Course);
        Assert.DoesNotContain(await world.Store.ForPersonAsync("half@example.org", default), c => c.Kind == CertificateKind.Course);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACourseCreatedWhileAnImportOfItsLastSessionCommits_StillCertifiesWhoCompletedIt(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var first = await world.SessionAsync("Week 1", daysAgo: 9);
        var second = await world.SessionAsync("Week 2", daysAgo: 2);
        await world.AttendAsync(first, true, "", await world.RegisterAsync(first, "ada@example.org", "Ada Obi"));
        var last = await world.RegisterAsync(second, "ada@example.org", "Ada Obi");

        // The import of week 2 has written its rows but not committed when the organizer creates the course.
        var import = await world.Database.BeginWriteAsync(default);
        await world.WriteAttendanceAsync(import, second, true, "", last);
        var creating = world.Store.CreateCourseAsync(new CourseDraft("Two Weeks", "", "3", "", [first, second]), null, default);
        await Task.Delay(500);
        Assert.False(creating.IsCompleted, "the course waits for the import holding its session");
        await import.CommitAsync(default);
        await import.DisposeAsync();
        var course = await creating;

        Assert.Single(await world.Store.ForPersonAsync("ada@example.org", default), c => c.CourseId == course && c.IsLive);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACourseDraft_WithBadFields_IsRefusedAndNothingIsStored(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);

        var problems = world.Store.Problems(new CourseDraft(" ", "", "1.234", new string('x', 2001), []));

        Assert.Equal(["ceHours", "sessions", "statement", "title"], problems.Keys.Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<Grains.DomainException>(() => world.Store.CreateCourseAsync(new CourseDraft("Real", "", "1", "", [Guid.NewGuid()]), null, default));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM courses"));
    }
}
