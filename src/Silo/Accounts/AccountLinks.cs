using System.Security.Cryptography;
using System.Text;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Accounts;

/// <summary>What a one-time link is for.</summary>
public enum AccountLinkPurpose
{
    /// <summary>Signs the person in.</summary>
    SignIn,

    /// <summary>Lets an invited person choose their first password.</summary>
    Invitation,

    /// <summary>Lets a person choose a new password.</summary>
    PasswordReset,
}

/// <summary>
/// One-time links by email: sign-in, invitation and password reset. A link carries 256 random bits; only their hash is
/// stored. It expires, and redeeming it is a single conditional UPDATE, so two clicks racing each other cannot both win.
/// The email is queued in the same transaction that creates the link.
/// </summary>
public sealed class AccountLinks(LearnHubDatabase database, AccountStore accounts, IOptions<MailOptions> mail, LearnHubClock clock)
{
    /// <summary>How long a link stays valid.</summary>
    public static TimeSpan Validity(AccountLinkPurpose purpose) =>
        purpose == AccountLinkPurpose.Invitation ? TimeSpan.FromDays(7) : TimeSpan.FromMinutes(30);

    /// <summary>
    /// Emails a link to the account with this address, if there is one. Callers answer the same either way, so the
    /// answer tells nobody whether an address has an account.
    /// </summary>
    public async Task RequestAsync(string? email, AccountLinkPurpose purpose, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync((email ?? "").Trim(), cancellationToken) is { } account)
        {
            await IssueAsync(account, purpose, cancellationToken);
        }
    }

    /// <summary>Creates a link for an account and queues its email.</summary>
    public Task IssueAsync(Account account, AccountLinkPurpose purpose, CancellationToken cancellationToken) =>
        purpose == AccountLinkPurpose.Invitation
            ? throw new ArgumentException("An invitation names who invited the person: use IssueInvitationAsync.", nameof(purpose))
            : IssueAsync(account, purpose, null, cancellationToken);

    /// <summary>
    /// Creates the invitation link of a new account and queues its email, which names the inviter and the roles given:
    /// the person never asked for an account, so the mail must say who arranged it and for what.
    /// </summary>
    public Task IssueInvitationAsync(Account account, Account invitedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(invitedBy);
        var inviterRole = invitedBy.Roles.Contains(Role.Admin) ? Role.Admin : Role.Coordinator;
        return IssueAsync(account, AccountLinkPurpose.Invitation, intent => intent with
        {
            Counterpart = $"{invitedBy.DisplayName} ({invitedBy.Email}), {inviterRole.Describe()}",
            Detail = account.Roles.Count == 0 ? null : string.Join(" and ", account.Roles.Order().Select(r => r.Describe())),
        }, cancellationToken);
    }

    private async Task IssueAsync(Account account, AccountLinkPurpose purpose, Func<MailIntent, MailIntent>? details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var path = purpose == AccountLinkPurpose.SignIn ? "signin/link" : "account/password";
        var intent = new MailIntent(account.NormalizedEmail, MailPurposeOf(purpose), $"link:{Hash(token)}", null, null)
        {
            Link = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/{path}/{token}",
        };
        intent = details?.Invoke(intent) ?? intent;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO account_links (id, user_id, purpose, token_hash, expires_utc_ms, created_utc_ms)
            VALUES (@id, @user, @purpose, @hash, @expires, @now)
            """,
            new
            {
                id = Guid.CreateVersion7(now).ToString(), user = account.Id.ToString(), purpose = Wire(purpose), hash = Hash(token),
                expires = (now + Validity(purpose)).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
            }, scope.Transaction, cancellationToken: cancellationToken));
        await OutboxWriter.InsertAsync(scope, [intent], now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>The account a still-valid link belongs to, without using it up (to show a form first).</summary>
    public async Task<Account?> PeekAsync(string? token, AccountLinkPurpose purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var user = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT user_id FROM account_links WHERE token_hash = @hash AND purpose = @purpose AND used_utc_ms IS NULL AND expires_utc_ms > @now",
            new { hash = Hash(token), purpose = Wire(purpose), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return user is null ? null : await accounts.FindAsync(Guid.Parse(user), cancellationToken);
    }

    /// <summary>Uses a link up and returns its account; null when it is unknown, expired or used already.</summary>
    public async Task<Account?> RedeemAsync(string? token, AccountLinkPurpose purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var user = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            UPDATE account_links SET used_utc_ms = @now
            WHERE token_hash = @hash AND purpose = @purpose AND used_utc_ms IS NULL AND expires_utc_ms > @now
            RETURNING user_id
            """,
            new { hash = Hash(token), purpose = Wire(purpose), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return user is null ? null : await accounts.FindAsync(Guid.Parse(user), cancellationToken);
    }

    /// <summary>What is stored for a link's token (never the token itself); evaluation links are kept the same way.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Wire(AccountLinkPurpose purpose) => purpose switch
    {
        AccountLinkPurpose.SignIn => "sign-in",
        AccountLinkPurpose.Invitation => "invitation",
        _ => "password-reset",
    };

    private static MailPurpose MailPurposeOf(AccountLinkPurpose purpose) => purpose switch
    {
        AccountLinkPurpose.SignIn => MailPurpose.SignInLink,
        AccountLinkPurpose.Invitation => MailPurpose.Invitation,
        _ => MailPurpose.PasswordReset,
    };
}
