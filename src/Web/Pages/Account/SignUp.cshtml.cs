using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>
/// Self sign-up: emails a link that proves the address (a sign-in link when it has an account already). The answer is
/// the same either way and the work is done after it has been sent, as for sign-in links.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class SignUpModel(LinkRequests links) : SameAnswerRequest
{
    /// <summary>The one answer to every request.</summary>
    public const string Sent = "We have emailed that address a link to create your account (or, if it has one already, to sign in). It works once and expires in 24 hours.";

    /// <inheritdoc />
    protected override string Answer => Sent;

    /// <inheritdoc />
    protected override void Enqueue(string? email) => links.EnqueueSignUp(email);
}
