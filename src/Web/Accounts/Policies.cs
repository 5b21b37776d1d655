using System.Security.Claims;
using LearnHub.Grains.Accounts;

namespace LearnHub.Web.Accounts;

/// <summary>The authorization policies every protected page and endpoint names.</summary>
public static class Policies
{
    /// <summary>Admins only.</summary>
    public const string Admin = "admin";

    /// <summary>Organizers (and admins).</summary>
    public const string Organizer = "organizer";

    /// <summary>Mentoring coordinators (and admins).</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Mentors: their own mentees only, checked per object on every page.</summary>
    public const string Mentor = "mentor";

    /// <summary>Anyone signed in.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>The rate-limiter policy for sign-in attempts.</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>The rate-limiter policy for public registration.</summary>
    public const string RegistrationLimit = "registration";

    /// <summary>The signed-in person's account id, or null.</summary>
    public static Guid? AccountId(this ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The claims a signed-in account carries.</summary>
    public static ClaimsPrincipal Principal(Account account, string scheme)
    {
        ArgumentNullException.ThrowIfNull(account);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Email, account.Email),
            new(ClaimTypes.Name, account.DisplayName),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToWire())));
        claims.Add(new Claim(StampClaim, Stamp(account)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>Issues the sign-in cookie for an account (every way of signing in ends here).</summary>
    public static Task SignInAsync(this HttpContext context, Account account) =>
        Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignInAsync(context,
            Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme,
            Principal(account, Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>The claim that ties a cookie to the account's roles and password as they were at sign-in.</summary>
    public const string StampClaim = "lh_stamp";

    /// <summary>
    /// A digest of what a sign-in vouches for: the roles and the password hash. When either changes (a role revoked, a
    /// password reset), cookies issued before no longer match and are refused on their next request.
    /// </summary>
    public static string Stamp(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var material = $"{account.PasswordHash}|{string.Join(",", account.Roles.Order())}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material)))[..32];
    }
}

/// <summary>LearnHub:RateLimits — requests per minute and client address.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts. LearnHub:RateLimits:SignInPerMinute.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Public registrations. LearnHub:RateLimits:RegistrationsPerMinute.</summary>
    public int RegistrationsPerMinute { get; set; } = 60;
}
