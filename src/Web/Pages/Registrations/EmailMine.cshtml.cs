using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Registrations;

/// <summary>
/// "Email me my registrations": the way back to lost manage links. The answer is the same whether or not the address
/// has registrations, and the work is done after it has been sent (as for sign-in links), so neither the page nor its
/// timing tells. Throttled per client by the sign-in limit and per address by the outbox key (one list per window).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
// No antiforgery token: the form sits on the catalog and session pages, which must be the same for every visitor to be
// cached; a forged post can only make an address's own list go to that same address, once per window.
[IgnoreAntiforgeryToken]
public sealed class EmailMineModel(LinkRequests requests) : SameAnswerRequest
{
    /// <summary>The one answer to every request.</summary>
    public const string Sent = "If that address has registrations, we have emailed it a list of them with their private manage links. It can take a minute or two to arrive.";

    /// <inheritdoc />
    protected override string Answer => Sent;

    /// <inheritdoc />
    protected override void Enqueue(string? email) => requests.EnqueueRegistrationList(email);
}
