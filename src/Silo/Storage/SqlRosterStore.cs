using System.Data;
using Dapper;
using LearnHub.Grains.Registrations;

namespace LearnHub.Silo.Storage;

/// <summary>
/// The grain store for session rosters. A turn loads the session row with a lock (PostgreSQL: SELECT … FOR UPDATE;
/// SQLite: the IMMEDIATE transaction's write lock), runs the grain's logic, then writes staged registrations and the
/// roster in the same transaction. The roster write also checks the version it read, so a save that somehow raced
/// another fails loudly instead of overwriting it.
/// </summary>
public sealed class SqlRosterStore(LearnHubDatabase database) : IRosterStore
{
    internal const string RegistrationColumns =
        "id, session_id, group_id, group_secret, name, email, agency, job_role, time_zone, accommodations, status, sequence, registered_utc_ms, promoted_utc_ms, cancelled_utc_ms";

    /// <inheritdoc />
    public async Task<T> RunTurnAsync<T>(Guid sessionId, Func<IRosterTurn, Task<T>> turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var row = await scope.Connection.QuerySingleOrDefaultAsync<RosterRow>(new CommandDefinition(
            """
            SELECT s.id, s.capacity, s.starts_utc_ms, s.registration_closed, s.confirmed_count, s.waitlisted_count,
                   s.last_sequence, s.version,
                   (SELECT le.id FROM sessions le WHERE le.webinar_id = s.id) AS learning_exchange_id
            FROM sessions s WHERE s.id = @id
            """ + database.LockRowSuffix,
            new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        var roster = row?.ToRoster();
        var sqlTurn = new SqlRosterTurn(scope, roster, sessionId, cancellationToken);
        var result = await turn(sqlTurn);
        await sqlTurn.SaveAsync(row);
        await scope.CommitAsync(cancellationToken);
        return result;
    }

    private sealed class SqlRosterTurn(WriteScope scope, SessionRoster? roster, Guid sessionId, CancellationToken cancellationToken) : IRosterTurn
    {
        private readonly List<Registration> _new = [];
        private readonly List<Registration> _changed = [];

        public SessionRoster? Roster => roster;

        public Task<Registration?> FindActiveByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
            One($"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND email_normalized = @email AND status <> 'cancelled'",
                new { session = sessionId.ToString(), email = normalizedEmail }, cancellationToken);

        public Task<Registration?> FindAsync(Guid registrationId, CancellationToken cancellationToken) =>
            One($"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND id = @id",
                new { session = sessionId.ToString(), id = registrationId.ToString() }, cancellationToken);

        public Task<Registration?> FirstWaitingAsync(CancellationToken cancellationToken) =>
            One($"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status = 'waitlisted' ORDER BY sequence LIMIT 1",
                new { session = sessionId.ToString() }, cancellationToken);

        public void StageNew(Registration registration) => _new.Add(registration);

        public void StageChanged(Registration registration) => _changed.Add(registration);

        public async Task SaveAsync(RosterRow? loaded)
        {
            var connection = scope.Connection;
            foreach (var registration in _new)
            {
                await connection.ExecuteAsync(Command(
                    $"""
                    INSERT INTO registrations ({RegistrationColumns}, email_normalized)
                    VALUES (@id, @session_id, @group_id, @group_secret, @name, @email, @agency, @job_role, @time_zone,
                            @accommodations, @status, @sequence, @registered_utc_ms, @promoted_utc_ms, @cancelled_utc_ms, @email_normalized)
                    """, RegistrationRow.From(registration)));
            }

            foreach (var registration in _changed)
            {
                await connection.ExecuteAsync(Command(
                    "UPDATE registrations SET status = @status, promoted_utc_ms = @promoted_utc_ms, cancelled_utc_ms = @cancelled_utc_ms WHERE id = @id",
                    RegistrationRow.From(registration)));
            }

            if (roster is null || loaded is null || !loaded.DiffersFrom(roster))
            {
                return;
            }

            var saved = await connection.ExecuteAsync(Command(
                """
                UPDATE sessions SET confirmed_count = @confirmed, waitlisted_count = @waitlisted, last_sequence = @last,
                    registration_closed = @closed, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    id = sessionId.ToString(),
                    confirmed = roster.ConfirmedCount,
                    waitlisted = roster.WaitlistedCount,
                    last = roster.LastSequence,
                    closed = roster.ClosedByOrganizer ? 1 : 0,
                    version = roster.Version,
                }));
            if (saved != 1)
            {
                throw new DBConcurrencyException($"Session {sessionId} changed since version {roster.Version} was read; nothing was saved.");
            }
        }

        private async Task<Registration?> One(string sql, object parameters, CancellationToken token) =>
            (await scope.Connection.QuerySingleOrDefaultAsync<RegistrationRow>(
                new CommandDefinition(sql, parameters, scope.Transaction, cancellationToken: token)))?.ToRegistration();

        private CommandDefinition Command(string sql, object parameters) =>
            new(sql, parameters, scope.Transaction, cancellationToken: cancellationToken);
    }

    private sealed class RosterRow
    {
        public string id { get; set; } = "";
        public long capacity { get; set; }
        public long starts_utc_ms { get; set; }
        public long registration_closed { get; set; }
        public long confirmed_count { get; set; }
        public long waitlisted_count { get; set; }
        public long last_sequence { get; set; }
        public long version { get; set; }
        public string? learning_exchange_id { get; set; }

        public SessionRoster ToRoster() => new(
            Guid.Parse(id),
            checked((int)capacity),
            DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms),
            registration_closed != 0,
            checked((int)confirmed_count),
            checked((int)waitlisted_count),
            last_sequence,
            learning_exchange_id is null ? null : Guid.Parse(learning_exchange_id),
            version);

        public bool DiffersFrom(SessionRoster roster) =>
            roster.ConfirmedCount != confirmed_count || roster.WaitlistedCount != waitlisted_count ||
            roster.LastSequence != last_sequence || (roster.ClosedByOrganizer ? 1 : 0) != registration_closed;
    }
}
