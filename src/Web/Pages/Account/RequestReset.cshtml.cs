using LearnHub.Silo.Accounts;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Pages.Account;

/// <summary>Asks for a password-reset link; the answer is the same whether or not the address has an account.</summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.SignInLimit)]
public sealed class RequestResetModel(LinkRequests links) : SameAnswerRequest
{
    /// <inheritdoc />
    protected override string Answer => SignInModel.LinkSent;

    /// <inheritdoc />
    protected override void Enqueue(string? email) => links.Enqueue(email, AccountLinkPurpose.PasswordReset);
}
