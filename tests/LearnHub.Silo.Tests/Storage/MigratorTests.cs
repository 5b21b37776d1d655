using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LearnHub.Silo.Tests.Storage;

[Collection(DatabaseCollection.Name)]
public class MigratorTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Migrate_AppliesEveryScriptOnce_AndIsANoOpTheSecondTime(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider);
        var migrator = new Migrator(database, new TestClock(), NullLogger<Migrator>.Instance);

        var again = await migrator.MigrateAsync(default);

        Assert.Equal(0, again);
        await using var connection = await database.OpenAsync(default);
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(migrator.Scripts().Select(s => (long)s.Version), versions);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Migrate_RunConcurrentlyFromSeveralNodes_AppliesEachScriptExactlyOnce(DatabaseProvider provider)
    {
        string connectionString;
        if (provider == DatabaseProvider.Sqlite)
        {
            connectionString = LearnHubDatabase.DefaultSqliteConnectionString(fixture.NewDirectory());
        }
        else
        {
            connectionString = await fixture.Postgres.CreateDatabaseAsync();
        }

        // Separate LearnHubDatabase instances stand for separate processes: no in-process gate is shared.
        var nodes = Enumerable.Range(0, 4).Select(_ => new LearnHubDatabase(provider, connectionString)).ToList();
        var applied = await Task.WhenAll(nodes.Select(n => new Migrator(n, new TestClock(), NullLogger<Migrator>.Instance).MigrateAsync(default)));

        Assert.Equal(new Migrator(nodes[0], new TestClock(), NullLogger<Migrator>.Instance).Scripts().Count, applied.Sum());
        nodes.ForEach(n => n.Dispose());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Migrate_RefusesADatabaseNewerThanThisBuild(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider);
        await using (var connection = await database.OpenAsync(default))
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_utc_ms) VALUES (9999, 'future', 0)");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new Migrator(database, new TestClock(), NullLogger<Migrator>.Instance).MigrateAsync(default));

        Assert.Contains("schema version 9999", error.Message, StringComparison.Ordinal);
    }
}
