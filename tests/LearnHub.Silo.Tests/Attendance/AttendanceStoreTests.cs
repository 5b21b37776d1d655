using System.Text;
using Dapper;
using LearnHub.Grains.Attendance;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Attendance;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Media;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using LearnHub.Testing;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Attendance;

/// <summary>
/// Importing participant reports and checking people in, on both engines. The session runs 9:00–10:30 in New York
/// on 29 November 2026 (90 minutes; the series' default threshold of 75% makes 68 minutes attended).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AttendanceStoreTests(DatabaseFixture fixture)
{
    private const string Zone = "America/New_York";
    private static readonly DateTimeOffset Starts = new(2026, 11, 29, 14, 0, 0, TimeSpan.Zero);
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 29, 18, 0, 0, TimeSpan.Zero));

    private const string ZoomReport =
        "\uFEFFName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n"
        + "\"Lee, Pat\",pat@example.org,11/29/2026 08:55:00 AM,11/29/2026 09:40:00 AM,45,No\r\n"
        + "\"Lee, Pat\",PAT@example.org,11/29/2026 09:38:00 AM,11/29/2026 10:35:00 AM,57,No\r\n"
        + "Sam Roe,sam@example.org,11/29/2026 09:00:00 AM,11/29/2026 09:30:00 AM,30,No\r\n"
        + "Sam Roe,sam@example.org,11/29/2026 09:00:00 AM,11/29/2026 09:30:00 AM,30,No\r\n"
        + "Sam Roe,sam@example.org,11/29/2026 09:45:00 AM,11/29/2026 10:00:30 AM,16,No\r\n"
        + "Stranger,who@example.org,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,Yes\r\n"
        + "Call-in user 3,,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,Yes\r\n"
        + "Wen Li,wen@example.org,11/29/2026 09:00:00 AM,11/29/2026 10:30:00 AM,90,No\r\n";

    private sealed record World(LearnHubDatabase Database, AttendanceStore Store, Guid Session, Guid Pat, Guid Sam, Guid Kim, Guid Wen, Guid Organizer)
    {
        public AttendanceActor Actor => new(Organizer, "organizer@example.org", "127.0.0.1");

        public async Task<long> CountAsync(string table)
        {
            await using var connection = await Database.OpenAsync(default);
            return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        }

        public async Task<Dictionary<Guid, (long Minutes, long Attended, string Source)>> RowsAsync()
        {
            await using var connection = await Database.OpenAsync(default);
            return (await connection.QueryAsync<(string registration_id, long minutes, long attended, string source)>(
                "SELECT registration_id, minutes, attended, source FROM attendance")).ToDictionary(r => Guid.Parse(r.registration_id), r => (r.minutes, r.attended, r.source));
        }
    }

    private async Task<World> WorldAsync(DatabaseProvider provider, params ITrainingRecordObserver[] observers)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new TestCatalog(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Series", ""), default);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Case Work Basics", "", Starts, Starts.AddMinutes(90),
            Zone, 10, [], Published: true), default);
        var organizer = Guid.NewGuid();
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("INSERT INTO users (id, email, email_normalized, display_name, created_utc_ms) VALUES (@id, 'organizer@example.org', 'organizer@example.org', 'Olga Organizer', 0)",
                new { id = organizer.ToString() });
        }

        return new World(database, new AttendanceStore(database, _clock, observers), session,
            await RegisterAsync(database, session, "Pat Lee", "pat@example.org", "confirmed", 1),
            await RegisterAsync(database, session, "Sam Roe", "sam@example.org", "confirmed", 2),
            await RegisterAsync(database, session, "Kim Park", "kim@example.org", "confirmed", 3),
            await RegisterAsync(database, session, "Wen Li", "wen@example.org", "waitlisted", 4),
            organizer);
    }

    private static async Task<Guid> RegisterAsync(LearnHubDatabase database, Guid session, string name, string email, string status, int sequence)
    {
        var id = Guid.NewGuid();
        await using var connection = await database.OpenAsync(default);
        await connection.ExecuteAsync(
            """
            INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone, accommodations,
                                       status, sequence, registered_utc_ms)
            VALUES (@id, @session, @id, 'secret', @name, @email, @email, 'County DCF', 'Caseworker', 'UTC', '', @status, @sequence, 0)
            """,
            new { id = id.ToString(), session = session.ToString(), name, email, status, sequence });
        return id;
    }

    private static AttendanceUpload Upload(string csv, string name = "participants.csv") => new(name, Encoding.UTF8.GetBytes(csv), Zone);

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Importing_WritesMinutesTheirChangesTheImportAndTheAuditEntry_Together(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);

        var result = await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);

        Assert.True(result!.Imported);
        Assert.Equal(2, result.Changed);
        Assert.Equal(new Dictionary<Guid, (long, long, string)> { [world.Pat] = (90, 1, "import"), [world.Sam] = (45, 0, "import") }, await world.RowsAsync());
        Assert.Equal(("who@example.org", "Call-in user 3", "wen@example.org"),
            (Assert.Single(result.Report!.Unmatched).Email, Assert.Single(result.Report.Ambiguous).Name, Assert.Single(result.Report.Waitlisted).Email));
        Assert.Equal(2, await world.CountAsync("attendance_changes WHERE old_minutes IS NULL AND changed_by IS NOT NULL"));
        Assert.Equal(1, await world.CountAsync("audit_log WHERE action = 'attendance.imported'"));

        var stored = await world.Store.LatestImportAsync(world.Session, default);
        Assert.Equal(("participants.csv", 8, 2), (stored!.FileName, stored.Report.RowsRead, stored.Report.People.Count));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ZoomReport))), stored.Sha256);
        Assert.Equal("who@example.org", Assert.Single(stored.Report.Unmatched).Email);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACorrectedReimport_ReplacesThePeopleItContains_AndRecordsOnlyWhatChanged(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);
        const string Correction = "Name,Email,Join Time,Leave Time\nSam Roe,sam@example.org,9:00 AM,10:30 AM\n";

        var corrected = await world.Store.ImportAsync(world.Session, Upload(Correction, "sam.csv"), world.Actor, default);
        var again = await world.Store.ImportAsync(world.Session, Upload(Correction, "sam.csv"), world.Actor, default);

        Assert.Equal((1, false), (corrected!.Changed, corrected.SameFileImportedBefore));
        Assert.Equal((0, true), (again!.Changed, again.SameFileImportedBefore));
        Assert.Equal(new Dictionary<Guid, (long, long, string)> { [world.Pat] = (90, 1, "import"), [world.Sam] = (90, 1, "import") }, await world.RowsAsync());
        var samChanges = await world.Store.ChangesAsync(world.Sam, default);
        Assert.Equal([(null, null, 45, false), (45, false, 90, true)], samChanges.Select(c => (c.OldMinutes, c.OldAttended, c.NewMinutes, c.NewAttended)));
        Assert.Equal(3, await world.CountAsync("attendance_imports"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnImport_KeepsAttendanceRecordedByHand_AndListsItBesideTheReportsMinutes(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        // Sam joined by phone for the whole session; the platform saw only his 45 minutes on the computer.
        await world.Store.CheckInAsync(world.Session, world.Sam, present: true, "Joined by phone", world.Actor, default);

        var result = await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);

        Assert.Equal(1, result!.Changed);
        Assert.Equal(new Dictionary<Guid, (long, long, string)> { [world.Pat] = (90, 1, "import"), [world.Sam] = (90, 1, "check-in") }, await world.RowsAsync());
        Assert.Single(await world.Store.ChangesAsync(world.Sam, default));
        var kept = new KeptByHand(world.Sam, "Sam Roe", "sam@example.org", 90, true, "Joined by phone", 45, false);
        Assert.Equal(kept, Assert.Single(result.Report!.KeptByHand));
        Assert.Equal(kept, Assert.Single((await world.Store.LatestImportAsync(world.Session, default))!.Report.KeptByHand));
        Assert.Contains(world.Sam, result.Report.People.Select(p => p.RegistrationId)); // still what the report says of him
        Assert.Equal(1, await world.CountAsync("audit_log WHERE action = 'attendance.imported' AND detail LIKE '%1 changed, 1 kept (recorded by hand)%'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AMalformedReport_IsRefusedWithLineNumbers_AndChangesNothing(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);
        var tables = new[] { "attendance", "attendance_changes", "attendance_imports", "audit_log", "outbox_messages" };
        var before = await Task.WhenAll(tables.Select(world.CountAsync));
        var rowsBefore = await world.RowsAsync();

        var badTime = await world.Store.ImportAsync(world.Session,
            Upload("Name,Email,Join Time,Leave Time\nSam Roe,sam@example.org,9:00 AM,10:30 AM\nPat Lee,pat@example.org,9:00 AM,whenever\n"), world.Actor, default);
        var unterminated = await world.Store.ImportAsync(world.Session,
            Upload("Name,Email,Join Time,Leave Time\nSam Roe,sam@example.org,9:00 AM,10:30 AM\n\"Pat Lee,pat@example.org,9:00 AM,10:30 AM\n"), world.Actor, default);
        var binary = await world.Store.ImportAsync(world.Session, new AttendanceUpload("x.csv", [0x50, 0x4B, 0x03, 0x04, 0xFF, 0xFE, 0x00, 0xC3], Zone), world.Actor, default);
        var noEmail = await world.Store.ImportAsync(world.Session, Upload("Name,Join Time,Leave Time\nSam Roe,9:00 AM,10:30 AM\n"), world.Actor, default);

        Assert.Equal([3, 3, 1, 1], new[] { badTime, unterminated, binary, noEmail }.Select(r => Assert.Single(r!.Problems).Line));
        Assert.All(new[] { badTime, unterminated, binary, noEmail }, r => Assert.False(r!.Imported));
        Assert.Equal(before, await Task.WhenAll(tables.Select(world.CountAsync)));
        Assert.Equal(rowsBefore, await world.RowsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CheckingIn_RecordsWhoAndWhy_AndChangingExistingAttendanceNeedsAReason(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);

        Assert.Equal(CheckInOutcome.Recorded, await world.Store.CheckInAsync(world.Session, world.Kim, present: true, null, world.Actor, default));
        Assert.Equal(CheckInOutcome.Unchanged, await world.Store.CheckInAsync(world.Session, world.Kim, present: true, null, world.Actor, default));
        Assert.Equal(CheckInOutcome.ReasonRequired, await world.Store.CheckInAsync(world.Session, world.Kim, present: false, "  ", world.Actor, default));
        Assert.Equal((90, 1, "check-in"), (await world.RowsAsync())[world.Kim]);
        Assert.Equal(CheckInOutcome.Recorded, await world.Store.CheckInAsync(world.Session, world.Kim, present: false, "Signed in for a colleague; left at 9:10", world.Actor, default));
        Assert.Equal(CheckInOutcome.NotARegistrant, await world.Store.CheckInAsync(world.Session, world.Wen, present: true, null, world.Actor, default));
        Assert.Equal(CheckInOutcome.NotARegistrant, await world.Store.CheckInAsync(world.Session, Guid.NewGuid(), present: true, null, world.Actor, default));

        Assert.Equal((0, 0, "check-in"), (await world.RowsAsync())[world.Kim]);
        var kim = (await world.Store.ListAsync(world.Session, default)).Single(e => e.RegistrationId == world.Kim);
        Assert.Equal(("Olga Organizer", "Signed in for a colleague; left at 9:10", 90, true), (kim.LastChange!.ByName, kim.LastChange.Reason, kim.LastChange.OldMinutes, kim.LastChange.OldAttended));
        Assert.Equal(2, (await world.Store.ChangesAsync(world.Kim, default)).Count);
        Assert.Equal(2, await world.CountAsync("audit_log WHERE action IN ('attendance.checked-in', 'attendance.unchecked')"));
        Assert.DoesNotContain(await world.Store.ListAsync(world.Session, default), e => e.RegistrationId == world.Wen);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACancelledSession_RefusesImportAndCheckIn_WithAClearMessage_AndChangesNothing(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await world.Store.CheckInAsync(world.Session, world.Kim, present: true, null, world.Actor, default);
        await using (var connection = await world.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE sessions SET status = 'cancelled' WHERE id = @id", new { id = world.Session.ToString() });
        }

        var tables = new[] { "attendance", "attendance_changes", "attendance_imports", "audit_log", "outbox_messages" };
        var before = await Task.WhenAll(tables.Select(world.CountAsync));
        var rowsBefore = await world.RowsAsync();

        var import = await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);
        var checkIn = await world.Store.CheckInAsync(world.Session, world.Pat, present: true, null, world.Actor, default);
        var uncheck = await world.Store.CheckInAsync(world.Session, world.Kim, present: false, "Was not there after all", world.Actor, default);

        Assert.False(import!.Imported);
        Assert.Equal("“Case Work Basics” was cancelled, so it has no attendance to import; nothing changed.", import.Refusal);
        Assert.Equal((CheckInOutcome.SessionCancelled, CheckInOutcome.SessionCancelled), (checkIn, uncheck));
        Assert.Equal(before, await Task.WhenAll(tables.Select(world.CountAsync)));
        Assert.Equal(rowsBefore, await world.RowsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASessionThatHasNotStarted_RefusesImportAndCheckIn_WithAClearMessage_AndChangesNothing(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        // The same session moved to start a minute from now (the clock is pinned at 18:00 UTC).
        await MoveAsync(world, _clock.GetUtcNow().AddMinutes(1));
        var tables = new[] { "attendance", "attendance_changes", "attendance_imports", "audit_log", "outbox_messages" };
        var before = await Task.WhenAll(tables.Select(world.CountAsync));

        var import = await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);
        var checkIn = await world.Store.CheckInAsync(world.Session, world.Pat, present: true, null, world.Actor, default);

        Assert.False(import!.Imported);
        Assert.Equal("“Case Work Basics” has not started yet: attendance can be recorded from its start, Nov 29, 2026, 1:01 PM (America/New_York, UTC−05:00). Nothing changed.",
            import.Refusal);
        Assert.Equal(CheckInOutcome.NotStarted, checkIn);
        Assert.Equal(before, await Task.WhenAll(tables.Select(world.CountAsync)));
        Assert.Empty(await world.RowsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PublishingARecording_BeforeTheSessionEnds_QueuesTheMailForTheEnd(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var ends = _clock.GetUtcNow().AddHours(2);
        await MoveAsync(world, ends.AddMinutes(-90));
        var media = MediaStore(world.Database);
        var recording = Guid.NewGuid();
        await media.AddAsync(recording, new Grains.Media.MediaDraft(world.Session, Grains.Media.MediaKind.Recording, "Recording", Grains.Media.MediaVisibility.Registrants,
            ExternalUrl: "https://video.example.org/r"), default);

        Assert.Equal(3, await media.PublishRecordingAsync(world.Session, recording, default));

        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal([ends.ToUnixTimeMilliseconds()],
            (await connection.QueryAsync<long>("SELECT next_attempt_utc_ms FROM outbox_messages WHERE purpose LIKE 'recording-%'")).Distinct());
    }

    private static async Task MoveAsync(World world, DateTimeOffset starts)
    {
        await using var connection = await world.Database.OpenAsync(default);
        await connection.ExecuteAsync("UPDATE sessions SET starts_utc_ms = @starts, ends_utc_ms = @ends WHERE id = @id",
            new { id = world.Session.ToString(), starts = starts.ToUnixTimeMilliseconds(), ends = starts.AddMinutes(90).ToUnixTimeMilliseconds() });
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Observers_AreToldInsideTheTransaction_AndOneThatFailsRollsTheImportBack(DatabaseProvider provider)
    {
        var watching = new WatchingObserver();
        var world = await WorldAsync(provider, watching);

        await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);

        var change = Assert.Single(watching.Changes);
        Assert.Equal(world.Session, change.SessionId);
        Assert.Equal(new[] { world.Pat, world.Sam }.Order(), change.RegistrationIds.Order());
        Assert.Equal(world.Organizer, change.ActorId);
        Assert.Equal(2, watching.RowsSeenInsideTheTransaction); // the rows the import just wrote, not yet committed

        var failing = await WorldAsync(provider, new ThrowingObserver());
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Store.ImportAsync(failing.Session, Upload(ZoomReport), failing.Actor, default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Store.CheckInAsync(failing.Session, failing.Kim, true, null, failing.Actor, default));
        foreach (var table in new[] { "attendance", "attendance_changes", "attendance_imports", "audit_log" })
        {
            Assert.Equal(0, await failing.CountAsync(table));
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PublishingARecording_AfterAttendance_TellsAttendeesItIsReady_AndTheOthersTheyMissedIt(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var media = MediaStore(world.Database);
        // Pat attended (90 minutes); Sam came for 45 (below 68); Kim holds a seat but has no attendance row; Wen waited.
        await world.Store.ImportAsync(world.Session, Upload(ZoomReport), world.Actor, default);
        var recording = Guid.NewGuid();
        await media.AddAsync(recording, new Grains.Media.MediaDraft(world.Session, Grains.Media.MediaKind.Recording, "Recording", Grains.Media.MediaVisibility.Registrants,
            ExternalUrl: "https://video.example.org/r"), default);

        Assert.Equal(3, await media.PublishRecordingAsync(world.Session, recording, default));

        await using var connection = await world.Database.OpenAsync(default);
        var mail = (await connection.QueryAsync<(string recipient, string purpose)>("SELECT recipient, purpose FROM outbox_messages WHERE purpose LIKE 'recording-%' ORDER BY recipient")).ToList();
        Assert.Equal([("kim@example.org", "recording-missed"), ("pat@example.org", "recording-ready"), ("sam@example.org", "recording-missed")], mail);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PublishingARecording_WithoutAttendance_TellsEveryoneWithASeatItIsReady(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var media = MediaStore(world.Database);
        var recording = Guid.NewGuid();
        await media.AddAsync(recording, new Grains.Media.MediaDraft(world.Session, Grains.Media.MediaKind.Recording, "Recording", Grains.Media.MediaVisibility.Registrants,
            ExternalUrl: "https://video.example.org/r"), default);

        await media.PublishRecordingAsync(world.Session, recording, default);

        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal(["recording-ready", "recording-ready", "recording-ready"],
            await connection.QueryAsync<string>("SELECT purpose FROM outbox_messages WHERE purpose LIKE 'recording-%'"));
    }

    // The media grain's store, which decides the ready / missed split in the publishing transaction.
    private SqlMediaStore MediaStore(LearnHubDatabase database)
    {
        var files = new MediaFiles(Options.Create(new LearnHubOptions { DataDirectory = fixture.NewDirectory() }));
        return new SqlMediaStore(database, _clock, Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example.org" }), files, new MediaRemoval(database, files));
    }

    private sealed class WatchingObserver : ITrainingRecordObserver
    {
        public List<TrainingRecordChange> Changes { get; } = [];

        public long RowsSeenInsideTheTransaction { get; private set; }

        public async Task TrainingRecordChangedAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken)
        {
            Changes.Add(change);
            RowsSeenInsideTheTransaction = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM attendance WHERE session_id = @id", new { id = change.SessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        }
    }

    private sealed class ThrowingObserver : ITrainingRecordObserver
    {
        public Task TrainingRecordChangedAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The certificate could not be issued.");
    }
}
