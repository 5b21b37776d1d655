using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Accounts;

/// <summary>One throttled email or address, as admins see it.</summary>
public sealed record ThrottledSubject(ThrottleKind Kind, string Subject, int Failures, DateTimeOffset LastFailure, DateTimeOffset? WaitUntil);

/// <summary>
/// The throttle state of typed emails and client addresses (<see cref="SignInThrottlePolicy"/> holds the rules). Rows
/// exist for emails with and without accounts alike; the work done per attempt is the same for both.
/// </summary>
public sealed class SignInThrottle(LearnHubDatabase database, LearnHubClock clock)
{
    // A typed email is attacker-chosen: it is kept at most this long (longer than any valid address).
    private const int MaxSubject = 320;

    // Rows nobody has failed under for this long can tell nothing any more (the longest ForgetAfter is a day).
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(2);

    /// <summary>Until when attempts for this email or from this address wait, or null when neither does.</summary>
    public async Task<DateTimeOffset?> WaitUntilAsync(string? email, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var until = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT MAX(wait_until_utc_ms) FROM sign_in_throttle
            WHERE ((kind = 'email' AND subject = @email) OR (kind = 'address' AND subject = @address)) AND wait_until_utc_ms > @now
            """,
            new { email = EmailSubject(email), address = AddressSubject(address), now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return until is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Counts a failed password attempt against the email and the address, in one transaction.</summary>
    public async Task RecordFailureAsync(string? email, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        foreach (var (kind, subject) in new[] { (ThrottleKind.Email, EmailSubject(email)), (ThrottleKind.Address, AddressSubject(address)) })
        {
            // Insert-if-missing, then read the row held (FOR UPDATE on PostgreSQL; SQLite has one writer): two
            // concurrent failures under one key both count.
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sign_in_throttle (kind, subject, failures, last_failure_utc_ms) VALUES (@kind, @subject, 0, @now)
                ON CONFLICT (kind, subject) DO NOTHING
                """,
                new { kind = Wire(kind), subject, now = now.ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
            var row = await scope.Connection.QuerySingleAsync<Row>(new CommandDefinition(
                "SELECT failures, last_failure_utc_ms, wait_until_utc_ms FROM sign_in_throttle WHERE kind = @kind AND subject = @subject" + database.LockRowSuffix,
                new { kind = Wire(kind), subject }, scope.Transaction, cancellationToken: cancellationToken));
            var state = SignInThrottlePolicy.For(kind).AfterFailure(row.ToState(), now);
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sign_in_throttle SET failures = @failures, last_failure_utc_ms = @last, wait_until_utc_ms = @until WHERE kind = @kind AND subject = @subject",
                new
                {
                    kind = Wire(kind), subject, failures = state.Failures, last = state.LastFailure.ToUnixTimeMilliseconds(),
                    until = state.WaitUntil?.ToUnixTimeMilliseconds(),
                }, scope.Transaction, cancellationToken: cancellationToken));
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_throttle WHERE last_failure_utc_ms < @old",
            new { old = (now - KeepFor).ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Forgets an email's failures: its owner proved the password, or the mailbox through an emailed link. The
    /// address's count stays: a guesser signing in to an account of their own must not reset it.
    /// </summary>
    public async Task ClearAsync(string email, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_throttle WHERE kind = 'email' AND subject = @subject",
            new { subject = EmailSubject(email) }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>Emails and addresses with failures against them in the last two days, the latest first (the admins' view).</summary>
    public async Task<IReadOnlyList<ThrottledSubject>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ListRow>(new CommandDefinition(
            "SELECT kind, subject, failures, last_failure_utc_ms, wait_until_utc_ms FROM sign_in_throttle ORDER BY last_failure_utc_ms DESC LIMIT @limit",
            new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new ThrottledSubject(r.kind == "email" ? ThrottleKind.Email : ThrottleKind.Address, r.subject, (int)r.failures,
            DateTimeOffset.FromUnixTimeMilliseconds(r.last_failure_utc_ms),
            r.wait_until_utc_ms is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null)).ToList();
    }

    private static string EmailSubject(string? email)
    {
        var normalized = Applicant.NormalizeEmail(email ?? "");
        return normalized.Length <= MaxSubject ? normalized : normalized[..MaxSubject];
    }

    // Without a known address (a test server, a misconfigured proxy) every such request shares one key: throttling
    // them together errs on the safe side.
    private static string AddressSubject(string? address) => string.IsNullOrEmpty(address) ? "unknown" : address;

    private static string Wire(ThrottleKind kind) => kind == ThrottleKind.Email ? "email" : "address";

    private sealed class Row
    {
        public long failures { get; set; }
        public long last_failure_utc_ms { get; set; }
        public long? wait_until_utc_ms { get; set; }

        public ThrottleState ToState() => new((int)failures, DateTimeOffset.FromUnixTimeMilliseconds(last_failure_utc_ms),
            wait_until_utc_ms is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);
    }

    private sealed class ListRow
    {
        public string kind { get; set; } = "";
        public string subject { get; set; } = "";
        public long failures { get; set; }
        public long last_failure_utc_ms { get; set; }
        public long? wait_until_utc_ms { get; set; }
    }
}
