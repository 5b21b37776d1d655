using LearnHub.Grains.Time;
using LearnHub.Silo.Evaluations;
using Microsoft.AspNetCore.Authorization;

namespace LearnHub.Web.Pages.Evaluations;

/// <summary>The survey behind the private link emailed to an attendee; the token is the only credential.</summary>
[AllowAnonymous]
public sealed class SurveyModel(EvaluationStore store, LearnHubClock clock) : SurveyPageModel(store, clock)
{
    private readonly EvaluationStore _store = store;

    /// <inheritdoc />
    protected override Task<EvaluationInvitationView?> ResolveAsync(CancellationToken cancellationToken) =>
        _store.FindByTokenAsync(RouteData.Values["token"] as string, cancellationToken);
}
