using LearnHub.Grains;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Hosting;

/// <summary>What a host (the web process or the worker) adds to run LearnHub's backend.</summary>
public static class LearnHubSiloHosting
{
    /// <summary>Options, database, grain store and the stores that read and write state.</summary>
    public static IHostApplicationBuilder AddLearnHubStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<LearnHubOptions>()
            .Bind(builder.Configuration.GetSection(LearnHubOptions.Section))
            .Validate(
                o => o.Database.Provider != DatabaseProvider.PostgreSql || !string.IsNullOrWhiteSpace(o.Database.ConnectionString),
                "LearnHub:Database:ConnectionString is required when LearnHub:Database:Provider is PostgreSql. Set it in appsettings.json or as the environment variable LearnHub__Database__ConnectionString.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory),
                "LearnHub:DataDirectory must not be empty. Set it in appsettings.json or as LearnHub__DataDirectory (default ./data).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LearnHubOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectoryFullPath);
            var connectionString = options.Database.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.Database.ConnectionString)
                ? LearnHubDatabase.DefaultSqliteConnectionString(options.DataDirectoryFullPath)
                : options.Database.ConnectionString!;
            return new LearnHubDatabase(options.Database.Provider, connectionString);
        });
        services.AddSingleton<Migrator>();
        services.AddSingleton<IRosterStore, SqlRosterStore>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddSingleton<CatalogStore>();
        services.AddSingleton<RegistrationReader>();
        services.AddSingleton<DemoSeeder>();
        return builder;
    }

    /// <summary>The silo's start-up work: migrate the schema, then seed the demo catalog where configured.</summary>
    public static IHostApplicationBuilder AddLearnHubSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<SiloStartup>();
        return builder;
    }

    private sealed class SiloStartup(Migrator migrator, DemoSeeder seeder, IOptions<LearnHubOptions> options, ILogger<SiloStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var applied = await migrator.MigrateAsync(cancellationToken);
            logger.LogInformation("Database ready ({Provider}); {Applied} migration(s) applied", options.Value.Database.Provider, applied);
            var seed = options.Value.SeedDemoData ?? options.Value.Database.Provider == DatabaseProvider.Sqlite;
            if (seed)
            {
                await seeder.SeedIfEmptyAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
