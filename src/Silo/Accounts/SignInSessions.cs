using System.Security.Cryptography;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Accounts;

/// <summary>LearnHub:Sessions — how long a sign-in lasts.</summary>
public sealed class SignInSessionOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:Sessions";

    /// <summary>A sign-in unused this long ends (each use extends it). LearnHub:Sessions:IdleTimeout.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A sign-in ends this long after it began, however busy. LearnHub:Sessions:AbsoluteLifetime.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Sentences naming the key of each setting that cannot work; empty when all can.</summary>
    public IEnumerable<string> Problems()
    {
        if (IdleTimeout <= TimeSpan.Zero)
        {
            yield return "LearnHub:Sessions:IdleTimeout must be longer than zero (e.g. 08:00:00). Set it in appsettings.json or as LearnHub__Sessions__IdleTimeout.";
        }

        if (AbsoluteLifetime < IdleTimeout)
        {
            yield return $"LearnHub:Sessions:AbsoluteLifetime ({AbsoluteLifetime}) must be at least LearnHub:Sessions:IdleTimeout ({IdleTimeout}). Set it in appsettings.json or as LearnHub__Sessions__AbsoluteLifetime.";
        }
    }
}

/// <summary>A live session: whose it is and when its absolute lifetime ends.</summary>
public sealed record LiveSession(Guid AccountId, DateTimeOffset ExpiresAt);

/// <summary>
/// Server-side sign-in sessions. A cookie carries a random session id (inside the data-protected ticket); the row keyed
/// by its hash must be live for the cookie to be honoured. Checking a cookie is one primary-key read.
/// </summary>
public sealed class SignInSessions(LearnHubDatabase database, LearnHubClock clock, IOptions<SignInSessionOptions> options)
{
    /// <summary>Starts a session for an account and returns its id, for the cookie only.</summary>
    public async Task<string> StartAsync(Guid accountId, string? clientAddress, CancellationToken cancellationToken)
    {
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // The account's sessions that can never be honoured again go as a new one starts, so the table holds about
        // one row per browser in use.
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_sessions WHERE user_id = @user AND (ended_utc_ms IS NOT NULL OR expires_utc_ms <= @now)",
            new { user = accountId.ToString(), now = now.ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sign_in_sessions (id_hash, user_id, created_utc_ms, expires_utc_ms, client_address)
            VALUES (@hash, @user, @now, @expires, @address)
            """,
            new
            {
                hash = AccountLinks.Hash(id), user = accountId.ToString(), now = now.ToUnixTimeMilliseconds(),
                expires = (now + options.Value.AbsoluteLifetime).ToUnixTimeMilliseconds(), address = clientAddress,
            }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>The session if it is live: not ended, and within its absolute lifetime; otherwise null.</summary>
    public async Task<LiveSession?> FindLiveAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 64)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LiveRow>(new CommandDefinition(
            "SELECT user_id, expires_utc_ms FROM sign_in_sessions WHERE id_hash = @hash AND ended_utc_ms IS NULL AND expires_utc_ms > @now",
            new { hash = AccountLinks.Hash(sessionId), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return row is null ? null : new LiveSession(Guid.Parse(row.user_id), DateTimeOffset.FromUnixTimeMilliseconds(row.expires_utc_ms));
    }

    /// <summary>Ends one session (signing out in one browser).</summary>
    public async Task EndAsync(string? sessionId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 64)
        {
            return;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sign_in_sessions SET ended_utc_ms = @now, ended_reason = @reason WHERE id_hash = @hash AND ended_utc_ms IS NULL",
            new { hash = AccountLinks.Hash(sessionId), now = clock.GetUtcNow().ToUnixTimeMilliseconds(), reason = Wire(reason) },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>Ends every session of an account; returns how many were live.</summary>
    public async Task<int> EndAllAsync(Guid accountId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var ended = await EndAllAsync(scope, accountId, reason, clock.GetUtcNow(), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return ended;
    }

    /// <summary>Ends every session of an account inside <paramref name="scope"/>: with the change that requires it, or not at all.</summary>
    public static Task<int> EndAllAsync(WriteScope scope, Guid accountId, SessionEndReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sign_in_sessions SET ended_utc_ms = @now, ended_reason = @reason WHERE user_id = @user AND ended_utc_ms IS NULL AND expires_utc_ms > @now",
            new { user = accountId.ToString(), now = now.ToUnixTimeMilliseconds(), reason = Wire(reason) }, scope.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>How many live sessions each account has (the admins' people list).</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> CountLiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string user_id, long live)>(new CommandDefinition(
            "SELECT user_id, COUNT(*) AS live FROM sign_in_sessions WHERE ended_utc_ms IS NULL AND expires_utc_ms > @now GROUP BY user_id",
            new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => Guid.Parse(r.user_id), r => (int)r.live);
    }

    private static string Wire(SessionEndReason reason) => reason switch
    {
        SessionEndReason.SignedOut => "signed-out",
        SessionEndReason.SignedOutEverywhere => "signed-out-everywhere",
        SessionEndReason.EndedByAdmin => "ended-by-admin",
        SessionEndReason.PasswordChanged => "password-changed",
        SessionEndReason.RolesChanged => "roles-changed",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "No wire name for this reason."),
    };

    private sealed class LiveRow
    {
        public string user_id { get; set; } = "";
        public long expires_utc_ms { get; set; }
    }
}
