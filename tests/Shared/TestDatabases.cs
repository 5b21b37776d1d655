using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LearnHub.Testing;

/// <summary>The engines every storage behaviour is specified against.</summary>
public static class Engines
{
    /// <summary>For [Theory] [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))].</summary>
    public static TheoryData<DatabaseProvider> Both => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };
}

/// <summary>
/// One PostgreSQL server per test assembly (xunit assembly fixture through a collection), and a fresh, migrated
/// database per test on either engine, so no test sees another's rows.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private readonly List<string> _directories = [];

    /// <summary>The PostgreSQL server.</summary>
    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("The fixture has not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync();

    /// <summary>A new, empty, migrated database on the engine, with its connection string.</summary>
    public async Task<(LearnHubDatabase Database, string ConnectionString)> NewDatabaseAsync(DatabaseProvider provider, LearnHubClock? clock = null)
    {
        string connectionString;
        if (provider == DatabaseProvider.Sqlite)
        {
            var directory = NewDirectory();
            connectionString = LearnHubDatabase.DefaultSqliteConnectionString(directory);
        }
        else
        {
            connectionString = await Postgres.CreateDatabaseAsync();
        }

        var database = new LearnHubDatabase(provider, connectionString);
        await new Migrator(database, clock ?? new TestClock(), NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        return (database, connectionString);
    }

    /// <summary>A new empty directory, removed when the fixture ends.</summary>
    public string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"learnhub-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        _directories.Add(directory);
        return directory;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finished test's pool; the OS temp cleaner takes it.
            }
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>The collection that shares one <see cref="DatabaseFixture"/> across an assembly's storage tests.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<DatabaseFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "databases";
}
