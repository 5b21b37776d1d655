using System.Security.Claims;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

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

    /// <summary>The claim naming the server-side session a cookie belongs to (<see cref="SignInSessions"/>).</summary>
    public const string SessionClaim = "lh_session";

    /// <summary>The claims a signed-in account carries in the session <paramref name="sessionId"/>.</summary>
    public static ClaimsPrincipal Principal(Account account, string sessionId, string scheme)
    {
        ArgumentNullException.ThrowIfNull(account);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Email, account.Email),
            new(ClaimTypes.Name, account.DisplayName),
            new(SessionClaim, sessionId),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToWire())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>
    /// Starts a server-side session and issues the sign-in cookie naming it (every way of signing in ends here). A
    /// cookie made any other way names no session and is refused on its first request.
    /// </summary>
    public static async Task SignInAsync(this HttpContext context, Account account)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(account);
        var session = await context.RequestServices.GetRequiredService<SignInSessions>()
            .StartAsync(account.Id, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
        await AuthenticationHttpContextExtensions.SignInAsync(context, CookieAuthenticationDefaults.AuthenticationScheme,
            Principal(account, session, CookieAuthenticationDefaults.AuthenticationScheme));
        // A language chosen before (on another device, or by registering in it) follows the person here.
        var preferences = await context.RequestServices.GetRequiredService<IGrainFactory>()
            .GetGrain<LearnHub.Grains.Learners.ILearnerGrain>(LearnHub.Grains.Registrations.Applicant.NormalizeEmail(account.Email)).PreferencesAsync();
        if (Localization.Languages.Find(preferences.Language) is { } language)
        {
            Localization.Languages.Remember(context.Response, language, context.RequestServices.GetRequiredService<LearnHub.Grains.Time.LearnHubClock>().GetUtcNow(),
                context.Request.IsHttps);
        }
    }

    /// <summary>The session id the signed-in person's cookie names, or null.</summary>
    public static string? SessionId(this ClaimsPrincipal user) => user?.FindFirstValue(SessionClaim);
}

/// <summary>LearnHub:RateLimits — requests per minute and client address.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts. LearnHub:RateLimits:SignInPerMinute.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Public registrations. LearnHub:RateLimits:RegistrationsPerMinute.</summary>
    public int RegistrationsPerMinute { get; set; } = 60;
}
