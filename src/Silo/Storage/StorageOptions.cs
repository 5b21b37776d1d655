using System.ComponentModel.DataAnnotations;

namespace LearnHub.Silo.Storage;

/// <summary>Which database engine holds LearnHub's state.</summary>
public enum DatabaseProvider
{
    /// <summary>A file under the data directory: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: production, and several nodes sharing one database.</summary>
    PostgreSql,
}

/// <summary>The "LearnHub" configuration section (environment: LearnHub__Key).</summary>
public sealed class LearnHubOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub";

    /// <summary>Where the SQLite file, mail pickup folder and keys live. LearnHub:DataDirectory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database settings. LearnHub:Database:*.</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Seed the demo series on first start; defaults to on for SQLite, off for PostgreSQL. LearnHub:SeedDemoData.</summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>The data directory as an absolute path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

/// <summary>LearnHub:Database.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Sqlite (default) or PostgreSql. LearnHub:Database:Provider.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The connection string. Required for PostgreSQL; for SQLite it defaults to learnhub.db in the data directory.
    /// LearnHub:Database:ConnectionString.
    /// </summary>
    public string? ConnectionString { get; set; }
}
