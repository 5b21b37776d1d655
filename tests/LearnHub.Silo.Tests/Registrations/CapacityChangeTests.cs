using LearnHub.Grains.Sessions;
using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Registrations;

/// <summary>
/// Seats change through the session grain: a raise promotes the waitlist in arrival order (with the promotion mail), a
/// cut below the confirmed count is refused, and a raise racing a storm of registrations never oversells.
/// </summary>
[Collection(DatabaseCollection.Name)]
public class CapacityChangeTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    private async Task<(LearnHubDatabase Database, Guid Session, string ConnectionString)> SessionAsync(DatabaseProvider provider, int capacity)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new TestCatalog(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Seats", ""), default);
        var starts = _clock.GetUtcNow().AddDays(3);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Seats", "", starts,
            starts.AddHours(1), "America/New_York", capacity, []), default);
        return (database, session, connectionString);
    }

    private static Applicant Person(int i) =>
        Applicant.Validate($"Person {i}", $"person{i}@example.org", "Agency", "Caseworker", "America/Chicago", null).Applicant!;

    private static async Task<(long Capacity, long Confirmed, long Waitlisted, long ConfirmedRows, long WaitlistedRows)> StateAsync(LearnHubDatabase database, Guid session)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.QuerySingleAsync<(long, long, long, long, long)>(
            """
            SELECT capacity, confirmed_count, waitlisted_count,
                   (SELECT COUNT(*) FROM registrations WHERE session_id = @id AND status = 'confirmed'),
                   (SELECT COUNT(*) FROM registrations WHERE session_id = @id AND status = 'waitlisted')
            FROM sessions WHERE id = @id
            """, new { id = session.ToString() });
    }

    private static async Task<IReadOnlyList<(string Recipient, string Purpose)>> OutboxAsync(LearnHubDatabase database, Guid session)
    {
        await using var connection = await database.OpenAsync(default);
        return (await connection.QueryAsync<(string, string)>(
            "SELECT recipient, purpose FROM outbox_messages WHERE session_id = @id ORDER BY recipient", new { id = session.ToString() })).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RaisingCapacity_PromotesTheEarliestWaiting_AndQueuesTheirPromotionMail(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider, capacity: 2);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var grain = silo.Grains.Session(session);
        for (var i = 0; i < 6; i++)
        {
            await grain.RegisterAsync(Person(i), false);
        }

        var result = await grain.ChangeCapacityAsync(4);

        Assert.Equal((CapacityChangeResultOutcome.Changed, 4, 4), (result.Outcome, result.Capacity, result.ConfirmedCount));
        Assert.Equal((4L, 4L, 2L, 4L, 2L), await StateAsync(database, session));
        var waitlist = await new RegistrationReader(database).WaitlistAsync(session, default);
        Assert.Equal(["person4@example.org", "person5@example.org"], waitlist);
        var promotedMail = (await OutboxAsync(database, session)).Where(m => m.Purpose == "promoted").Select(m => m.Recipient);
        Assert.Equal(["person2@example.org", "person3@example.org"], promotedMail);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task LoweringCapacityBelowTheConfirmed_IsRefused_AndChangesNothing(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider, capacity: 3);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var grain = silo.Grains.Session(session);
        for (var i = 0; i < 4; i++)
        {
            await grain.RegisterAsync(Person(i), false);
        }

        var before = await OutboxAsync(database, session);
        var result = await grain.ChangeCapacityAsync(2);

        Assert.Equal((CapacityChangeResultOutcome.BelowConfirmed, 3, 3), (result.Outcome, result.Capacity, result.ConfirmedCount));
        Assert.Equal((3L, 3L, 1L, 3L, 1L), await StateAsync(database, session));
        Assert.Equal(before, await OutboxAsync(database, session));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task LoweringCapacityToTheConfirmed_WaitlistsTheNextRegistrant(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider, capacity: 10);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var grain = silo.Grains.Session(session);
        await grain.RegisterAsync(Person(0), false);

        var result = await grain.ChangeCapacityAsync(1);
        var next = await grain.RegisterAsync(Person(1), false);

        Assert.Equal(CapacityChangeResultOutcome.Changed, result.Outcome);
        Assert.Equal(SessionAdmissionOutcome.Waitlisted, next.Session.Outcome);
        Assert.Equal((1L, 1L, 1L, 1L, 1L), await StateAsync(database, session));
    }

    /// <summary>
    /// Raises and a cut race 200 registrations from two silos (two activations sharing only the database). Whatever the
    /// interleaving, the confirmed rows equal the stored count, never exceed the final capacity, and the waitlist holds
    /// the rest; every promotion came from the waitlist in order (nobody who arrived later holds a seat while an earlier
    /// arrival still waits).
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CapacityRaisesRacingRegistrations_NeverOversell_AndKeepArrivalOrder(DatabaseProvider provider)
    {
        const int registrants = 200;
        var (database, session, connectionString) = await SessionAsync(provider, capacity: 20);
        using var other = new LearnHubDatabase(provider, connectionString);
        await using var first = await TestSilo.StartAsync(database, _clock);
        await using var second = await TestSilo.StartAsync(other, _clock);
        var nodes = new[] { first.Grains, second.Grains };

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registrations = Enumerable.Range(0, registrants).Select(async i =>
        {
            await start.Task;
            return await nodes[i % 2].Session(session).RegisterAsync(Person(i), false);
        }).ToArray();
        var raises = new[] { 40, 60, 80 }.Select(async (capacity, i) =>
        {
            await start.Task;
            return await nodes[i % 2].Session(session).ChangeCapacityAsync(capacity);
        }).ToArray();
        start.SetResult();
        await Task.WhenAll(registrations);
        var results = await Task.WhenAll(raises);

        Assert.All(results, r => Assert.NotEqual(CapacityChangeResultOutcome.SessionNotFound, r.Outcome));
        var (capacity, confirmed, waitlisted, confirmedRows, waitlistedRows) = await StateAsync(database, session);
        Assert.Equal(confirmed, confirmedRows);
        Assert.Equal(waitlisted, waitlistedRows);
        Assert.True(confirmed <= capacity, $"{confirmed} confirmed for {capacity} seats");
        Assert.Equal(registrants, confirmed + waitlisted);
        // The raises all ran, so the last one to run set the final capacity; there were enough registrants to fill it.
        Assert.Equal(capacity, confirmed);
        Assert.True(await SeatsFollowArrivalOrderAsync(database, session), "a later arrival holds a seat while an earlier one waits");
    }

    /// <summary>
    /// Negative control: a capacity raise written straight to the table (as an edit form without the grain would) gives
    /// the new seat to the next newcomer while earlier arrivals keep waiting, and the order check above catches it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task NegativeControl_ARaiseThatSkipsTheGrain_JumpsTheWaitlist_AndTheCheckSeesIt(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider, capacity: 2);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var grain = silo.Grains.Session(session);
        for (var i = 0; i < 4; i++)
        {
            await grain.RegisterAsync(Person(i), false);
        }

        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE sessions SET capacity = 3, version = version + 1 WHERE id = @id", new { id = session.ToString() });
        }

        var newcomer = await grain.RegisterAsync(Person(9), false);

        Assert.Equal(SessionAdmissionOutcome.Confirmed, newcomer.Session.Outcome);
        Assert.False(await SeatsFollowArrivalOrderAsync(database, session));
    }

    private static async Task<bool> SeatsFollowArrivalOrderAsync(LearnHubDatabase database, Guid session)
    {
        await using var connection = await database.OpenAsync(default);
        var lastConfirmed = await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(sequence) FROM registrations WHERE session_id = @id AND status = 'confirmed'", new { id = session.ToString() });
        var firstWaiting = await connection.ExecuteScalarAsync<long?>(
            "SELECT MIN(sequence) FROM registrations WHERE session_id = @id AND status = 'waitlisted'", new { id = session.ToString() });
        return lastConfirmed is null || firstWaiting is null || lastConfirmed < firstWaiting;
    }
}
