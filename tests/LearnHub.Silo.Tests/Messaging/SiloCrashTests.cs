using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Xunit.Abstractions;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>A silo process killed while delivering loses nothing: the next one finishes the work.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SiloCrashTests(DatabaseFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 1000;
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task KillingTheSiloMidDelivery_LosesNoMessage_AndOnlyUnrecordedAcceptancesRepeat()
    {
        // 1,000 confirmations queued by registrations, as a storm would leave them.
        await using var world = await MailWorld.CreateAsync(fixture, DatabaseProvider.PostgreSql, _smtp.Port, DateTimeOffset.UtcNow);
        var webinar = await world.WebinarAsync(capacity: Messages);
        await Task.WhenAll(Enumerable.Range(0, Messages).Select(i => world.Grains.Session(webinar).RegisterAsync(MailWorld.Person($"p{i}@example.org"), false)));
        var settings = new Dictionary<string, string>
        {
            ["LearnHub__Database__Provider"] = "PostgreSql",
            ["LearnHub__Database__ConnectionString"] = world.ConnectionString,
            ["LearnHub__DataDirectory"] = fixture.NewDirectory(),
            ["LearnHub__SeedDemoData"] = "false",
            ["LearnHub__Mail__Transport"] = "Smtp",
            ["LearnHub__Mail__Smtp__Host"] = "127.0.0.1",
            ["LearnHub__Mail__Smtp__Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LearnHub__Mail__From"] = "LearnHub <training@learnhub.example>",
            // Short, so the second silo may take over the rows the killed one had claimed without a long wait.
            ["LearnHub__Mail__Lease"] = "00:00:03",
        };

        var first = LearnHubProcess.Start(settings);
        await WaitUntilAsync(() => _smtp.Received().Count >= 150, TimeSpan.FromSeconds(60), () => first.Output);
        await first.KillAsync();
        // Messages whose DATA had reached the server when the process died are still being written by the sink.
        var receivedBeforeKill = await SettledCountAsync();
        var recordedBeforeKill = await CountSentAsync(world);
        await using (var second = LearnHubProcess.Start(settings))
        {
            await WaitUntilAsync(async () => await CountSentAsync(world) == Messages, TimeSpan.FromSeconds(120), () => second.Output);
        }

        var received = (await _smtp.WaitForAsync(Messages)).Select(m => m.RcptTos[0]).ToList();
        var duplicates = received.Count - received.Distinct().Count();
        output.WriteLine($"Killed after {receivedBeforeKill} accepted, {recordedBeforeKill} recorded; duplicates after restart: {duplicates}.");
        Assert.True(receivedBeforeKill < Messages, "The kill came after delivery finished; the test proved nothing.");
        Assert.Equal(Messages, received.Distinct().Count());
        Assert.InRange(duplicates, 0, receivedBeforeKill - recordedBeforeKill);
    }

    private async Task<int> SettledCountAsync()
    {
        var count = _smtp.Received().Count;
        for (var quiet = 0; quiet < 10; quiet++)
        {
            await Task.Delay(50);
            var now = _smtp.Received().Count;
            quiet = now == count ? quiet : 0;
            count = now;
        }

        return count;
    }

    private static async Task<long> CountSentAsync(MailWorld world)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent'");
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> diagnostics) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, diagnostics);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout}. Silo output:\n{diagnostics()}");
            }

            await Task.Delay(20);
        }
    }
}
