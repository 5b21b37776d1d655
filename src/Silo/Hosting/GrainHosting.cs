using System.Net;
using System.Net.Sockets;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

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
    /// Hosts an Orleans silo in this process. Grains take their services (the roster store, LearnHub's clock) from the
    /// host's container, so the same registrations serve the web process, the worker and the tests.
    /// </summary>
    /// <remarks>
    /// On PostgreSQL every web and worker process joins one cluster through Orleans' ADO.NET clustering (the membership
    /// table is migration 0007), so a session has one activation cluster-wide. Grain state stays in the database under
    /// row locks either way: even while membership changes (a silo dies, two briefly both host a session), or between
    /// processes configured as separate clusters, capacity cannot be oversold.
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

            // A grain idle this long is deactivated; its state is in the database, so nothing is lost.
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(15));
        });
        return builder;
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
