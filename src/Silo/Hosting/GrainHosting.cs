using System.Net;
using System.Net.Sockets;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Media;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Learners;
using LearnHub.Silo.Media;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace LearnHub.Silo.Hosting;

/// <summary>How the silos of LearnHub's processes find each other.</summary>
public enum GrainClustering
{
    /// <summary>Each process is a cluster of one on loopback (the embedded default, where one process runs).</summary>
    Localhost,

    /// <summary>Every process that shares the PostgreSQL database joins one cluster through Orleans' ADO.NET clustering.</summary>
    Database,
}

/// <summary>LearnHub:Orleans, the settings of the Orleans silo every LearnHub process hosts.</summary>
public sealed class GrainHostOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:Orleans";

    /// <summary>
    /// Localhost or Database; by default Database on PostgreSQL and Localhost on SQLite. LearnHub:Orleans:Clustering.
    /// </summary>
    public GrainClustering? Clustering { get; set; }

    /// <summary>The cluster's name; processes with the same name on one database form one cluster. LearnHub:Orleans:ClusterId.</summary>
    public string ClusterId { get; set; } = "learnhub";

    /// <summary>The address other silos reach this one on (default 127.0.0.1: every process on one machine). LearnHub:Orleans:AdvertisedAddress.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port; 0 (the default) takes a free port. LearnHub:Orleans:SiloPort.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 (the default) takes a free port. LearnHub:Orleans:GatewayPort.</summary>
    public int GatewayPort { get; set; }
}

/// <summary>Adds the Orleans silo that activates LearnHub's grains.</summary>
public static class GrainHosting
{
    /// <summary>
    /// Hosts an Orleans silo in this process, with the grains' stores and their grain storage. Grains take their services
    /// (the stores, LearnHub's clock) from the host's container, so the same registrations serve the web process, the
    /// worker and the tests (which may register a store of their own first).
    /// </summary>
    /// <remarks>
    /// On PostgreSQL every web and worker process joins one cluster through Orleans' ADO.NET clustering (the membership
    /// table is migration 0007), so a session has one activation cluster-wide. Relational state stays in the database
    /// under row locks either way: even while membership changes (a silo dies, two briefly both host a session), or
    /// between processes configured as separate clusters, capacity cannot be oversold. Grain state that nothing queries
    /// in SQL is kept by Orleans' ADO.NET persistence ("learnhub" storage) in the same database (migration 0016).
    /// </remarks>
    public static IHostApplicationBuilder AddLearnHubGrains(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(GrainHostOptions.Section).Get<GrainHostOptions>() ?? new GrainHostOptions();
        var storage = builder.Configuration.GetSection(LearnHubOptions.Section).Get<LearnHubOptions>() ?? new LearnHubOptions();
        var onPostgres = storage.Database.Provider == DatabaseProvider.PostgreSql && !string.IsNullOrWhiteSpace(storage.Database.ConnectionString);
        var clustering = options.Clustering ?? (onPostgres ? GrainClustering.Database : GrainClustering.Localhost);
        if (clustering == GrainClustering.Database && !onPostgres)
        {
            throw new InvalidOperationException(
                "LearnHub:Orleans:Clustering is Database, which needs LearnHub:Database:Provider PostgreSql with a connection string.");
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out var advertised))
        {
            throw new InvalidOperationException($"LearnHub:Orleans:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address.");
        }

        var services = builder.Services;
        services.AddLearnHubGrainServices();

        builder.UseOrleans(silo =>
        {
            var siloPort = options.SiloPort == 0 ? FreePort(advertised) : options.SiloPort;
            var gatewayPort = options.GatewayPort == 0 ? FreePort(advertised) : options.GatewayPort;
            if (clustering == GrainClustering.Database)
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, "learnhub"));
                silo.ConfigureEndpoints(advertised, siloPort, gatewayPort);
                silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", storage.Database.ConnectionString));
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "learnhub", clusterId: options.ClusterId);
            }

            silo.AddLearnHubGrainStorage();
        });

        // After the silo, whose grains create it: the demo catalog, on the first start of the embedded default.
        services.TryAddSingleton<DemoSeeder>();
        services.AddHostedService<DemoCatalogStartup>();
        return builder;
    }

    /// <summary>
    /// The services LearnHub's grains take from the container (their stores, the rich-text policy) and the grain clients
    /// pages and commands use. Separate from <see cref="AddLearnHubGrains"/> so a test cluster of several silos can
    /// register the same ones.
    /// </summary>
    public static IServiceCollection AddLearnHubGrainServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new RichTextPolicy());
        services.TryAddSingleton<ISessionStore, SqlSessionStore>();
        services.TryAddSingleton<CatalogStore>();
        services.TryAddSingleton<ICatalogStore>(sp => sp.GetRequiredService<CatalogStore>());
        services.TryAddSingleton<ISeriesStore, SqlSeriesStore>();
        services.TryAddSingleton<SqlLearnerStore>();
        services.TryAddSingleton<ILearnerStore>(sp => sp.GetRequiredService<SqlLearnerStore>());
        services.TryAddSingleton<MediaFiles>();
        services.TryAddSingleton<MediaRemoval>();
        services.TryAddSingleton<SqlMediaStore>();
        services.TryAddSingleton<IMediaStore>(sp => sp.GetRequiredService<SqlMediaStore>());
        services.TryAddSingleton<IRecordingViewStore, SqlRecordingViewStore>();
        services.TryAddSingleton<Grains.Certificates.IKnowledgeCheckStore, Certificates.SqlKnowledgeCheckStore>();
        services.TryAddSingleton<Grains.Sessions.IExchangePreparationStore, Sessions.SqlExchangePreparationStore>();
        // Watch progress is written at most once a minute per viewer (a crash loses at most that minute), unless
        // LearnHub:Media:ProgressWriteInterval says otherwise (registered with the options, before this).
        services.TryAddSingleton(WriteBehindPolicy.Default);
        // Clients of the grains, for pages, the API and the operator commands.
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<MediaDirectory>();
        services.TryAddSingleton<Registrations.RegistrationGroups>();
        return services;
    }

    /// <summary>
    /// What every silo of LearnHub's adds to Orleans: grain state in LearnHub's database (Orleans' ADO.NET persistence,
    /// "learnhub" storage, migration 0016), idle collection, and the dashboard's data.
    /// </summary>
    public static ISiloBuilder AddLearnHubGrainStorage(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        // A grain idle this long is deactivated; its state is in the database, so nothing is lost.
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(15));
        // Where grains live is cached for at most 100,000 grains rather than Orleans' default of 1,000,000: the cache
        // preallocates a dictionary of its full size (9 MB of every process's memory), and the cache-size gauge walks
        // every bucket of it each time metrics are read, which the dashboard does every second (a quarter of an idle
        // process's CPU). The largest working set here, the benchmarks' two storms, is about 26,000 learners; a miss
        // costs one directory lookup, never a wrong answer.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 100_000);
        // Asked before Orleans' own providers, it remembers their answer for each grain interface (see the class).
        silo.Services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, RememberedGrainInterfaceTypes>());
        silo.AddAdoNetGrainStorage(GrainStorage.Name, options => options.Configure<LearnHubDatabase>((o, database) =>
        {
            // "System.Data.SQLite" is the provider's name for SQLite; since Orleans 10.1 it loads Microsoft.Data.Sqlite.
            o.Invariant = database.Provider == DatabaseProvider.PostgreSql ? "Npgsql" : "System.Data.SQLite";
            o.ConnectionString = database.GrainStorageConnectionString;
            // Clearing a state deletes its row: an erased learner leaves nothing behind.
            o.DeleteStateOnClear = true;
        }));
        // The dashboard (mapped at /admin/orleans for admins only) shows grain state, which holds staff data. Live log
        // streaming is off: logs can carry personal data too. Its figures are refreshed every 10 s rather than every
        // second: the silo's runtime statistics (a management-grain call) on a timer, and, while someone has the
        // dashboard open, the per-type grain statistics, which count every activation (a recording's 2,000 viewers are
        // 2,000). Its OpenTelemetry reader of Orleans' own meters stays at one second: the package fixes it.
        silo.AddDashboard(o =>
        {
            o.HideTrace = true;
            o.CounterUpdateIntervalMs = 10_000;
        });
        return silo;
    }

    private sealed class DemoCatalogStartup(DemoSeeder seeder, LearnHubDatabase database, Microsoft.Extensions.Options.IOptions<LearnHubOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.SeedDemoData ?? database.Provider == DatabaseProvider.Sqlite)
            {
                await seeder.SeedIfEmptyAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
