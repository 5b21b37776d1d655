namespace LearnHub.Grains.Accounts;

/// <summary>What a person may do; one person can hold several roles.</summary>
public enum Role
{
    /// <summary>Agency staff taking training.</summary>
    Learner,

    /// <summary>A peer mentor with assigned mentees.</summary>
    Mentor,

    /// <summary>Runs the mentoring programme.</summary>
    Coordinator,

    /// <summary>Publishes series, sessions, recordings and handouts.</summary>
    Organizer,

    /// <summary>Accounts, roles, mail and background jobs.</summary>
    Admin,
}

/// <summary>How roles are written in storage and claims.</summary>
public static class Roles
{
    /// <summary>The stable wire name of a role.</summary>
    public static string ToWire(this Role role) => role.ToString().ToLowerInvariant();

    /// <summary>Reads a wire name (any case); false for an unknown role.</summary>
    public static bool TryParse(string? value, out Role role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role);
}

/// <summary>What a password sign-in attempt came to; the same for an address with or without an account.</summary>
public enum SignInOutcome
{
    /// <summary>Signed in.</summary>
    Succeeded,

    /// <summary>Wrong email or password.</summary>
    Failed,

    /// <summary>Too many failures for this email or from this address: the password was not even checked; wait, or use an emailed link.</summary>
    Throttled,
}

/// <summary>Why a server-side sign-in session ended; every cookie naming it is refused from then on.</summary>
public enum SessionEndReason
{
    /// <summary>The person signed out in that browser.</summary>
    SignedOut,

    /// <summary>The person signed out of every browser at once.</summary>
    SignedOutEverywhere,

    /// <summary>An admin signed the person out everywhere.</summary>
    EndedByAdmin,

    /// <summary>The password changed: whoever knew the old one must not stay signed in.</summary>
    PasswordChanged,

    /// <summary>The roles changed: a cookie carries the roles it was issued with.</summary>
    RolesChanged,
}

/// <summary>
/// A person's account: identity, password hash and roles. Password guessing is throttled per typed email and per client
/// address (<see cref="SignInThrottlePolicy"/>), never per account: an address without an account must behave the same.
/// </summary>
public sealed class Account
{
    private readonly HashSet<Role> _roles;

    // As stored when this state was read: a save that changes either ends the sessions signed in before.
    private readonly string? _storedPasswordHash;
    private readonly HashSet<Role> _storedRoles;

    /// <summary>Rebuilds an account from storage or creates a new one.</summary>
    public Account(Guid id, string email, string displayName, string? passwordHash, IEnumerable<Role> roles, long version = 0)
    {
        Id = id;
        Email = email;
        DisplayName = displayName;
        PasswordHash = passwordHash;
        _roles = [.. roles];
        _storedPasswordHash = passwordHash;
        _storedRoles = [.. _roles];
        Version = version;
    }

    /// <summary>The account's id.</summary>
    public Guid Id { get; }

    /// <summary>The email as given.</summary>
    public string Email { get; }

    /// <summary>The key that identifies the person (the same normalization as registrations).</summary>
    public string NormalizedEmail => Registrations.Applicant.NormalizeEmail(Email);

    /// <summary>The name shown to others.</summary>
    public string DisplayName { get; }

    /// <summary>The password hash (ASP.NET Core Identity's format), or null for link-only sign-in.</summary>
    public string? PasswordHash { get; private set; }

    /// <summary>The roles held.</summary>
    public IReadOnlySet<Role> Roles => _roles;

    /// <summary>The stored version this state was read at.</summary>
    public long Version { get; }

    /// <summary>
    /// Why saving this state must end every session signed in before it, or null when it need not: a new password
    /// (whoever used the old one is out) or other roles (a cookie carries the roles it was issued with).
    /// </summary>
    public SessionEndReason? SessionsEndOnSave =>
        PasswordHash != _storedPasswordHash ? SessionEndReason.PasswordChanged
        : !_roles.SetEquals(_storedRoles) ? SessionEndReason.RolesChanged
        : null;

    /// <summary>Sets a new password hash (the policy was checked on the plain password).</summary>
    public void SetPasswordHash(string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        PasswordHash = hash;
    }

    /// <summary>Grants a role; false when it was held already.</summary>
    public bool Grant(Role role) => _roles.Add(role);

    /// <summary>Revokes a role; false when it was not held.</summary>
    public bool Revoke(Role role) => _roles.Remove(role);
}

/// <summary>The stated password policy: long rather than clever, and not guessable from the account itself.</summary>
public static class PasswordPolicy
{
    /// <summary>The shortest accepted password.</summary>
    public const int MinLength = 12;

    /// <summary>The longest accepted password (hashing cost stays bounded).</summary>
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password1234", "passwordpassword", "123456789012", "qwertyuiopas", "letmein12345", "welcome12345",
        "iloveyou1234", "administrator", "changeme1234", "learnhub1234",
    };

    /// <summary>The sentences that say what is wrong with a password; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> Problems(string? password, string email)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            problems.Add($"Use at least {MinLength} characters; a few unrelated words make a strong password.");
            return problems;
        }

        if (password.Length > MaxLength)
        {
            problems.Add($"Use at most {MaxLength} characters.");
        }

        if (Common.Contains(password) || password.Distinct().Count() < 4)
        {
            problems.Add("This password is too easy to guess: avoid common passwords and repeated characters.");
        }

        if (NameParts(email).FirstOrDefault(part => password.Contains(part, StringComparison.OrdinalIgnoreCase)) is { } found)
        {
            problems.Add($"Leave your email's name out of the password (it contains \"{found}\"): whoever knows your address would try it first.");
        }

        return problems;
    }

    /// <summary>Shortest part of an email's name that a password may not contain: two letters (initials) are too common to refuse.</summary>
    public const int MinNamePart = 3;

    /// <summary>
    /// The parts of an email's local name ("jo.smith1990+work" → jo.smith1990+work, smith, 1990, work) that a password
    /// must not contain, ignoring case: the whole local name and each run of letters or of digits of at least
    /// <see cref="MinNamePart"/> characters. Letters and digits are split because "smith" is guessed as readily as
    /// "smith1990"; runs shorter than three are left out, or "jo" would refuse every password with "jo" in it.
    /// </summary>
    public static IReadOnlyList<string> NameParts(string? email)
    {
        var local = (email ?? "").Split('@')[0];
        var parts = new List<string>();
        if (local.Length >= MinNamePart)
        {
            parts.Add(local);
        }

        var start = 0;
        for (var i = 1; i <= local.Length; i++)
        {
            var boundary = i == local.Length || Kind(local[i]) != Kind(local[i - 1]);
            if (!boundary)
            {
                continue;
            }

            if (Kind(local[start]) != 0 && i - start >= MinNamePart)
            {
                parts.Add(local[start..i]);
            }

            start = i;
        }

        return parts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    // 1 for a letter, 2 for a digit, 0 for anything else (a separator).
    private static int Kind(char c) => char.IsLetter(c) ? 1 : char.IsDigit(c) ? 2 : 0;
}
