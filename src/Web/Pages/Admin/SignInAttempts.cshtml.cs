using LearnHub.Grains.Accounts;
using LearnHub.Grains.Time;
using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Admin;

/// <summary>
/// Failed password sign-ins by typed email and by client address, the latest first, with the waits they caused: where
/// guessing is going on, and against whom. Emails without an account appear too (they are throttled the same way).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class SignInAttemptsModel(SignInThrottle throttle, LearnHubClock clock) : PageModel
{
    /// <summary>The emails and addresses with failures in the last two days.</summary>
    public IReadOnlyList<ThrottledSubject> Subjects { get; private set; } = [];

    /// <summary>When the page was made, to tell a running wait from one that has ended.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Lists them.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Subjects = await throttle.ListAsync(500, cancellationToken);
    }

    /// <summary>"Typed email" or "Client address" (English: the page translates it).</summary>
    public static string Describe(ThrottleKind kind) => kind == ThrottleKind.Email ? "Typed email" : "Client address";
}
