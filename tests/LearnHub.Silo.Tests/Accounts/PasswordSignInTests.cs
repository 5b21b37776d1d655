using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Accounts;

/// <summary>Password guessing slows down by email and by address, the same for emails with and without an account.</summary>
[Collection(DatabaseCollection.Name)]
public class PasswordSignInTests(DatabaseFixture fixture)
{
    private const string Password = "correct horse battery staple";
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private async Task<(PasswordSignIn SignIn, SignInThrottle Throttle)> WorldAsync(DatabaseProvider provider, params string[] accounts)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var store = new AccountStore(database, _clock);
        foreach (var email in accounts)
        {
            await store.CreateAsync(email, "Ann", Password, [Role.Learner], default);
        }

        var throttle = new SignInThrottle(database, _clock);
        return (new PasswordSignIn(store, throttle), throttle);
    }

    private static async Task<List<SignInAttempt>> WrongPasswordsAsync(PasswordSignIn signIn, string email, string address, int times)
    {
        var attempts = new List<SignInAttempt>();
        for (var i = 0; i < times; i++)
        {
            attempts.Add(await signIn.AttemptAsync(email, "not the password", address, default));
        }

        return attempts;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnEmailWithoutAnAccount_IsThrottledExactlyLikeOneWithAnAccount(DatabaseProvider provider)
    {
        var (signIn, _) = await WorldAsync(provider, "ann@example.org");

        var known = await WrongPasswordsAsync(signIn, "ann@example.org", "198.51.100.1", 6);
        var unknown = await WrongPasswordsAsync(signIn, "nobody@example.org", "198.51.100.2", 6);

        Assert.Equal([.. Enumerable.Repeat(SignInOutcome.Failed, 5), SignInOutcome.Throttled], known.Select(a => a.Outcome));
        Assert.Equal(known, unknown);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), known[^1].WaitUntil);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheRightPassword_WaitsToo_ThenWorks_AndClearsTheEmailsCount(DatabaseProvider provider)
    {
        var (signIn, throttle) = await WorldAsync(provider, "ann@example.org");
        await WrongPasswordsAsync(signIn, "ann@example.org", "198.51.100.1", 5);

        var whileWaiting = await signIn.AttemptAsync("ann@example.org", Password, "198.51.100.1", default);
        _clock.Advance(SignInThrottlePolicy.PerEmail.FirstDelay);
        var afterTheWait = await signIn.AttemptAsync("ann@example.org", Password, "198.51.100.1", default);

        Assert.Equal(SignInOutcome.Throttled, whileWaiting.Outcome);
        Assert.Null(whileWaiting.Account);
        Assert.Equal(SignInOutcome.Succeeded, afterTheWait.Outcome);
        Assert.DoesNotContain(await throttle.ListAsync(10, default), s => s.Kind == ThrottleKind.Email);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task OneAddressGuessingAcrossManyEmails_IsSlowed_WhileOthersAreNot(DatabaseProvider provider)
    {
        var (signIn, throttle) = await WorldAsync(provider, "ann@example.org");
        for (var i = 0; i < SignInThrottlePolicy.PerAddress.FreeFailures; i++)
        {
            await signIn.AttemptAsync($"person{i}@example.org", "a guess", "203.0.113.66", default);
        }

        var fromTheGuesser = await signIn.AttemptAsync("ann@example.org", Password, "203.0.113.66", default);
        var fromElsewhere = await signIn.AttemptAsync("ann@example.org", Password, "198.51.100.1", default);

        Assert.Equal(SignInOutcome.Throttled, fromTheGuesser.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, fromElsewhere.Outcome);
        var address = Assert.Single(await throttle.ListAsync(100, default), s => s.Kind == ThrottleKind.Address);
        Assert.Equal(("203.0.113.66", 20), (address.Subject, address.Failures));
    }
}
