using System.Globalization;
using System.Reflection;
using Dapper;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded in this assembly (migrations/&lt;provider&gt;/NNNN_name.sql) that the
/// database has not seen, in order, each in the same transaction as its row in schema_migrations. Several nodes may
/// start at once: PostgreSQL serializes them on an advisory lock, SQLite on its single writer.
/// </summary>
public sealed class Migrator(LearnHubDatabase database, LearnHubClock clock, ILogger<Migrator> logger)
{
    // Any fixed number works; it only has to be the same for every LearnHub process.
    private const long PostgresMigrationLock = 0x4C6561726E487562;

    /// <summary>The scripts for the configured engine, ordered by version.</summary>
    public IReadOnlyList<(int Version, string Name, string Sql)> Scripts()
    {
        var folder = database.Provider == Storage.DatabaseProvider.Sqlite ? "sqlite" : "postgresql";
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith($"migrations/{folder}/", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = Path.GetFileNameWithoutExtension(name);
                var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                return (version, file, Read(assembly, name));
            })
            .OrderBy(script => script.version)
            .ToList();
    }

    /// <summary>Brings the schema up to date; returns how many scripts it applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == Storage.DatabaseProvider.Sqlite)
        {
            // WAL lets readers go on while one writer writes. It is a property of the file, persists, and cannot be
            // switched inside a transaction.
            await using var plain = await database.OpenAsync(cancellationToken);
            await plain.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var connection = scope.Connection;
        if (database.Provider == Storage.DatabaseProvider.PostgreSql)
        {
            await connection.ExecuteAsync(Command("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresMigrationLock }));
        }

        await connection.ExecuteAsync(Command(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_utc_ms BIGINT NOT NULL)"));
        var applied = (await connection.QueryAsync<long>(Command("SELECT version FROM schema_migrations"))).ToHashSet();
        var scripts = Scripts();
        var newest = scripts.Count == 0 ? 0 : scripts[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {applied.Max()}, newer than this build of LearnHub knows ({newest}). Run a newer build.");
        }

        var count = 0;
        foreach (var (version, name, sql) in scripts.Where(s => !applied.Contains(s.Version)))
        {
            await connection.ExecuteAsync(Command(sql));
            await connection.ExecuteAsync(Command(
                "INSERT INTO schema_migrations (version, name, applied_utc_ms) VALUES (@version, @name, @at)",
                new { version, name, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }));
            logger.LogInformation("Applied migration {Version} {Name}", version, name);
            count++;
        }

        await scope.CommitAsync(cancellationToken);
        return count;

        CommandDefinition Command(string sql, object? parameters = null) =>
            new(sql, parameters, scope.Transaction, cancellationToken: cancellationToken);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
