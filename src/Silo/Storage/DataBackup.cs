using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using LearnHub.Grains.Time;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LearnHub.Silo.Storage;

/// <summary>What a backup archive holds, as its manifest.json says: every other entry with its size and SHA-256.</summary>
public sealed record BackupManifest(string Format, int FormatVersion, DatabaseProvider Provider, DateTimeOffset CreatedUtc, IReadOnlyList<BackupEntry> Entries);

/// <summary>One file in a backup archive.</summary>
public sealed record BackupEntry(string Name, long Bytes, string Sha256);

/// <summary>A backup that cannot be restored as it stands (truncated, altered, of another engine); nothing was written.</summary>
public sealed class BackupInvalidException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Backs up and restores a LearnHub data set: the database and the media files, in one zip archive. The archive holds
/// <c>manifest.json</c> (format, engine, time, and each entry's size and SHA-256), <c>database/learnhub.db</c> (SQLite,
/// taken with SQLite's online backup while LearnHub runs) or <c>database/learnhub.pgdump</c> (PostgreSQL, pg_dump's
/// custom format), and <c>media/…</c> (the content-addressed files). The data-protection key is not in it: a stolen
/// backup must open no manage link (see Security in the README); keep the key apart, as the README says.
/// A restore reads and checks the whole archive before it writes anything, and refuses a target that holds data unless
/// told to replace it.
/// </summary>
public sealed class DataBackup(LearnHubDatabase database, IOptions<LearnHubOptions> options, LearnHubClock clock)
{
    /// <summary>The manifest's format name.</summary>
    public const string FormatName = "learnhub-backup";

    private const string ManifestName = "manifest.json";
    private const string SqliteEntry = "database/learnhub.db";
    private const string PostgresEntry = "database/learnhub.pgdump";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private string MediaRoot => Path.Combine(options.Value.DataDirectoryFullPath, "media");

    /// <summary>Writes a backup to <paramref name="file"/> (through a temporary file, so a failed backup leaves no half archive); returns its manifest.</summary>
    public async Task<BackupManifest> BackupAsync(string file, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(file);
        var work = Path.Combine(Path.GetTempPath(), $"learnhub-backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var dump = Path.Combine(work, "database");
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                await using var source = (SqliteConnection)await database.OpenAsync(cancellationToken);
                await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dump, Pooling = false }.ToString());
                await copy.OpenAsync(cancellationToken);
                source.BackupDatabase(copy);
            }
            else
            {
                await RunPostgresToolAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", dump], cancellationToken);
            }

            var files = new List<(string Name, string Path)> { (database.Provider == DatabaseProvider.Sqlite ? SqliteEntry : PostgresEntry, dump) };
            if (Directory.Exists(MediaRoot))
            {
                files.AddRange(Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories)
                    .Select(path => (Name: "media/" + Path.GetRelativePath(MediaRoot, path).Replace(Path.DirectorySeparatorChar, '/'), Path: path))
                    // Uploads still streaming in are not media yet.
                    .Where(f => !f.Name.StartsWith("media/incoming/", StringComparison.Ordinal))
                    .OrderBy(f => f.Name, StringComparer.Ordinal));
            }

            var partial = target + ".partial";
            var entries = new List<BackupEntry>();
            var manifest = new BackupManifest(FormatName, 1, database.Provider, clock.GetUtcNow(), entries);
            await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var (name, path) in files)
                {
                    await using var input = File.OpenRead(path);
                    await using var output = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                    var (bytes, sha256) = await CopyHashedAsync(input, output, cancellationToken);
                    entries.Add(new BackupEntry(name, bytes, sha256));
                }

                await using var manifestStream = zip.CreateEntry(ManifestName).Open();
                await JsonSerializer.SerializeAsync(manifestStream, manifest, Json, cancellationToken);
            }

            File.Move(partial, target, overwrite: true);
            return manifest;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Restores a backup into the configured database and data directory. The archive is checked entirely first
    /// (readable, manifest, each entry's size and hash, the engine); a database or media directory that holds anything is
    /// refused unless <paramref name="replace"/>. Throws <see cref="BackupInvalidException"/> or
    /// <see cref="InvalidOperationException"/> with a sentence for the operator, having written nothing.
    /// </summary>
    public async Task<BackupManifest> RestoreAsync(string file, bool replace, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            throw new BackupInvalidException($"There is no backup at {source}.");
        }

        var manifest = await VerifyAsync(source, cancellationToken);
        if (!replace && await TargetHoldsDataAsync(cancellationToken))
        {
            throw new InvalidOperationException(
                "The target is not empty (its database has tables or its media directory has files). Restore into an empty database and data directory, or pass --replace to overwrite them.");
        }

        var work = Path.Combine(Path.GetTempPath(), $"learnhub-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            using var zip = ZipFile.OpenRead(source);
            var dump = Path.Combine(work, "database");
            var databaseEntry = manifest.Entries.Single(e => e.Name.StartsWith("database/", StringComparison.Ordinal)).Name;
            zip.GetEntry(databaseEntry)!.ExtractToFile(dump);
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                RestoreSqlite(dump);
            }
            else
            {
                await RestorePostgresAsync(dump, replace, cancellationToken);
            }

            if (replace && Directory.Exists(MediaRoot))
            {
                Directory.Delete(MediaRoot, recursive: true);
            }

            foreach (var entry in manifest.Entries.Where(e => e.Name.StartsWith("media/", StringComparison.Ordinal)))
            {
                var path = Path.GetFullPath(Path.Combine(options.Value.DataDirectoryFullPath, entry.Name));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                zip.GetEntry(entry.Name)!.ExtractToFile(path, overwrite: true);
            }

            return manifest;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Reads the whole archive and checks it against its manifest; returns the manifest or throws <see cref="BackupInvalidException"/>.</summary>
    public async Task<BackupManifest> VerifyAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            using var zip = ZipFile.OpenRead(file);
            if (zip.GetEntry(ManifestName) is not { } manifestEntry)
            {
                throw new BackupInvalidException($"{file} is not a LearnHub backup: it has no {ManifestName}.");
            }

            BackupManifest? manifest;
            await using (var manifestStream = manifestEntry.Open())
            {
                manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(manifestStream, Json, cancellationToken);
            }

            if (manifest is not { Format: FormatName, FormatVersion: 1 })
            {
                throw new BackupInvalidException($"{file} is not a LearnHub backup of a format this build knows ({FormatName}, version 1).");
            }

            if (manifest.Provider != database.Provider)
            {
                throw new BackupInvalidException($"{file} is a backup of a {manifest.Provider} database; LearnHub:Database:Provider here is {database.Provider}.");
            }

            if (manifest.Entries.Count(e => e.Name.StartsWith("database/", StringComparison.Ordinal)) != 1)
            {
                throw new BackupInvalidException($"{file} does not hold exactly one database.");
            }

            foreach (var entry in manifest.Entries)
            {
                // A name that climbs out of the data directory is refused before anything could be written there.
                var path = Path.GetFullPath(Path.Combine(options.Value.DataDirectoryFullPath, entry.Name));
                if (entry.Name.Contains("..", StringComparison.Ordinal) || !path.StartsWith(options.Value.DataDirectoryFullPath, StringComparison.Ordinal))
                {
                    throw new BackupInvalidException($"{file} names a file outside the data directory ({entry.Name}).");
                }

                if (zip.GetEntry(entry.Name) is not { } zipped)
                {
                    throw new BackupInvalidException($"{file} is incomplete: {entry.Name} is missing.");
                }

                await using var content = zipped.Open();
                var (bytes, sha256) = await CopyHashedAsync(content, null, cancellationToken);
                if (bytes != entry.Bytes || sha256 != entry.Sha256)
                {
                    throw new BackupInvalidException($"{file} is damaged: {entry.Name} does not match its size and SHA-256 in the manifest.");
                }
            }

            return manifest;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or (IOException and not FileNotFoundException))
        {
            throw new BackupInvalidException($"{file} cannot be read as a LearnHub backup (truncated or damaged?): {e.Message}", e);
        }
    }

    // Reads a stream through (copying it when there is an output), counting and hashing what passes.
    private static async Task<(long Bytes, string Sha256)> CopyHashedAsync(Stream input, Stream? output, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long bytes = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            if (output is not null)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            bytes += read;
        }

        return (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private async Task<bool> TargetHoldsDataAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(MediaRoot) && Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories).Any())
        {
            return true;
        }

        if (database.Provider == DatabaseProvider.Sqlite && !File.Exists(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource))
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var tables = await connection.ExecuteScalarAsync<long>(new CommandDefinition(database.Provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            cancellationToken: cancellationToken));
        return tables > 0;
    }

    private void RestoreSqlite(string dump)
    {
        // The copy must be a sound database before it takes the place of the target.
        using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dump, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            check.Open();
            using var command = check.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            if (command.ExecuteScalar() as string != "ok")
            {
                throw new BackupInvalidException("The backup's SQLite database fails SQLite's integrity check; nothing was restored.");
            }
        }

        SqliteConnection.ClearAllPools();
        var target = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        foreach (var leftover in new[] { target + "-wal", target + "-shm" })
        {
            File.Delete(leftover);
        }

        File.Copy(dump, target + ".restoring", overwrite: true);
        File.Move(target + ".restoring", target, overwrite: true);
    }

    private async Task RestorePostgresAsync(string dump, bool replace, CancellationToken cancellationToken)
    {
        // Listing the archive's table of contents reads it through, so a damaged dump fails here, before the target is touched.
        await RunPostgresToolAsync("pg_restore", ["--list", dump], cancellationToken, withConnection: false);
        if (replace)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var schemas = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')", cancellationToken: cancellationToken));
            foreach (var schema in schemas.Append("public"))
            {
                await connection.ExecuteAsync(new CommandDefinition($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", cancellationToken: cancellationToken));
            }

            await connection.ExecuteAsync(new CommandDefinition("CREATE SCHEMA public", cancellationToken: cancellationToken));
        }

        await RunPostgresToolAsync("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", dump], cancellationToken);
        NpgsqlConnection.ClearAllPools();
    }

    private async Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool withConnection = true)
    {
        var start = new ProcessStartInfo(PostgresTool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (withConnection)
        {
            // The password goes through the environment, never the command line (which other users of the machine can read).
            var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            start.ArgumentList.Add("--dbname");
            start.ArgumentList.Add(connection.Database ?? "postgres");
            start.ArgumentList.Add("--host");
            start.ArgumentList.Add(connection.Host ?? "localhost");
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(connection.Username))
            {
                start.ArgumentList.Add("--username");
                start.ArgumentList.Add(connection.Username);
            }

            if (!string.IsNullOrEmpty(connection.Password))
            {
                start.Environment["PGPASSWORD"] = connection.Password;
            }

            start.ArgumentList.Add("--no-password");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await output;
        if (process.ExitCode != 0)
        {
            var message = $"{tool} failed (exit code {process.ExitCode}): {(await errors).Trim()}";
            throw tool == "pg_restore" ? new BackupInvalidException(message) : new InvalidOperationException(message);
        }
    }

    // pg_dump and pg_restore from PATH, else from Debian's newest /usr/lib/postgresql/N/bin.
    private static string PostgresTool(string tool)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, tool)))
            {
                return Path.Combine(directory, tool);
            }
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException($"{tool} was not found on PATH or under /usr/lib/postgresql/*/bin; install PostgreSQL's client tools.");
    }
}
