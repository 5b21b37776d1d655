using LearnHub.Grains.Accounts;

namespace LearnHub.Grains.Tests.Accounts;

public class SignInThrottlePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ThrottleState Fail(SignInThrottlePolicy policy, int times, DateTimeOffset at)
    {
        ThrottleState? state = null;
        for (var i = 0; i < times; i++)
        {
            state = policy.AfterFailure(state, at);
        }

        return state!;
    }

    [Fact]
    public void PerEmail_FiveFailuresAreFree_ThenEachWaitDoubles_UpToFifteenMinutes()
    {
        var policy = SignInThrottlePolicy.PerEmail;

        var delays = Enumerable.Range(1, 12).Select(policy.DelayAfter).ToList();

        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
             TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)],
            delays);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.DelayAfter(int.MaxValue));
    }

    [Fact]
    public void AfterFailure_MakesTheNextAttemptWait_OnlyOnceTheFreeFailuresAreUsed()
    {
        var fourth = Fail(SignInThrottlePolicy.PerEmail, 4, Now);
        var fifth = SignInThrottlePolicy.PerEmail.AfterFailure(fourth, Now);

        Assert.False(fourth.Waits(Now));
        Assert.True(fifth.Waits(Now.AddSeconds(29)));
        Assert.False(fifth.Waits(Now.AddSeconds(30)));
    }

    [Fact]
    public void AfterFailure_StartsCountingAfresh_OnceTheFailuresAreForgotten()
    {
        var policy = SignInThrottlePolicy.PerAddress;
        var many = Fail(policy, 25, Now);

        var muchLater = policy.AfterFailure(many, Now + policy.ForgetAfter);

        Assert.Equal(1, muchLater.Failures);
        Assert.Null(muchLater.WaitUntil);
    }

    [Fact]
    public void PerAddress_AllowsAnOfficesTyposBeforeAnyWait()
    {
        Assert.False(Fail(SignInThrottlePolicy.PerAddress, 19, Now).Waits(Now));
        Assert.True(Fail(SignInThrottlePolicy.PerAddress, 20, Now).Waits(Now));
    }
}
