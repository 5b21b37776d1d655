using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Mentoring;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Xunit.Abstractions;

namespace LearnHub.Silo.Tests.Mentoring;

/// <summary>Due follow-ups mailed by real silo processes sharing one PostgreSQL database.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class FollowUpSiloProcessTests(DatabaseFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Mentorships = 200;
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    /// <summary>
    /// 200 mentorships assigned 32 days ago (each with its own mentor, in UTC): each one's first follow-up fell due a
    /// day or a few ago, less than the 7 days after which the overdue reminder would replace the due email.
    /// </summary>
    private async Task<(LearnHubDatabase Database, Dictionary<string, string> Settings)> WorldAsync()
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(DatabaseProvider.PostgreSql);
        var assignedAt = new TestClock(DateTimeOffset.UtcNow.AddDays(-32));
        var accounts = new AccountStore(database, assignedAt);
        var store = new MentoringStore(database, assignedAt);
        for (var i = 0; i < Mentorships; i++)
        {
            var mentor = (await accounts.CreateAsync($"mentor{i}@example.org", $"Mentor {i}", null, [Role.Mentor], default)).Account!.Id;
            var mentee = (await accounts.CreateAsync($"mentee{i}@example.org", $"Mentee {i}", null, [Role.Learner], default)).Account!.Id;
            Assert.Empty(await store.SaveProfileAsync(new MentorProfile(mentor, "Agency", "Region", [], [], "UTC", 3, true), default));
            Assert.Equal(AssignOutcome.Assigned, (await store.AssignAsync(mentor, mentee, false, default)).Outcome);
        }

        // The assignment emails are not what these tests are about: mark them delivered, so only follow-up mail goes out.
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE outbox_messages SET status = 'sent'");
        }

        return (database, new Dictionary<string, string>
        {
            ["LearnHub__Database__Provider"] = "PostgreSql",
            ["LearnHub__Database__ConnectionString"] = connectionString,
            ["LearnHub__DataDirectory"] = fixture.NewDirectory(),
            ["LearnHub__SeedDemoData"] = "false",
            ["LearnHub__Mail__Transport"] = "Smtp",
            ["LearnHub__Mail__Smtp__Host"] = "127.0.0.1",
            ["LearnHub__Mail__Smtp__Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LearnHub__Mail__From"] = "LearnHub <training@learnhub.example>",
            ["LearnHub__Mail__Lease"] = "00:00:03",
        });
    }

    private static async Task<long> CountAsync(LearnHubDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task TwoSilos_MailEachDueFollowUpToItsMentor_ExactlyOnce()
    {
        var (database, settings) = await WorldAsync();

        await using var first = LearnHubProcess.Start(settings);
        await using var second = LearnHubProcess.Start(settings);
        await WaitUntilAsync(() => Task.FromResult(_smtp.Received().Count >= Mentorships), TimeSpan.FromSeconds(120), () => first.Output + second.Output);
        // A second delivery would arrive after the first; give it a moment to show itself.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var received = _smtp.Received();
        Assert.Equal(Mentorships, received.Count);
        Assert.Equal(Enumerable.Range(0, Mentorships).Select(i => $"mentor{i}@example.org").Order(), received.Select(m => m.RcptTos[0]).Order());
        Assert.All(received, m => Assert.StartsWith("Follow-up due: Mentee ", m.Subject, StringComparison.Ordinal));
        Assert.Equal(Mentorships, await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'follow-up-due'"));
        // Each first follow-up now owes its overdue reminder, and each mentorship has its second month planned.
        Assert.Equal(Mentorships, await CountAsync(database, "SELECT COUNT(*) FROM follow_ups WHERE number = 1 AND next_alert = 'overdue'"));
        Assert.Equal(Mentorships, await CountAsync(database, "SELECT COUNT(*) FROM follow_ups WHERE number = 2 AND state = 'pending'"));
    }

    [Fact]
    public async Task ASiloKilledMidWork_LosesNoFollowUpEmail_TheNextOneFinishes()
    {
        var (database, settings) = await WorldAsync();

        // The first silo delivers slowly (one message at a time, small batches), so the kill lands mid-work.
        var first = LearnHubProcess.Start(new Dictionary<string, string>(settings) { ["LearnHub__Mail__Parallelism"] = "1", ["LearnHub__Mail__BatchSize"] = "5" });
        await WaitUntilAsync(() => Task.FromResult(_smtp.Received().Count >= 20), TimeSpan.FromSeconds(120), () => first.Output);
        await first.KillAsync();
        var beforeKill = _smtp.Received().Count;
        await using (var second = LearnHubProcess.Start(settings))
        {
            await WaitUntilAsync(async () => await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'follow-up-due' AND status = 'sent'") == Mentorships,
                TimeSpan.FromSeconds(120), () => second.Output);
        }

        var recipients = _smtp.Received().Select(m => m.RcptTos[0]).ToList();
        output.WriteLine($"Killed after {beforeKill} accepted; {recipients.Count} received in all.");
        Assert.True(beforeKill < Mentorships, "The kill came after delivery finished; the test proved nothing.");
        Assert.Equal(Mentorships, recipients.Distinct().Count());
        Assert.Equal(Mentorships, await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'follow-up-due'"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            // The silo's output is read only on failure: reading it is not free while the process still writes.
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout}. Silo output:\n{diagnostics()}");
            }

            await Task.Delay(50);
        }
    }
}
