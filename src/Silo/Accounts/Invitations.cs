using LearnHub.Grains.Accounts;

namespace LearnHub.Silo.Accounts;

/// <summary>What an invitation came to: the new account, or the problems keyed by field (nothing written then).</summary>
public sealed record InvitationResult(Account? Account, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// Inviting a person: the one path admins and coordinators share. The inviter's roles are read from storage, not from
/// the form or the cookie, and <see cref="InvitationRules"/> decides which roles they may give, before anything is
/// written; the account is created without a password and the emailed link says who invited them.
/// </summary>
public sealed class Invitations(AccountStore accounts, AccountLinks links)
{
    /// <summary>Invites <paramref name="email"/> with <paramref name="roles"/> on behalf of the account <paramref name="inviterId"/>.</summary>
    public async Task<InvitationResult> InviteAsync(Guid inviterId, string? email, string? name, IReadOnlyCollection<Role> roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var inviter = await accounts.FindAsync(inviterId, cancellationToken);
        if (InvitationRules.Problem(inviter?.Roles ?? new HashSet<Role>(), roles) is { } problem)
        {
            return new InvitationResult(null, new Dictionary<string, string>(StringComparer.Ordinal) { ["roles"] = problem });
        }

        var created = await accounts.CreateAsync(email, name, password: null, roles, cancellationToken);
        if (created.Account is not { } account)
        {
            return new InvitationResult(null, created.Errors);
        }

        await links.IssueInvitationAsync(account, inviter!, cancellationToken);
        return new InvitationResult(account, created.Errors);
    }
}
