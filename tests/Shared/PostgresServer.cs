using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LearnHub.Testing;

/// <summary>
/// A real PostgreSQL server for a test run. When LEARNHUB_TEST_POSTGRES holds a connection string (the test script
/// starts one cluster for the whole run) that server is used; otherwise this starts a throwaway cluster of its own
/// from the Debian binaries, so `dotnet test` alone also works. Each test gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string? _clusterDirectory;
    private readonly string _adminConnectionString;

    private PostgresServer(string adminConnectionString, string? clusterDirectory)
    {
        _adminConnectionString = adminConnectionString;
        _clusterDirectory = clusterDirectory;
    }

    /// <summary>Uses the run's server, or starts one.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable("LEARNHUB_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgresServer(given, null);
        }

        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not installed ({BinDirectory}/initdb is missing). Run ./test.sh, which installs it, or set LEARNHUB_TEST_POSTGRES.");
        }

        var directory = Path.Combine(Path.GetTempPath(), $"learnhub-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres {directory}");
        }

        var port = FreePort();
        await RunPostgresToolAsync(asRoot, "initdb", $"-D {directory}/data -U postgres --auth-local=trust --auth-host=trust -E UTF8 --no-sync");
        await RunPostgresToolAsync(asRoot, "pg_ctl",
            $"-D {directory}/data -w -l {directory}/log.txt -o \"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start");
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false", directory);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"lh_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        // Idle connections close within seconds: a storm's hundred pooled connections must not sit out Npgsql's default
        // five minutes while other tests of the run, in parallel, need the server's connection slots.
        return new NpgsqlConnectionStringBuilder(_adminConnectionString)
        {
            Database = name, Pooling = true, MaxPoolSize = 100, ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    /// <summary>
    /// A copy of a database (CREATE DATABASE … TEMPLATE), as a backup or a stolen dump would be; returns its connection
    /// string. Nothing may be connected to the original while it is copied.
    /// </summary>
    public async Task<string> CopyDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var original = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var name = $"lh_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {original}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_clusterDirectory is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await RunPostgresToolAsync(Environment.UserName == "root", "pg_ctl", $"-D {_clusterDirectory}/data -m immediate -w stop");
        Directory.Delete(_clusterDirectory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunPostgresToolAsync(bool asRoot, string tool, string arguments) =>
        asRoot
            ? RunAsync("runuser", $"-u postgres -- {BinDirectory}/{tool} {arguments}")
            : RunAsync($"{BinDirectory}/{tool}", arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}
