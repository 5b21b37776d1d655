using LearnHub.Silo.Catalog;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.OutputCaching;

namespace LearnHub.Web.Catalog;

/// <summary>
/// The catalog page is what a national webinar's announcement sends tens of thousands of staff to at once, so each web
/// node serves it from its output cache: one copy per viewer time zone, for anonymous visitors only (a signed-in page
/// carries the person's own navigation). A copy lives at most a minute, and is dropped within about a second of any
/// change to series or sessions on any node (<see cref="CatalogCacheInvalidator"/>).
/// </summary>
public static class CatalogCache
{
    /// <summary>The output-cache policy of the catalog pages.</summary>
    public const string Policy = "catalog";

    /// <summary>The tag every cached catalog page carries, evicted on change.</summary>
    public const string Tag = "catalog";

    /// <summary>Registers the policy and the invalidator.</summary>
    public static IServiceCollection AddCatalogCache(this IServiceCollection services)
    {
        services.AddOutputCache(cache => cache.AddPolicy(Policy, policy => policy
            .Expire(TimeSpan.FromMinutes(1))
            .Tag(Tag)
            .VaryByValue(context => new KeyValuePair<string, string>("zone", ViewerTimeZone.Chosen(context.Request) ?? ""))));
        services.AddHostedService<CatalogCacheInvalidator>();
        return services;
    }
}

/// <summary>
/// Polls the database's catalog version once a second and evicts this node's cached catalog pages when it moved, so a
/// change made through any node (or the operator command line) shows everywhere within about a second. One indexed
/// single-row read per node and second is the whole cost.
/// </summary>
public sealed partial class CatalogCacheInvalidator(CatalogStore catalog, IOutputCacheStore cache, ILogger<CatalogCacheInvalidator> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? seen = null;
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var version = await catalog.CatalogVersionAsync(stoppingToken);
                if (version != seen)
                {
                    // Also on the first read: whatever was cached before this node could compare is dropped.
                    await cache.EvictByTagAsync(CatalogCache.Tag, stoppingToken);
                    seen = version;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database being briefly away must not stop invalidation for good; the copies still expire.
                LogPollFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the catalog version; cached catalog pages expire on their own meanwhile")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
