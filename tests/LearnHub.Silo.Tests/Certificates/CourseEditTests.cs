using LearnHub.Grains.Certificates;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Certificates;

/// <summary>Editing a cohort course: what it does to certificates issued and due, on both engines.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CourseEditTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RemovingARequiredSession_CompletesTheCourse_IssuingOneCertificateAndOneMail(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var (a, b) = (await world.SessionAsync("Week 1", daysAgo: 14), await world.SessionAsync("Week 2", daysAgo: 7));
        await world.AttendAsync(a, true, "", await world.RegisterAsync(a, "pat@example.org", "Pat Okafor"));
        await world.AttendAsync(b, false, "", await world.RegisterAsync(b, "pat@example.org", "Pat Okafor"));
        var course = await world.Store.CreateCourseAsync(new CourseDraft("Two Weeks", "", "3", "Old statement.", [a, b]), null, default);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates WHERE kind = 'course'"));

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var changes = await world.Store.UpdateCourseAsync(course, new CourseDraft("One Week", "", "2.5", "New statement.", [a]), null, default);
        await world.Store.UpdateCourseAsync(course, new CourseDraft("One Week", "", "2.5", "New statement.", [a]), null, default);

        Assert.Contains("required sessions removed: Week 2", changes);
        var certificate = Assert.Single(await world.Store.ForPersonAsync("pat@example.org", default), c => c.Kind == CertificateKind.Course);
        Assert.Equal(("One Week", 250, "New statement."), (certificate.TrainingTitle, certificate.CeHoursCenti, certificate.Statement));
        Assert.Equal(1, await world.CountAsync(
            "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued' AND recipient = 'pat@example.org' AND data LIKE @link",
            new { link = $"%/certificates/{certificate.Id}%" }));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AddingARequiredSession_KeepsIssuedCertificates_AndAppliesOnlyToThoseNotYetComplete(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var (a, b) = (await world.SessionAsync("Week 1", daysAgo: 14), await world.SessionAsync("Week 2", daysAgo: 7));
        var done = await world.RegisterAsync(a, "done@example.org");
        var later = await world.RegisterAsync(a, "later@example.org");
        var course = await world.Store.CreateCourseAsync(new CourseDraft("Course", "", "3", "Printed.", [a]), null, default);
        await world.AttendAsync(a, true, "", done);
        var issued = Assert.Single(await world.Store.ForPersonAsync("done@example.org", default), c => c.Kind == CertificateKind.Course);

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.Store.UpdateCourseAsync(course, new CourseDraft("Course", "", "5", "Reprinted.", [a, b]), null, default);
        // Attendance written later for a session of the course does not judge the certificate by the added requirement.
        await world.AttendAsync(a, true, "Re-imported.", done, later);

        var kept = (await world.Store.FindAsync(issued.Id, default))!;
        Assert.True(kept.IsLive);
        Assert.Equal((300, "Printed."), (kept.CeHoursCenti, kept.Statement));
        Assert.DoesNotContain(await world.Store.ForPersonAsync("later@example.org", default), c => c.Kind == CertificateKind.Course);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-revoked'"));

        await world.AttendAsync(b, true, "", await world.RegisterAsync(b, "later@example.org"));
        var earned = Assert.Single(await world.Store.ForPersonAsync("later@example.org", default), c => c.Kind == CertificateKind.Course);
        Assert.Equal((500, "Reprinted."), (earned.CeHoursCenti, earned.Statement));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AfterARequirementIsAdded_TakingBackAttendanceAtASessionTheCertificateWasIssuedFor_StillRevokesIt(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var (a, b) = (await world.SessionAsync("Week 1", daysAgo: 14), await world.SessionAsync("Week 2", daysAgo: 7));
        var registration = await world.RegisterAsync(a, "done@example.org");
        var course = await world.Store.CreateCourseAsync(new CourseDraft("Course", "", "3", "", [a]), null, default);
        await world.AttendAsync(a, true, "", registration);
        await world.Store.UpdateCourseAsync(course, new CourseDraft("Course", "", "3", "", [a, b]), null, default);

        await world.AttendAsync(a, false, "Wrong person matched.", registration);

        Assert.DoesNotContain(await world.Store.ForPersonAsync("done@example.org", default), c => c.Kind == CertificateKind.Course && c.IsLive);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnInvalidEdit_ChangesNothing(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var (a, b) = (await world.SessionAsync("Week 1", daysAgo: 14), await world.SessionAsync("Week 2", daysAgo: 7));
        await world.AttendAsync(a, true, "", await world.RegisterAsync(a, "pat@example.org"));
        var course = await world.Store.CreateCourseAsync(new CourseDraft("Two Weeks", "Both.", "3", "Stated.", [a, b]), null, default);
        var before = await world.Store.FindCourseAsync(course, default);

        await Assert.ThrowsAsync<Grains.DomainException>(() => world.Store.UpdateCourseAsync(course, new CourseDraft(" ", "", "1.234", "", []), null, default));
        await Assert.ThrowsAsync<Grains.DomainException>(() => world.Store.UpdateCourseAsync(course, new CourseDraft("One", "", "1", "", [a, Guid.NewGuid()]), null, default));
        await Assert.ThrowsAsync<Grains.DomainException>(() => world.Store.UpdateCourseAsync(Guid.NewGuid(), new CourseDraft("One", "", "1", "", [a]), null, default));

        var after = await world.Store.FindCourseAsync(course, default);
        Assert.Equal((before!.Title, before.Description, before.CeHoursCenti, before.Statement, string.Join(",", before.Sessions.Select(s => s.Id))),
            (after!.Title, after.Description, after.CeHoursCenti, after.Statement, string.Join(",", after.Sessions.Select(s => s.Id))));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM certificates WHERE kind = 'course'"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'course.edited'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnEdit_IsAuditedWithWhatChanged_AndSanitizesTheDescription_AndAnUnchangedFormWritesNothing(DatabaseProvider provider)
    {
        var world = await CertificateWorld.CreateAsync(fixture, provider);
        var (a, b) = (await world.SessionAsync("Week 1", daysAgo: 14), await world.SessionAsync("Week 2", daysAgo: 7));
        var course = await world.Store.CreateCourseAsync(new CourseDraft("Two Weeks", "Both.", "3", "Stated.", [a]), null, default);
        var actor = Guid.NewGuid();

        await world.Store.UpdateCourseAsync(course, new CourseDraft("Two Full Weeks", "**Both** <script>alert(1)</script>", "3", "Stated.", [b]), actor, default);
        var unchanged = await world.Store.UpdateCourseAsync(course, new CourseDraft("Two Full Weeks", "**Both** <script>alert(1)</script>", "3", "Stated.", [b]), actor, default);

        Assert.Empty(unchanged);
        await using var connection = await world.Database.OpenAsync(default);
        var audit = Assert.Single(await Dapper.SqlMapper.QueryAsync<(string actor_id, string object_id, string detail)>(connection,
            "SELECT actor_id, object_id, detail FROM audit_log WHERE action = 'course.edited'"));
        Assert.Equal((actor.ToString(), course.ToString()), (audit.actor_id, audit.object_id));
        Assert.Equal("Course Two Full Weeks: title \"Two Weeks\" → \"Two Full Weeks\"; description; required sessions added: Week 2; required sessions removed: Week 1.", audit.detail);
        var edited = (await world.Store.FindCourseAsync(course, default))!;
        Assert.Contains("<strong>Both</strong>", edited.DescriptionHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", edited.DescriptionHtml, StringComparison.Ordinal);
        Assert.Equal([b], edited.Sessions.Select(s => s.Id));
    }
}
