namespace LearnHub.Grains.Accounts;

/// <summary>What password sign-in is throttled by.</summary>
public enum ThrottleKind
{
    /// <summary>The email as typed (normalized), whether or not an account has it: throttling only real accounts would tell which exist.</summary>
    Email,

    /// <summary>The client's address (as the trusted proxy reports it): one source guessing across many emails.</summary>
    Address,
}

/// <summary>One throttled key's state: failures in a row, when the last one was, and until when attempts wait.</summary>
public sealed record ThrottleState(int Failures, DateTimeOffset LastFailure, DateTimeOffset? WaitUntil)
{
    /// <summary>True while attempts under this key are refused without checking the password.</summary>
    public bool Waits(DateTimeOffset now) => WaitUntil is { } until && now < until;
}

/// <summary>
/// Progressive delays instead of a lockout. The first <see cref="FreeFailures"/> failures cost nothing; each one after
/// that makes the next attempt wait twice as long, from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>. A guesser
/// is slowed to a few attempts an hour, while the person whose email is being guessed is never locked out: the wait is
/// bounded, and the emailed sign-in link is never throttled (it proves the mailbox, and clears the email's count).
/// Failures older than <see cref="ForgetAfter"/> are forgotten.
/// </summary>
public sealed record SignInThrottlePolicy(int FreeFailures, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan ForgetAfter)
{
    /// <summary>Per typed email: five tries, then 30 s, 1 min, 2 min … at most 15 min between attempts.</summary>
    public static SignInThrottlePolicy PerEmail { get; } = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15), TimeSpan.FromHours(24));

    /// <summary>
    /// Per client address: twenty failures an hour before any wait, enough for a whole office behind one NAT making
    /// typos, and far too few for guessing across many accounts.
    /// </summary>
    public static SignInThrottlePolicy PerAddress { get; } = new(20, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1));

    /// <summary>The policy of a kind of key.</summary>
    public static SignInThrottlePolicy For(ThrottleKind kind) => kind == ThrottleKind.Email ? PerEmail : PerAddress;

    /// <summary>How long the next attempt waits after <paramref name="failures"/> failures in a row.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures < FreeFailures)
        {
            return TimeSpan.Zero;
        }

        // Capped before doubling, so a long run of failures cannot overflow the multiplication.
        var doublings = Math.Min(failures - FreeFailures, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay > MaxDelay ? MaxDelay : delay;
    }

    /// <summary>The state after one more failure at <paramref name="now"/> (from no state, or a forgotten one, it is the first).</summary>
    public ThrottleState AfterFailure(ThrottleState? state, DateTimeOffset now)
    {
        var failures = state is null || now - state.LastFailure >= ForgetAfter ? 1 : state.Failures + 1;
        var delay = DelayAfter(failures);
        return new ThrottleState(failures, now, delay > TimeSpan.Zero ? now + delay : null);
    }
}
