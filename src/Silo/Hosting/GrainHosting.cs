using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace LearnHub.Silo.Hosting;

/// <summary>LearnHub:Orleans, the settings of the Orleans silo every LearnHub process hosts.</summary>
public sealed class GrainHostOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:Orleans";

    /// <summary>The cluster's name. LearnHub:Orleans:ClusterId.</summary>
    public string ClusterId { get; set; } = "learnhub";

    /// <summary>Silo-to-silo port; 0 (the default) takes a free loopback port. LearnHub:Orleans:SiloPort.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 (the default) takes a free loopback port. LearnHub:Orleans:GatewayPort.</summary>
    public int GatewayPort { get; set; }
}

/// <summary>Adds the Orleans silo that activates LearnHub's grains.</summary>
public static class GrainHosting
{
    /// <summary>
    /// Hosts an Orleans silo in this process. Grains take their services (the roster store, the clock) from the host's
    /// container, so the same registrations serve the web process, the worker and the tests.
    /// </summary>
    /// <remarks>
    /// Each process is its own single-silo cluster on loopback: no home-made membership. Grain state is in the shared
    /// database under row locks, so two processes that each activate the same session still cannot oversell it.
    /// </remarks>
    public static IHostApplicationBuilder AddLearnHubGrains(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(GrainHostOptions.Section).Get<GrainHostOptions>() ?? new GrainHostOptions();
        builder.UseOrleans(silo =>
        {
            var siloPort = options.SiloPort == 0 ? FreeLoopbackPort() : options.SiloPort;
            var gatewayPort = options.GatewayPort == 0 ? FreeLoopbackPort() : options.GatewayPort;
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "learnhub", clusterId: options.ClusterId);

            // A grain idle this long is deactivated; its state is in the database, so nothing is lost.
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(15));
        });
        return builder;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
