using LearnHub.Grains.Accounts;

namespace LearnHub.Silo.Accounts;

/// <summary>What a password sign-in attempt came to: the account on success, the end of the wait when throttled.</summary>
public sealed record SignInAttempt(SignInOutcome Outcome, Account? Account = null, DateTimeOffset? WaitUntil = null);

/// <summary>
/// Password sign-in without account enumeration. Every stage does the same work for an email with an account and one
/// without: the throttle read, then (unless waiting) one credential read and one hash verification, then (on failure)
/// the same throttle writes. The answers differ only by what was typed, never by whether an account exists.
/// </summary>
public sealed class PasswordSignIn(AccountStore accounts, SignInThrottle throttle)
{
    /// <summary>Checks the password unless the email or the address must wait, and records a failure against both.</summary>
    public async Task<SignInAttempt> AttemptAsync(string? email, string? password, string? clientAddress, CancellationToken cancellationToken)
    {
        // A waiting attempt is not checked at all: guessing on during the wait cannot reveal a right guess.
        if (await throttle.WaitUntilAsync(email, clientAddress, cancellationToken) is { } until)
        {
            return new SignInAttempt(SignInOutcome.Throttled, WaitUntil: until);
        }

        if (await accounts.CheckPasswordAsync(email, password, cancellationToken) is { } account)
        {
            await throttle.ClearAsync(account.Email, cancellationToken);
            return new SignInAttempt(SignInOutcome.Succeeded, account);
        }

        await throttle.RecordFailureAsync(email, clientAddress, cancellationToken);
        return new SignInAttempt(SignInOutcome.Failed);
    }
}
