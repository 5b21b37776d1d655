using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Tests.Messaging;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Scheduling;

/// <summary>Real silo worker processes sharing one PostgreSQL database.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class TwoLearnHubProcessTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private Dictionary<string, string> Settings(MailWorld world, string from = "LearnHub <training@learnhub.example>") => new()
    {
        ["LearnHub__Database__Provider"] = "PostgreSql",
        ["LearnHub__Database__ConnectionString"] = world.ConnectionString,
        ["LearnHub__DataDirectory"] = fixture.NewDirectory(),
        ["LearnHub__Mail__Transport"] = "Smtp",
        ["LearnHub__Mail__Smtp__Host"] = "127.0.0.1",
        ["LearnHub__Mail__Smtp__Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LearnHub__Mail__From"] = from,
    };

    [Fact]
    public async Task TwoLearnHubProcesses_Deliver500RemindersExactlyOnceEach()
    {
        await using var world = await MailWorld.CreateAsync(fixture, DatabaseProvider.PostgreSql, _smtp.Port, DateTimeOffset.UtcNow);
        var webinar = await world.WebinarAsync(capacity: 500, starts: DateTimeOffset.UtcNow.AddHours(20));
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => world.Grains.Session(webinar).RegisterAsync(MailWorld.Person($"p{i}@example.org"), false)));
        // The confirmations are not what this test is about: mark them delivered, so only the reminders go out.
        await using (var connection = await world.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE outbox_messages SET status = 'sent'");
        }

        // The 24 h reminder fell due when the session was created 20 hours ahead: both silos find it at start.
        await using var first = LearnHubProcess.Start(Settings(world));
        await using var second = LearnHubProcess.Start(Settings(world));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (_smtp.Received().Count < 500 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        // Any second delivery would arrive after the first; give it a moment to show itself.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var received = _smtp.Received();
        Assert.True(received.Count == 500, $"Received {received.Count}. Silo output:\n{first.Output}\n{second.Output}");
        Assert.Equal(500, received.Select(m => m.RcptTos[0]).Distinct().Count());
        Assert.All(received, m => Assert.Equal("Tomorrow: Simulation Labs", m.Subject));
    }

    [Fact]
    public async Task AnInvalidFromAddress_StopsTheSiloAtStart_NamingTheSetting()
    {
        await using var world = await MailWorld.CreateAsync(fixture, DatabaseProvider.PostgreSql, _smtp.Port, DateTimeOffset.UtcNow);

        await using var silo = LearnHubProcess.Start(Settings(world, from: "not an address"));

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), "The silo kept running with an invalid From address.");
        Assert.Contains("LearnHub:Mail:From ('not an address') is not an email address", silo.Output, StringComparison.Ordinal);
    }
}
