using System.Data.Common;
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
/// Capacity is an invariant under any concurrency. 300 registrations released at once against 50 seats must give
/// exactly 50 confirmed and 250 waitlisted in arrival order. The negative control runs the same storm through a
/// naive check-then-insert written only here, and shows that the same detector catches the oversell it causes.
/// </summary>
[Collection(DatabaseCollection.Name)]
public class CapacityConcurrencyTests(DatabaseFixture fixture)
{
    private const int Capacity = 50;
    private const int Registrants = 300;
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    private async Task<(LearnHubDatabase Database, Guid Session, string ConnectionString)> SessionAsync(DatabaseProvider provider)
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(provider, _clock);
        var catalog = new TestCatalog(database, _clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("storm", "Storm", ""), default);
        var starts = _clock.GetUtcNow().AddDays(3);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Storm", "", starts,
            starts.AddHours(1), "America/New_York", Capacity, []), default);
        return (database, session, connectionString);
    }

    private static Applicant Person(int i) =>
        Applicant.Validate($"Person {i}", $"person{i}@example.org", "Agency", "Caseworker", "America/Chicago", null).Applicant!;

    /// <summary>Releases every registration at the same moment and collects the outcomes; exceptions fail the storm.</summary>
    private static async Task<T[]> StormAsync<T>(Func<int, Task<T>> register, int registrants = Registrants)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, registrants).Select(async i =>
        {
            await start.Task;
            return await register(i);
        }).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    private static async Task<long> ConfirmedRowsAsync(LearnHubDatabase database, Guid session)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM registrations WHERE session_id = @id AND status = 'confirmed'", new { id = session.ToString() });
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ThreeHundredConcurrentRegistrations_FillFiftySeats_AndWaitlistTheRestInArrivalOrder(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var grains = silo.Grains;

        var receipts = await StormAsync(i => grains.Session(session).RegisterAsync(Person(i), false));

        Assert.Equal(Capacity, receipts.Count(r => r.Session.Outcome == SessionAdmissionOutcome.Confirmed));
        Assert.Equal(Registrants - Capacity, receipts.Count(r => r.Session.Outcome == SessionAdmissionOutcome.Waitlisted));
        Assert.Equal(Capacity, await ConfirmedRowsAsync(database, session));

        // Positions handed out are exactly 1…250, each once, and the stored waitlist is in that same order.
        var byPosition = receipts.Where(r => r.Session.Outcome == SessionAdmissionOutcome.Waitlisted)
            .OrderBy(r => r.Session.WaitlistPosition).ToList();
        Assert.Equal(Enumerable.Range(1, Registrants - Capacity), byPosition.Select(r => r.Session.WaitlistPosition!.Value));
        var waitlist = await new RegistrationReader(database).WaitlistAsync(session, default);
        Assert.Equal(byPosition.Select(r => r.Group.Id), await GroupIdsInOrderAsync(database, waitlist, session));
        Assert.Equal(Registrants, (await new RegistrationReader(database).CountByStatusAsync(session, default)).Values.Sum());

        var roster = await new TestCatalog(database, _clock).FindSessionAsync(session, default);
        Assert.Equal((Capacity, Registrants - Capacity), (roster!.ConfirmedCount, roster.WaitlistedCount));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheSamePersonRegisteringManyTimesAtOnce_GetsOneRegistration(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var grains = silo.Grains;

        var receipts = await StormAsync(_ => grains.Session(session).RegisterAsync(Person(7), false));

        Assert.Single(receipts, r => r.Session.Outcome == SessionAdmissionOutcome.Confirmed);
        Assert.Equal(Registrants - 1, receipts.Count(r => r.Session.Outcome == SessionAdmissionOutcome.AlreadyRegistered));
        Assert.Equal(1, (await new RegistrationReader(database).CountByStatusAsync(session, default)).Values.Sum());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TwoProcesses_RegisteringAtOnce_StillFillExactlyTheSeats(DatabaseProvider provider)
    {
        var (database, session, connectionString) = await SessionAsync(provider);
        // Two silos (two single-silo clusters) over two LearnHubDatabase instances: two activations of the session that
        // share nothing but the database, as two processes would.
        using var other = new LearnHubDatabase(provider, connectionString);
        await using var first = await TestSilo.StartAsync(database, _clock);
        await using var second = await TestSilo.StartAsync(other, _clock);
        var nodes = new[] { first.Grains, second.Grains };

        var receipts = await StormAsync(i => nodes[i % 2].Session(session).RegisterAsync(Person(i), false));

        Assert.Equal(Capacity, receipts.Count(r => r.Session.Outcome == SessionAdmissionOutcome.Confirmed));
        Assert.Equal(Capacity, await ConfirmedRowsAsync(database, session));
        Assert.Equal(Enumerable.Range(1, Registrants - Capacity),
            receipts.Where(r => r.Session.Outcome == SessionAdmissionOutcome.Waitlisted).Select(r => r.Session.WaitlistPosition!.Value).Order());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task NegativeControl_ANaiveCheckThenInsert_Oversells_AndTheDetectorSeesIt(DatabaseProvider provider)
    {
        var (database, session, _) = await SessionAsync(provider);

        // Only the racers held in the window matter; each holds a connection while it waits, so no more are started.
        const int racers = Capacity + 10;
        var window = new RaceWindow(racers);
        await StormAsync(i => NaiveRegisterAsync(database, session, i, window), racers);

        Assert.True(await ConfirmedRowsAsync(database, session) > Capacity,
            "The unsafe path did not oversell, so the concurrency test above could not tell safe from unsafe.");
    }

    /// <summary>
    /// Holds the first <c>size</c> checkers between their check and their insert until all of them have checked: the
    /// interleaving a real storm produces by chance, made certain so the control cannot pass by luck on a quiet machine.
    /// A checker that fails before its check (the database refusing a connection, say) still counts, so the others
    /// go on and the failure surfaces as the test's error instead of a storm that waits forever.
    /// </summary>
    private sealed class RaceWindow(int size)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task CheckedAsync() => Arrive();

        public void Failed() => Arrive();

        private Task Arrive()
        {
            if (Interlocked.Increment(ref _arrived) == size)
            {
                _open.SetResult();
            }

            return _open.Task;
        }
    }

    /// <summary>Deliberately wrong: counts seats, then inserts, with no lock or transaction in between.</summary>
    private static async Task<bool> NaiveRegisterAsync(LearnHubDatabase database, Guid session, int i, RaceWindow window)
    {
        DbConnection connection;
        long confirmed;
        try
        {
            connection = await database.OpenAsync(default);
            confirmed = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM registrations WHERE session_id = @id AND status = 'confirmed'", new { id = session.ToString() });
        }
        catch
        {
            window.Failed();
            throw;
        }

        await using var _ = connection;
        await window.CheckedAsync();
        var status = confirmed < Capacity ? "confirmed" : "waitlisted";
        var person = Person(i);
        await connection.ExecuteAsync(
            """
            INSERT INTO registrations (id, session_id, group_id, group_secret, name, email, email_normalized, agency, job_role, time_zone,
                                       accommodations, status, sequence, registered_utc_ms)
            VALUES (@id, @session, @id, 'x', @name, @email, @email, 'Agency', 'Caseworker', 'UTC', '', @status, @sequence, 0)
            """,
            new { id = Guid.NewGuid().ToString(), session = session.ToString(), name = person.Name, email = person.NormalizedEmail, status, sequence = i + 1 });
        return status == "confirmed";
    }

    private static async Task<List<Guid>> GroupIdsInOrderAsync(LearnHubDatabase database, IReadOnlyList<string> emails, Guid session)
    {
        await using var connection = await database.OpenAsync(default);
        var groups = (await connection.QueryAsync<(string email, string group)>(
                "SELECT email_normalized, group_id FROM registrations WHERE session_id = @id AND status = 'waitlisted'", new { id = session.ToString() }))
            .ToDictionary(r => r.email, r => Guid.Parse(r.group));
        return emails.Select(e => groups[e]).ToList();
    }
}
