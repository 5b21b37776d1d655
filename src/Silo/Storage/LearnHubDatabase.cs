using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LearnHub.Silo.Storage;

/// <summary>
/// Opens connections and write transactions on the configured engine. The two engines share every query; they
/// differ only in how a writer gets exclusive use of a session (see <see cref="LockRowSuffix"/>).
/// </summary>
public sealed class LearnHubDatabase : IDisposable
{
    // SQLite admits one writer at a time whatever we do; queueing writers here, in process, spares them SQLite's
    // sleep-and-retry busy loop. It is only a throttle: the database lock still decides, so a second process is safe.
    private readonly SemaphoreSlim? _sqliteWriters;
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _connectionString;

    /// <summary>Creates the database access for a provider and connection string.</summary>
    public LearnHubDatabase(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        _connectionString = connectionString;
        if (provider == DatabaseProvider.Sqlite)
        {
            _sqliteWriters = new SemaphoreSlim(1, 1);
        }
        else
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    /// <summary>The engine in use.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The connection string (Orleans' clustering opens its own connections with it).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>
    /// The connection string Orleans' grain storage opens its connections with. On PostgreSQL its pooled connections are
    /// not reset when they go back to the pool: the provider's named queries leave no session state behind (no SET, no
    /// prepared or temporary objects, no LISTEN), and the reset is a DISCARD ALL before the next use, one more statement
    /// for every grain-state read and write (69,616 in a run of the benchmark's two storms, 7% of the time PostgreSQL spent
    /// executing statements).
    /// </summary>
    public string GrainStorageConnectionString => Provider == DatabaseProvider.PostgreSql
        ? new NpgsqlConnectionStringBuilder(_connectionString) { NoResetOnClose = true }.ConnectionString
        : _connectionString;

    /// <summary>Appended to the SELECT that loads a row a writer must hold for the rest of its transaction.</summary>
    public string LockRowSuffix => Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE" : string.Empty;

    /// <summary>The SQLite connection string for a data directory (the embedded default).</summary>
    public static string DefaultSqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetFullPath(dataDirectory), "learnhub.db"),
        ForeignKeys = true,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    private long _mailQueued;

    /// <summary>
    /// Mails this process has queued in committed transactions since it started: the delivery service's measure of a
    /// burst (<see cref="Messaging.DeliveryPacing"/>).
    /// </summary>
    public long MailQueued => Interlocked.Read(ref _mailQueued);

    /// <summary>Counts mails a write scope queued, once it committed.</summary>
    internal void NoteMailCommitted(int count) => Interlocked.Add(ref _mailQueued, count);

    /// <summary>Opens a connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Opens a connection with a write transaction. On SQLite the transaction is IMMEDIATE (it takes the write lock
    /// at BEGIN, so two writers never deadlock upgrading a read lock); on PostgreSQL it is READ COMMITTED and the
    /// caller locks the rows it will change.
    /// </summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (_sqliteWriters is not null)
        {
            await _sqliteWriters.WaitAsync(cancellationToken);
        }

        try
        {
            var connection = await OpenAsync(cancellationToken);
            try
            {
                var transaction = connection is SqliteConnection sqlite
                    ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false)
                    : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                return new WriteScope(connection, transaction, _sqliteWriters, this);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch
        {
            _sqliteWriters?.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _postgres?.Dispose();
        _sqliteWriters?.Dispose();
        if (Provider == DatabaseProvider.Sqlite)
        {
            // Closes the pooled connections to this file (SQLite checkpoints its write-ahead log as the last one
            // closes) and stops the pool's pruning timer, which otherwise lives on with the process and keeps
            // whatever started it reachable.
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
    }
}

/// <summary>A connection with an open write transaction; disposing without commit rolls back.</summary>
public sealed class WriteScope(DbConnection connection, DbTransaction transaction, SemaphoreSlim? gate, LearnHubDatabase? database = null) : IAsyncDisposable
{
    /// <summary>The connection.</summary>
    public DbConnection Connection { get; } = connection;

    /// <summary>The transaction every command of the scope must join.</summary>
    public DbTransaction Transaction { get; } = transaction;

    /// <summary>Mails queued in this transaction (counted for the database once it commits).</summary>
    internal int MailQueued { get; set; }

    /// <summary>Commits the transaction.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        if (MailQueued > 0)
        {
            database?.NoteMailCommitted(MailQueued);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            gate?.Release();
        }
    }
}
