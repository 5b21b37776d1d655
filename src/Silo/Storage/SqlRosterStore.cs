using System.Data;
using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;

namespace LearnHub.Silo.Storage;

/// <summary>
/// The grain store for session rosters. A turn loads the session row with a lock (PostgreSQL: SELECT … FOR UPDATE;
/// SQLite: the IMMEDIATE transaction's write lock), runs the grain's logic, then writes staged registrations and the
/// roster in the same transaction. The roster write also checks the version it read, so a save that somehow raced
/// another fails loudly instead of overwriting it.
/// </summary>
public sealed class SqlRosterStore(LearnHubDatabase database, LearnHubClock clock) : IRosterStore
{
    // 16 parameters a row: 64 rows stay far below SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement.
    private const int InsertChunk = 64;

    internal const string RegistrationColumns =
        "id, session_id, group_id, group_secret, name, email, agency, job_role, time_zone, accommodations, status, sequence, registered_utc_ms, promoted_utc_ms, cancelled_utc_ms";

    /// <inheritdoc />
    public async Task<T> RunTurnAsync<T>(Guid sessionId, Func<IRosterTurn, Task<T>> turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var row = await scope.Connection.QuerySingleOrDefaultAsync<RosterRow>(new CommandDefinition(
            """
            SELECT s.id, s.capacity, s.starts_utc_ms, s.ends_utc_ms, s.invite_sequence, s.status, s.registration_closed, s.published,
                   s.confirmed_count, s.waitlisted_count, s.last_sequence, s.version,
                   (SELECT le.id FROM sessions le WHERE le.webinar_id = s.id) AS learning_exchange_id
            FROM sessions s WHERE s.id = @id
            """ + database.LockRowSuffix,
            new { id = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        var roster = row?.ToRoster();
        var sqlTurn = new SqlRosterTurn(scope, roster, sessionId, clock, cancellationToken);
        var result = await turn(sqlTurn);
        await sqlTurn.SaveAsync(row);
        await scope.CommitAsync(cancellationToken);
        return result;
    }

    private sealed class SqlRosterTurn(WriteScope scope, SessionRoster? roster, Guid sessionId, LearnHubClock clock, CancellationToken cancellationToken) : IRosterTurn
    {
        private readonly List<Registration> _new = [];
        private readonly List<Registration> _changed = [];
        private readonly List<MailIntent> _mail = [];

        public SessionRoster? Roster => roster;

        public async Task<IReadOnlyDictionary<string, Registration>> FindActiveByEmailsAsync(
            IReadOnlyCollection<string> normalizedEmails, CancellationToken cancellationToken)
        {
            if (normalizedEmails.Count == 0)
            {
                return new Dictionary<string, Registration>();
            }

            var (inList, parameters) = SqlLists.Parameters("e", normalizedEmails);
            parameters.Add("session", sessionId.ToString());
            var rows = await scope.Connection.QueryAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status <> 'cancelled' AND email_normalized IN ({inList})",
                parameters, scope.Transaction, cancellationToken: cancellationToken));
            return rows.Select(r => r.ToRegistration()).ToDictionary(r => r.Applicant.NormalizedEmail, StringComparer.Ordinal);
        }

        public Task<Registration?> FindAsync(Guid registrationId, CancellationToken cancellationToken) =>
            One($"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND id = @id",
                new { session = sessionId.ToString(), id = registrationId.ToString() }, cancellationToken);

        public async Task<IReadOnlyList<Registration>> ActiveRegistrationsAsync(CancellationToken cancellationToken) =>
            (await scope.Connection.QueryAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status <> 'cancelled' ORDER BY sequence",
                new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))
            .Select(r => r.ToRegistration()).ToList();

        public Task<Registration?> FirstWaitingAsync(CancellationToken cancellationToken) =>
            One($"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status = 'waitlisted' ORDER BY sequence LIMIT 1",
                new { session = sessionId.ToString() }, cancellationToken);

        public async Task<IReadOnlyList<Registration>> WaitingAsync(int count, CancellationToken cancellationToken) =>
            (await scope.Connection.QueryAsync<RegistrationRow>(new CommandDefinition(
                $"SELECT {RegistrationColumns} FROM registrations WHERE session_id = @session AND status = 'waitlisted' ORDER BY sequence LIMIT @count",
                new { session = sessionId.ToString(), count }, scope.Transaction, cancellationToken: cancellationToken)))
            .Select(r => r.ToRegistration()).ToList();

        public void StageNew(Registration registration) => _new.Add(registration);

        public void StageChanged(Registration registration) => _changed.Add(registration);

        public void StageMail(MailIntent mail) => _mail.Add(mail);

        public async Task SaveAsync(RosterRow? loaded)
        {
            var connection = scope.Connection;
            foreach (var chunk in _new.Chunk(InsertChunk))
            {
                await InsertAsync(chunk);
            }

            foreach (var registration in _changed)
            {
                await connection.ExecuteAsync(Command(
                    "UPDATE registrations SET status = @status, promoted_utc_ms = @promoted_utc_ms, cancelled_utc_ms = @cancelled_utc_ms WHERE id = @id",
                    RegistrationRow.From(registration)));
            }

            await OutboxWriter.InsertAsync(connection, scope.Transaction, _mail, clock.GetUtcNow(), cancellationToken);

            if (roster is null || loaded is null || !loaded.DiffersFrom(roster))
            {
                return;
            }

            var saved = await connection.ExecuteAsync(Command(
                """
                UPDATE sessions SET capacity = @capacity, confirmed_count = @confirmed, waitlisted_count = @waitlisted, last_sequence = @last,
                    registration_closed = @closed, starts_utc_ms = @starts, ends_utc_ms = @ends, invite_sequence = @invite,
                    status = @status, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    id = sessionId.ToString(),
                    capacity = roster.Capacity,
                    confirmed = roster.ConfirmedCount,
                    waitlisted = roster.WaitlistedCount,
                    last = roster.LastSequence,
                    closed = roster.ClosedByOrganizer ? 1 : 0,
                    starts = roster.StartsAt.ToUnixTimeMilliseconds(),
                    ends = roster.EndsAt.ToUnixTimeMilliseconds(),
                    invite = roster.InviteSequence,
                    status = roster.IsCancelled ? "cancelled" : "scheduled",
                    version = roster.Version,
                }));
            if (saved != 1)
            {
                throw new DBConcurrencyException($"Session {sessionId} changed since version {roster.Version} was read; nothing was saved.");
            }

            if (roster.IsCancelled && loaded.status != "cancelled")
            {
                // Dropped, not deleted: the rows still say which reminders never went out and why.
                await connection.ExecuteAsync(Command(
                    "UPDATE session_reminders SET state = 'skipped' WHERE session_id = @id AND state = 'pending'", new { id = sessionId.ToString() }));
            }
            else if (roster.StartsAt.ToUnixTimeMilliseconds() != loaded.starts_utc_ms)
            {
                // Re-planned from the new start; a reminder that already went out goes again, for the new time.
                await connection.ExecuteAsync(Command(
                    "UPDATE session_reminders SET due_utc_ms = @starts - CAST(offset_minutes AS BIGINT) * 60000, state = 'pending', fired_utc_ms = NULL WHERE session_id = @id",
                    new { id = sessionId.ToString(), starts = roster.StartsAt.ToUnixTimeMilliseconds() }));
            }
        }

        // One multi-row INSERT per chunk: a batch of admissions costs one round trip, not one per registrant.
        private async Task InsertAsync(Registration[] registrations)
        {
            var parameters = new DynamicParameters();
            var rows = new List<string>(registrations.Length);
            for (var i = 0; i < registrations.Length; i++)
            {
                var r = RegistrationRow.From(registrations[i]);
                rows.Add($"(@id{i}, @session{i}, @group{i}, @secret{i}, @name{i}, @email{i}, @agency{i}, @role{i}, @zone{i}, @acc{i}, @status{i}, @seq{i}, @at{i}, @promoted{i}, @cancelled{i}, @norm{i})");
                parameters.Add($"id{i}", r.id);
                parameters.Add($"session{i}", r.session_id);
                parameters.Add($"group{i}", r.group_id);
                parameters.Add($"secret{i}", r.group_secret);
                parameters.Add($"name{i}", r.name);
                parameters.Add($"email{i}", r.email);
                parameters.Add($"agency{i}", r.agency);
                parameters.Add($"role{i}", r.job_role);
                parameters.Add($"zone{i}", r.time_zone);
                parameters.Add($"acc{i}", r.accommodations);
                parameters.Add($"status{i}", r.status);
                parameters.Add($"seq{i}", r.sequence);
                parameters.Add($"at{i}", r.registered_utc_ms);
                parameters.Add($"promoted{i}", r.promoted_utc_ms);
                parameters.Add($"cancelled{i}", r.cancelled_utc_ms);
                parameters.Add($"norm{i}", r.email_normalized);
            }

            await scope.Connection.ExecuteAsync(Command(
                $"INSERT INTO registrations ({RegistrationColumns}, email_normalized) VALUES {string.Join(", ", rows)}", parameters));
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
        public long ends_utc_ms { get; set; }
        public long invite_sequence { get; set; }
        public string status { get; set; } = "scheduled";
        public long registration_closed { get; set; }
        public long published { get; set; } = 1;
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
            version,
            DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms),
            invite_sequence,
            status == "cancelled",
            published != 0);

        public bool DiffersFrom(SessionRoster roster) =>
            roster.Capacity != capacity || roster.ConfirmedCount != confirmed_count || roster.WaitlistedCount != waitlisted_count ||
            roster.LastSequence != last_sequence || (roster.ClosedByOrganizer ? 1 : 0) != registration_closed ||
            roster.InviteSequence != invite_sequence || roster.IsCancelled != (status == "cancelled");
    }
}
