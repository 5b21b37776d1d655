using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;

namespace LearnHub.Testing;

/// <summary>
/// A real Orleans silo in the test process, hosting LearnHub's grains over one test database with the test's clock:
/// the same <see cref="GrainHosting.AddLearnHubGrains"/> the web process and the worker use, on free loopback ports.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host) => _host = host;

    /// <summary>The silo's services (the grain factory, and whatever <c>services</c> added).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Grain references, as the web pages get them.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts a silo whose grains store their state in <paramref name="database"/>.</summary>
    public static async Task<TestSilo> StartAsync(LearnHubDatabase database, LearnHubClock clock, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(database);
        // The test's own database is migrated and seeded by the test, never with the demo catalog.
        builder.Services.Configure<LearnHubOptions>(o => o.SeedDemoData = false);
        services?.Invoke(builder.Services);
        builder.AddLearnHubGrains();
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>Shorthand for the tests: the grain of one session.</summary>
public static class GrainFactoryTestExtensions
{
    /// <summary>The grain of a national webinar or in-person training with this id.</summary>
    public static ISessionGrain Session(this IGrainFactory grains, Guid sessionId) => grains.GetGrain<ISessionGrain>(sessionId);

    /// <summary>The grain of a learning exchange with this id.</summary>
    public static ILearningExchangeGrain Exchange(this IGrainFactory grains, Guid sessionId) => grains.GetGrain<ILearningExchangeGrain>(sessionId);
}
