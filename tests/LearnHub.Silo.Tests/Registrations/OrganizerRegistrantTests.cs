using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Registrations;

/// <summary>
/// An organizer's changes to registrants go through the session grains, on both engines: capacity and the waitlist's
/// order hold after each addition, cancellation, move and promotion (an override adds the seat it uses); each change is
/// audited by name and its mail queued in the same transaction; a refused move changes nothing anywhere.
/// </summary>
[Collection(DatabaseCollection.Name)]
public class OrganizerRegistrantTests(DatabaseFixture fixture)
{
    private static readonly OrganizerActor Organizer = new(Guid.NewGuid(), "olga.organizer@example.org", "203.0.113.9");
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, TestSilo Silo, Guid Series, Guid Source, Guid Target) : IAsyncDisposable
    {
        public IRosterGrain Grain(Guid session) => Silo.Grains.Session(session);

        public ValueTask DisposeAsync() => Silo.DisposeAsync();
    }

    private async Task<World> WorldAsync(DatabaseProvider provider, int sourceSeats, int targetSeats)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new TestCatalog(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Seats", ""), default);
        var starts = _clock.GetUtcNow().AddDays(3);
        var source = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.InPersonTraining, "Madison day", "", starts,
            starts.AddHours(6), "America/Chicago", sourceSeats, [], "Learning Center", "Madison, WI"), default);
        var target = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.InPersonTraining, "Milwaukee day", "", starts.AddDays(7),
            starts.AddDays(7).AddHours(6), "America/Chicago", targetSeats, [], "Library", "Milwaukee, WI"), default);
        return new World(database, await TestSilo.StartAsync(database, _clock), series, source, target);
    }

    private static Applicant Person(string name) =>
        Applicant.Validate(name, $"{name.Replace(' ', '.').ToLowerInvariant()}@example.org", "County DCF", "Caseworker", "America/Chicago", null).Applicant!;

    private static async Task<Guid> RegisterAsync(World world, Guid session, string name) =>
        (await world.Grain(session).RegisterAsync(Person(name), false)).Session.RegistrationId!.Value;

    // Stored counts beside the rows they count, and the waitlist in order: what every test checks after every change.
    private static async Task<(long Capacity, long Confirmed, long Waitlisted, long ConfirmedRows, long WaitlistedRows, string Waitlist)> StateAsync(World world, Guid session)
    {
        await using var connection = await world.Database.OpenAsync(default);
        var counts = await connection.QuerySingleAsync<(long, long, long, long, long)>(
            """
            SELECT capacity, confirmed_count, waitlisted_count,
                   (SELECT COUNT(*) FROM registrations WHERE session_id = @id AND status = 'confirmed'),
                   (SELECT COUNT(*) FROM registrations WHERE session_id = @id AND status = 'waitlisted')
            FROM sessions WHERE id = @id
            """, new { id = session.ToString() });
        var waitlist = string.Join(", ", await new RegistrationReader(world.Database).WaitlistAsync(session, default));
        return (counts.Item1, counts.Item2, counts.Item3, counts.Item4, counts.Item5, waitlist);
    }

    private static async Task<IReadOnlyList<(string Recipient, string Purpose)>> MailAsync(World world)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await connection.QueryAsync<(string, string)>("SELECT recipient, purpose FROM outbox_messages ORDER BY created_utc_ms, recipient, purpose")).ToList();
    }

    private static async Task<IReadOnlyList<(string Action, string ObjectId, string Title, string Detail, string Actor)>> AuditAsync(World world)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await connection.QueryAsync<(string, string, string, string, string)>(
            "SELECT action, object_id, object_title, detail, actor_email FROM audit_log WHERE object_type = 'registration' ORDER BY id")).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AddByOrganizer_SeatsThenWaitlists_PastAClosedRegistration_WithTheConfirmationAndAnAuditEntry(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 1, targetSeats: 1);
        await world.Grain(world.Source).CloseRegistrationAsync();

        var first = await world.Grain(world.Source).AddByOrganizerAsync(Person("Ana Ruiz"), Organizer);
        var second = await world.Grain(world.Source).AddByOrganizerAsync(Person("Bo Li"), Organizer);
        var again = await world.Grain(world.Source).AddByOrganizerAsync(Person("Bo Li"), Organizer);

        Assert.Equal([SessionAdmissionOutcome.Confirmed, SessionAdmissionOutcome.Waitlisted, SessionAdmissionOutcome.AlreadyRegistered],
            [first.Outcome, second.Outcome, again.Outcome]);
        Assert.Equal((1L, 1L, 1L, 1L, 1L, "bo.li@example.org"), await StateAsync(world, world.Source));
        Assert.Equal([("ana.ruiz@example.org", "registration-confirmed"), ("bo.li@example.org", "waitlisted")], await MailAsync(world));
        var audit = await AuditAsync(world);
        Assert.Equal(["Ana Ruiz · Madison day", "Bo Li · Madison day"], audit.Select(a => a.Title).Order());
        Assert.All(audit, a => Assert.Equal(("registration.added-by-organizer", "olga.organizer@example.org"), (a.Action, a.Actor)));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CancelByOrganizer_GivesTheSeatToTheFirstWaiting_AndTellsTheRegistrantItWasTheOrganizer(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 1, targetSeats: 1);
        var ana = await RegisterAsync(world, world.Source, "Ana Ruiz");
        var bo = await RegisterAsync(world, world.Source, "Bo Li");
        await RegisterAsync(world, world.Source, "Cy Moe");

        var result = await world.Grain(world.Source).CancelByOrganizerAsync(ana, Organizer);

        Assert.Equal(new CancelResult(CancelOutcome.Cancelled, bo), result);
        Assert.Equal((1L, 1L, 1L, 1L, 1L, "cy.moe@example.org"), await StateAsync(world, world.Source));
        var mail = await MailAsync(world);
        Assert.Contains(("ana.ruiz@example.org", "cancelled-by-organizer"), mail);
        Assert.Contains(("bo.li@example.org", "promoted"), mail);
        Assert.DoesNotContain(mail, m => m.Purpose == "registration-cancelled");
        var entry = Assert.Single(await AuditAsync(world));
        Assert.Equal(("registration.cancelled-by-organizer", ana.ToString(), "Ana Ruiz · Madison day"), (entry.Action, entry.ObjectId, entry.Title));
        Assert.Contains("Bo Li", entry.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Move_SeatsTheRegistrantInTheOtherSession_PromotesTheSourceWaitlist_AndSendsOneMail(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 1, targetSeats: 2);
        var ana = await RegisterAsync(world, world.Source, "Ana Ruiz");
        await RegisterAsync(world, world.Source, "Bo Li");
        await RegisterAsync(world, world.Target, "Di Fox");
        var mailBefore = await MailAsync(world);

        var result = await world.Grain(world.Source).MoveAsync(ana, new MoveTarget(world.Target, SessionKind.InPersonTraining), Organizer);

        Assert.Equal(MoveOutcome.Seated, result.Outcome);
        Assert.Equal((1L, 1L, 0L, 1L, 0L, ""), await StateAsync(world, world.Source));
        Assert.Equal((2L, 2L, 0L, 2L, 0L, ""), await StateAsync(world, world.Target));
        Assert.Equal(RegistrationStatus.Cancelled, await world.Grain(world.Source).StatusOfAsync(ana));
        Assert.Equal(RegistrationStatus.Confirmed, await world.Grain(world.Target).StatusOfAsync(result.NewRegistrationId!.Value));
        var mail = (await MailAsync(world)).Except(mailBefore).ToList();
        Assert.Equal([("ana.ruiz@example.org", "registration-moved"), ("bo.li@example.org", "promoted")], mail.Order());
        // The manage link the registrant has opens the new registration too: it joined their group.
        var group = await new RegistrationReader(world.Database).ForEmailAsync("ana.ruiz@example.org", default);
        Assert.Single(group.Select(r => r.GroupId).Distinct());
        Assert.Equal(["registration.moved-in", "registration.moved-out"], (await AuditAsync(world)).Select(a => a.Action).Order());
        Assert.Contains(await AuditAsync(world), a => a.Title == "Ana Ruiz · Milwaukee day");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Move_IntoAFullSession_JoinsTheEndOfItsWaitlist(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 2, targetSeats: 1);
        var ana = await RegisterAsync(world, world.Source, "Ana Ruiz");
        await RegisterAsync(world, world.Target, "Di Fox");
        await RegisterAsync(world, world.Target, "Ed Poe");

        var result = await world.Grain(world.Source).MoveAsync(ana, new MoveTarget(world.Target, SessionKind.InPersonTraining), Organizer);

        Assert.Equal((MoveOutcome.Waitlisted, 2), (result.Outcome, result.WaitlistPosition));
        Assert.Equal((2L, 0L, 0L, 0L, 0L, ""), await StateAsync(world, world.Source));
        Assert.Equal((1L, 1L, 2L, 1L, 2L, "ed.poe@example.org, ana.ruiz@example.org"), await StateAsync(world, world.Target));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Move_RefusedByTheTarget_OrToAnotherSeries_ChangesNothingAnywhere(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 1, targetSeats: 1);
        var ana = await RegisterAsync(world, world.Source, "Ana Ruiz");
        await RegisterAsync(world, world.Source, "Bo Li");
        await RegisterAsync(world, world.Target, "Ana Ruiz");
        var catalog = new TestCatalog(world.Database, _clock);
        var otherSeries = await catalog.CreateSeriesAsync(new SeriesDraft($"o-{Guid.NewGuid():N}", "Other", ""), default);
        var starts = _clock.GetUtcNow().AddDays(5);
        var elsewhere = await catalog.CreateSessionAsync(new SessionDraft(otherSeries, SessionKind.NationalWebinar, "Elsewhere", "", starts, starts.AddHours(1),
            "America/Chicago", 10, []), default);
        var before = (await StateAsync(world, world.Source), await StateAsync(world, world.Target));
        var mailBefore = await MailAsync(world);

        var already = await world.Grain(world.Source).MoveAsync(ana, new MoveTarget(world.Target, SessionKind.InPersonTraining), Organizer);
        var otherSeriesMove = await world.Grain(world.Source).MoveAsync(ana, new MoveTarget(elsewhere, SessionKind.NationalWebinar), Organizer);
        var toItself = await world.Grain(world.Source).MoveAsync(ana, new MoveTarget(world.Source, SessionKind.InPersonTraining), Organizer);

        Assert.Equal([MoveOutcome.AlreadyThere, MoveOutcome.NotInSeries, MoveOutcome.NotInSeries], [already.Outcome, otherSeriesMove.Outcome, toItself.Outcome]);
        Assert.Equal(before, (await StateAsync(world, world.Source), await StateAsync(world, world.Target)));
        Assert.Equal(mailBefore, await MailAsync(world));
        Assert.Empty(await AuditAsync(world));
        Assert.Equal(RegistrationStatus.Confirmed, await world.Grain(world.Source).StatusOfAsync(ana));
        Assert.Equal(0, (await world.Grain(elsewhere).GetViewAsync())!.ConfirmedCount);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Promote_IntoAFullSession_IsRefusedWithoutOverride_AndWithItAddsTheSeat_KeepingTheRestInOrder(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 1, targetSeats: 1);
        await RegisterAsync(world, world.Source, "Ana Ruiz");
        await RegisterAsync(world, world.Source, "Bo Li");
        var cy = await RegisterAsync(world, world.Source, "Cy Moe");
        await RegisterAsync(world, world.Source, "Di Fox");

        var refused = await world.Grain(world.Source).PromoteAsync(cy, overCapacity: false, Organizer);
        var afterRefusal = await StateAsync(world, world.Source);
        var overridden = await world.Grain(world.Source).PromoteAsync(cy, overCapacity: true, Organizer);

        Assert.Equal(ManualPromotionOutcome.Full, refused);
        Assert.Equal((1L, 1L, 3L, 1L, 3L, "bo.li@example.org, cy.moe@example.org, di.fox@example.org"), afterRefusal);
        Assert.Equal(ManualPromotionOutcome.PromotedOverCapacity, overridden);
        Assert.Equal((2L, 2L, 2L, 2L, 2L, "bo.li@example.org, di.fox@example.org"), await StateAsync(world, world.Source));
        Assert.Contains(("cy.moe@example.org", "promoted"), await MailAsync(world));
        var entry = Assert.Single(await AuditAsync(world));
        Assert.Equal(("registration.promoted-over-capacity", "Cy Moe · Madison day"), (entry.Action, entry.Title));
        Assert.Contains("override", entry.Detail, StringComparison.Ordinal);
        // The grain's view follows: the next registrant waits, since the added seat is taken.
        Assert.Equal(SessionAdmissionOutcome.Waitlisted, (await world.Grain(world.Source).RegisterAsync(Person("Ed Poe"), false)).Session.Outcome);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ResendConfirmation_QueuesOneMailPerWindow_AndRefusesACancelledRegistration(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider, sourceSeats: 1, targetSeats: 1);
        var ana = await RegisterAsync(world, world.Source, "Ana Ruiz");
        var bo = await RegisterAsync(world, world.Source, "Bo Li");
        await world.Grain(world.Source).CancelAsync(bo);

        var first = await world.Grain(world.Source).ResendConfirmationAsync(ana, Organizer);
        var second = await world.Grain(world.Source).ResendConfirmationAsync(ana, Organizer);
        _clock.Advance(TimeSpan.FromMinutes(11));
        var later = await world.Grain(world.Source).ResendConfirmationAsync(ana, Organizer);
        var cancelled = await world.Grain(world.Source).ResendConfirmationAsync(bo, Organizer);

        Assert.Equal([ResendOutcome.Queued, ResendOutcome.AlreadySentRecently, ResendOutcome.Queued, ResendOutcome.Cancelled], [first, second, later, cancelled]);
        Assert.Equal(2, (await MailAsync(world)).Count(m => m.Purpose == "confirmation-resent"));
        Assert.Equal(2, (await AuditAsync(world)).Count(a => a.Action == "registration.confirmation-resent"));
    }
}
