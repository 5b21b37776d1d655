using LearnHub.Grains.Time;
using System.Security.Claims;
using LearnHub.Silo.Evaluations;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Evaluations;

/// <summary>A signed-in person's evaluations: those still to answer first, then those answered.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(EvaluationStore store, LearnHubClock clock) : PageModel
{
    /// <summary>Every invitation of the account's email address.</summary>
    public IReadOnlyList<EvaluationInvitationView> Invitations { get; private set; } = [];

    /// <summary>The instant the page is rendered for: a survey of a session still running opens later.</summary>
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    /// <summary>Lists them.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var email = User.FindFirstValue(ClaimTypes.Email);
        Invitations = email is null ? [] : await store.ForEmailAsync(email, cancellationToken);
    }
}
