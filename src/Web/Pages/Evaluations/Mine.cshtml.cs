using LearnHub.Grains.Time;
using System.Security.Claims;
using LearnHub.Silo.Evaluations;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace LearnHub.Web.Pages.Evaluations;

/// <summary>
/// The same survey for a signed-in person, reached from their list: it opens only an invitation of a registration made
/// with the account's own email address.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class MineModel(EvaluationStore store, LearnHubClock clock) : SurveyPageModel(store, clock)
{
    private readonly EvaluationStore _store = store;

    /// <inheritdoc />
    protected override async Task<EvaluationInvitationView?> ResolveAsync(CancellationToken cancellationToken)
    {
        var email = User.FindFirstValue(ClaimTypes.Email);
        if (email is null || !Guid.TryParse(RouteData.Values["sessionId"] as string, out var sessionId))
        {
            return null;
        }

        // One invitation per registration; should the person have two for the session, the open one is the one to answer.
        return (await _store.ForEmailAsync(email, cancellationToken))
            .Where(i => i.SessionId == sessionId)
            .OrderBy(i => i.Completed)
            .FirstOrDefault();
    }
}
