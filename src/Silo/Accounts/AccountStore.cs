using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using Microsoft.AspNetCore.Identity;

namespace LearnHub.Silo.Accounts;

/// <summary>What creating an account came to.</summary>
public sealed record AccountCreation(Account? Account, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// The user store on LearnHub's own storage: accounts and roles on SQLite or PostgreSQL, passwords hashed with
/// ASP.NET Core Identity's PasswordHasher. The rules (roles, what ends sessions) live in <see cref="Account"/>; this loads,
/// calls and saves, with a version check on every save.
/// </summary>
public sealed class AccountStore(LearnHubDatabase database, LearnHubClock clock)
{
    private static readonly PasswordHasher<Account> Hasher = new();

    // The hasher's user argument is unused by Identity's PasswordHasher; one instance serves every verification.
    private static readonly Account Decoy = new(Guid.Empty, "decoy@invalid", "", null, []);

    // Verified against when the email has no account (or no password), so a wrong email costs the same time as a wrong
    // password: the same algorithm and iteration count as every real hash.
    private static readonly string DecoyHash = Hasher.HashPassword(Decoy, Guid.NewGuid().ToString());

    /// <summary>Creates an account after validating email, name and password; writes nothing when any is wrong.</summary>
    public async Task<AccountCreation> CreateAsync(string? email, string? displayName, string? password, IEnumerable<Role> roles, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanEmail = (email ?? "").Trim();
        if (!Applicant.IsValidEmail(cleanEmail))
        {
            errors["email"] = "Enter an email address in the form name@example.org.";
        }

        var name = string.IsNullOrWhiteSpace(displayName) ? cleanEmail.Split('@')[0] : displayName.Trim();
        if (name.Length > Applicant.MaxShortField || name.Any(char.IsControl))
        {
            errors["displayName"] = $"Use at most {Applicant.MaxShortField} ordinary characters for the name.";
        }

        if (password is not null && PasswordPolicy.Problems(password, cleanEmail) is { Count: > 0 } weak)
        {
            errors["password"] = string.Join(" ", weak);
        }

        if (errors.Count == 0 && await FindAsync(cleanEmail, cancellationToken) is not null)
        {
            errors["email"] = "An account with this email exists already.";
        }

        if (errors.Count > 0)
        {
            return new AccountCreation(null, errors);
        }

        var account = new Account(Guid.CreateVersion7(clock.GetUtcNow()), cleanEmail, name, null, roles);
        if (password is not null)
        {
            account.SetPasswordHash(Hasher.HashPassword(account, password));
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, email, email_normalized, display_name, password_hash, created_utc_ms)
            VALUES (@id, @email, @normalized, @name, @hash, @at)
            """,
            new { id = account.Id.ToString(), email = account.Email, normalized = account.NormalizedEmail, name, hash = account.PasswordHash, at = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            scope.Transaction, cancellationToken: cancellationToken));
        await WriteRolesAsync(scope, account, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new AccountCreation(account, errors);
    }

    /// <summary>
    /// The account whose email and password these are, or null. The work is the same whether or not the email has an
    /// account (or a password): one single-row read and one hash verification, a decoy's when there is no real hash,
    /// so the time taken tells nothing. Throttling is <see cref="PasswordSignIn"/>'s.
    /// </summary>
    public async Task<Account?> CheckPasswordAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Only what the check needs: roles (a second query) are read after a match, never for a wrong guess.
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            "SELECT id, password_hash FROM users WHERE email_normalized = @key",
            new { key = Applicant.NormalizeEmail(email ?? "") }, cancellationToken: cancellationToken));
        var hash = row?.password_hash;
        // Without a real hash the decoy is verified, and its answer ignored.
        var verified = Hasher.VerifyHashedPassword(Decoy, hash ?? DecoyHash, password ?? "") != PasswordVerificationResult.Failed;
        return verified && hash is not null ? await FindAsync(Guid.Parse(row!.id), cancellationToken) : null;
    }

    /// <summary>Sets a new password after checking the policy; the errors say what is wrong, and nothing changes then.</summary>
    public async Task<IReadOnlyList<string>> SetPasswordAsync(Account account, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var problems = PasswordPolicy.Problems(password, account.Email);
        if (problems.Count > 0)
        {
            return problems;
        }

        account.SetPasswordHash(Hasher.HashPassword(account, password!));
        await SaveAsync(account, cancellationToken);
        return [];
    }

    /// <summary>Every account, by email (the admins' people list): two queries, whatever the number of people.</summary>
    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id, email, display_name, password_hash, version FROM users ORDER BY email_normalized LIMIT 1000",
            cancellationToken: cancellationToken));
        var roles = (await connection.QueryAsync<(string user_id, string role)>(new CommandDefinition(
                "SELECT user_id, role FROM user_roles", cancellationToken: cancellationToken)))
            .ToLookup(r => r.user_id, r => r.role);
        return rows.Select(row => ToAccount(row, roles[row.id])).ToList();
    }

    /// <summary>An account by email, or null.</summary>
    public async Task<Account?> FindAsync(string email, CancellationToken cancellationToken) =>
        await LoadAsync("u.email_normalized = @key", Applicant.NormalizeEmail(email), cancellationToken);

    /// <summary>An account by id, or null.</summary>
    public async Task<Account?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync("u.id = @key", id.ToString(), cancellationToken);

    /// <summary>
    /// Saves an account's password and roles; fails if it changed since it was read. A new password or
    /// a change of roles ends every session signed in before.
    /// </summary>
    public async Task SaveAsync(Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var saved = await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET password_hash = @hash, version = version + 1
            WHERE id = @id AND version = @version
            """,
            new { id = account.Id.ToString(), hash = account.PasswordHash, version = account.Version },
            scope.Transaction, cancellationToken: cancellationToken));
        if (saved != 1)
        {
            throw new System.Data.DBConcurrencyException($"Account {account.Id} changed since version {account.Version} was read; nothing was saved.");
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition("DELETE FROM user_roles WHERE user_id = @id", new { id = account.Id.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        await WriteRolesAsync(scope, account, cancellationToken);
        // In the same transaction: a new password or other roles never coexist with a cookie issued before them.
        var reason = account.SessionsEndOnSave;
        if (reason is { } ending)
        {
            await SignInSessions.EndAllAsync(scope, account.Id, ending, clock.GetUtcNow(), cancellationToken);
        }

        if (reason == SessionEndReason.PasswordChanged)
        {
            // Every other link still in a mailbox (an older reset, a sign-in link, the invitation) would let whoever
            // reads that mailbox past the new password: they are spent with it.
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE account_links SET used_utc_ms = @now WHERE user_id = @id AND used_utc_ms IS NULL",
                new { id = account.Id.ToString(), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        }

        await scope.CommitAsync(cancellationToken);
    }

    private static async Task WriteRolesAsync(WriteScope scope, Account account, CancellationToken cancellationToken)
    {
        foreach (var role in account.Roles)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO user_roles (user_id, role) VALUES (@id, @role)", new { id = account.Id.ToString(), role = role.ToWire() },
                scope.Transaction, cancellationToken: cancellationToken));
        }
    }

    private async Task<Account?> LoadAsync(string where, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT u.id, u.email, u.display_name, u.password_hash, u.version FROM users u WHERE {where}",
            new { key }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var roles = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT role FROM user_roles WHERE user_id = @id", new { row.id }, cancellationToken: cancellationToken));
        return ToAccount(row, roles);
    }

    private static Account ToAccount(Row row, IEnumerable<string> roles) =>
        new(Guid.Parse(row.id), row.email, row.display_name, row.password_hash,
            roles.Select(r => Roles.TryParse(r, out var role) ? role : throw new InvalidOperationException($"Unknown role '{r}' in storage.")),
            row.version);

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string email { get; set; } = "";
        public string display_name { get; set; } = "";
        public string? password_hash { get; set; }
        public long version { get; set; }
    }

    private sealed class CredentialRow
    {
        public string id { get; set; } = "";
        public string? password_hash { get; set; }
    }
}
