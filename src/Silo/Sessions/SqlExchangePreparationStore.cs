using Dapper;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Sessions;

/// <summary>The rows of <c>exchange_preparations</c> (migration 0066); only the preparation grains write them, through this store.</summary>
public sealed class SqlExchangePreparationStore(LearnHubDatabase database) : IExchangePreparationStore
{
    private const string Select =
        """
        SELECT p.registration_id, r.name, r.email, p.text, p.submitted_utc_ms, p.updated_utc_ms
        FROM exchange_preparations p JOIN registrations r ON r.id = p.registration_id
        """;

    /// <inheritdoc />
    public async Task<Preparation?> FindAsync(Guid registrationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE p.registration_id = @id", new { id = registrationId.ToString() },
            cancellationToken: cancellationToken))).Select(r => r.ToPreparation()).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Preparation>> ForSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await connection.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE p.session_id = @id ORDER BY p.submitted_utc_ms, p.registration_id",
            new { id = sessionId.ToString() }, cancellationToken: cancellationToken))).Select(r => r.ToPreparation())];
    }

    /// <inheritdoc />
    public async Task SaveAsync(Guid sessionId, Guid registrationId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var parameters = new { session = sessionId.ToString(), registration = registrationId.ToString(), text, at = at.ToUnixTimeMilliseconds() };
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            text.Length == 0
                ? "DELETE FROM exchange_preparations WHERE registration_id = @registration"
                : """
                  INSERT INTO exchange_preparations (registration_id, session_id, text, submitted_utc_ms, updated_utc_ms) VALUES (@registration, @session, @text, @at, @at)
                  ON CONFLICT (registration_id) DO UPDATE SET text = excluded.text, updated_utc_ms = excluded.updated_utc_ms
                  """,
            parameters, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    private sealed class Row
    {
        public string registration_id { get; set; } = "";
        public string name { get; set; } = "";
        public string email { get; set; } = "";
        public string text { get; set; } = "";
        public long submitted_utc_ms { get; set; }
        public long updated_utc_ms { get; set; }

        public Preparation ToPreparation() => new(Guid.Parse(registration_id), name, email, text, DateTimeOffset.FromUnixTimeMilliseconds(submitted_utc_ms),
            DateTimeOffset.FromUnixTimeMilliseconds(updated_utc_ms));
    }
}
