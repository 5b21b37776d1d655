using System.Security.Cryptography;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Accounts;

/// <summary>What finishing a sign-up came to: the new account, or why not (keyed by field; "link" for the link itself).</summary>
public sealed record SignUpResult(Account? Account, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// Self sign-up for registrants: anyone may create a Learner account for an address they prove by an emailed link (256
/// random bits, only a hash kept, expiring, used up by one conditional update). An address that has an account already
/// is sent a sign-in link instead, so the page's answer, the same either way, tells nobody which addresses have one.
/// Everything registered under the address then shows in My learning, the transcript and evaluations, which look
/// registrations up by the account's email.
/// </summary>
public sealed class SignUps(LearnHubDatabase database, AccountStore accounts, AccountLinks links, IOptions<MailOptions> mail, LearnHubClock clock)
{
    /// <summary>How long a sign-up link stays valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromHours(24);

    /// <summary>Emails a sign-up link (or, for an address with an account, a sign-in link): at most one per address and <see cref="MailIntent.ResendWindow"/>.</summary>
    public async Task RequestAsync(string? email, CancellationToken cancellationToken)
    {
        var typed = (email ?? "").Trim();
        if (!Applicant.IsValidEmail(typed))
        {
            return;
        }

        if (await accounts.FindAsync(typed, cancellationToken) is { } account)
        {
            await links.IssueAsync(account, AccountLinkPurpose.SignIn, cancellationToken);
            return;
        }

        var normalized = Applicant.NormalizeEmail(typed);
        var now = clock.GetUtcNow();
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var recent = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sign_up_links WHERE email_normalized = @email AND created_utc_ms > @since",
            new { email = normalized, since = (now - MailIntent.ResendWindow).ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        if (recent > 0)
        {
            return;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sign_up_links (token_hash, email_normalized, expires_utc_ms, created_utc_ms) VALUES (@hash, @email, @expires, @now)",
            new { hash = AccountLinks.Hash(token), email = normalized, expires = (now + Validity).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            scope.Transaction, cancellationToken: cancellationToken));
        await OutboxWriter.InsertAsync(scope,
            [new MailIntent(normalized, MailPurpose.SignUpLink, $"link:{AccountLinks.Hash(token)}", null, null) { Link = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/signup/{token}" }],
            now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>The address a still-valid link proves, without using it up (to show the form first); null otherwise.</summary>
    public async Task<string?> PeekAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT email_normalized FROM sign_up_links WHERE token_hash = @hash AND used_utc_ms IS NULL AND expires_utc_ms > @now",
            new { hash = AccountLinks.Hash(token), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Checks the name and password (optional: without one, the person signs in by emailed links), then uses the link up
    /// and creates the Learner account; a bad field changes nothing and keeps the link.
    /// </summary>
    public async Task<SignUpResult> CompleteAsync(string? token, string? displayName, string? password, CancellationToken cancellationToken)
    {
        if (await PeekAsync(token, cancellationToken) is not { } email)
        {
            return new SignUpResult(null, new Dictionary<string, string> { ["link"] = "This link has expired or has been used already." });
        }

        var chosen = string.IsNullOrEmpty(password) ? null : password;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > Applicant.MaxShortField || displayName.Any(char.IsControl))
        {
            errors["displayName"] = $"Enter your name (at most {Applicant.MaxShortField} characters).";
        }

        if (chosen is not null && PasswordPolicy.Problems(chosen, email) is { Count: > 0 } weak)
        {
            errors["password"] = string.Join(" ", weak);
        }

        if (errors.Count > 0)
        {
            return new SignUpResult(null, errors);
        }

        await using (var scope = await database.BeginWriteAsync(cancellationToken))
        {
            var used = await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sign_up_links SET used_utc_ms = @now WHERE token_hash = @hash AND used_utc_ms IS NULL AND expires_utc_ms > @now",
                new { hash = AccountLinks.Hash(token!), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
            await scope.CommitAsync(cancellationToken);
            if (used != 1)
            {
                return new SignUpResult(null, new Dictionary<string, string> { ["link"] = "This link has expired or has been used already." });
            }
        }

        var created = await accounts.CreateAsync(email, displayName!.Trim(), chosen, [Role.Learner], cancellationToken);
        return new SignUpResult(created.Account, created.Errors.Count > 0 && created.Account is null
            ? new Dictionary<string, string> { ["link"] = "An account with this email exists already: sign in instead." }
            : created.Errors);
    }
}
