namespace LearnHub.Grains.Accounts;

/// <summary>
/// Who may invite people with which roles. An admin grants any role. A mentoring coordinator runs their programme
/// without an admin, so they invite the mentors and new staff they assign — Mentor and Learner, nothing more: a
/// coordinator who could grant Coordinator, Organizer or Admin could make themselves (or anyone) an admin.
/// </summary>
public static class InvitationRules
{
    /// <summary>The roles a coordinator may give the people they invite.</summary>
    public static readonly IReadOnlySet<Role> CoordinatorGrants = new HashSet<Role> { Role.Mentor, Role.Learner };

    /// <summary>The roles someone holding <paramref name="inviterRoles"/> may give an invited person; empty when they may not invite.</summary>
    public static IReadOnlySet<Role> Grantable(IReadOnlySet<Role> inviterRoles)
    {
        ArgumentNullException.ThrowIfNull(inviterRoles);
        return inviterRoles.Contains(Role.Admin) ? Enum.GetValues<Role>().ToHashSet()
            : inviterRoles.Contains(Role.Coordinator) ? CoordinatorGrants
            : new HashSet<Role>();
    }

    /// <summary>
    /// Why inviting someone with <paramref name="asked"/> is refused, or null when it may go ahead. A coordinator's
    /// invitation names at least one role (an account without one could do nothing they arranged it for).
    /// </summary>
    public static string? Problem(IReadOnlySet<Role> inviterRoles, IReadOnlyCollection<Role> asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var grantable = Grantable(inviterRoles);
        if (grantable.Count == 0)
        {
            return "Only admins and mentoring coordinators invite people.";
        }

        var refused = asked.Where(r => !grantable.Contains(r)).Distinct().Order().ToList();
        if (refused.Count > 0)
        {
            return $"You cannot give the {string.Join(" or ", refused)} role: you invite people as {string.Join(" or ", grantable.Order())} only.";
        }

        return !inviterRoles.Contains(Role.Admin) && asked.Count == 0 ? "Choose a role: Mentor or Learner." : null;
    }

    /// <summary>How a role is named in a sentence to the person holding it ("a peer mentor").</summary>
    public static string Describe(this Role role) => role switch
    {
        Role.Learner => "a learner",
        Role.Mentor => "a peer mentor",
        Role.Coordinator => "a mentoring coordinator",
        Role.Organizer => "an organizer",
        Role.Admin => "an administrator",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };
}
