using LearnHub.Grains.Accounts;

namespace LearnHub.Grains.Tests.Accounts;

public class AccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static Account NewAccount() => new(Guid.NewGuid(), "ann@example.org", "Ann", "hash", [Role.Learner]);

    [Fact]
    public void RecordSignIn_LocksTheAccount_AfterFiveFailures_AndRefusesEvenTheRightPassword()
    {
        var account = NewAccount();

        var outcomes = Enumerable.Range(0, Account.MaxFailures).Select(_ => account.RecordSignIn(false, Now)).ToList();

        Assert.Equal([SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.LockedOut], outcomes);
        Assert.Equal(SignInOutcome.LockedOut, account.RecordSignIn(true, Now.AddMinutes(14)));
        Assert.Equal(SignInOutcome.Succeeded, account.RecordSignIn(true, Now + Account.LockoutDuration));
    }

    [Fact]
    public void RecordSignIn_ASuccess_ClearsTheFailureCount()
    {
        var account = NewAccount();
        account.RecordSignIn(false, Now);
        account.RecordSignIn(false, Now);

        account.RecordSignIn(true, Now);

        Assert.Equal(0, account.FailedSignIns);
    }

    [Fact]
    public void SessionsEndOnSave_AfterANewPasswordOrOtherRoles_AndNotAfterAFailedAttempt()
    {
        var failed = NewAccount();
        failed.RecordSignIn(false, Now);
        var newPassword = NewAccount();
        newPassword.SetPasswordHash("another hash");
        var granted = NewAccount();
        granted.Grant(Role.Mentor);
        var grantedAndRevoked = NewAccount();
        grantedAndRevoked.Grant(Role.Mentor);
        grantedAndRevoked.Revoke(Role.Mentor);

        Assert.Null(failed.SessionsEndOnSave);
        Assert.Equal(SessionEndReason.PasswordChanged, newPassword.SessionsEndOnSave);
        Assert.Equal(SessionEndReason.RolesChanged, granted.SessionsEndOnSave);
        Assert.Null(grantedAndRevoked.SessionsEndOnSave);
    }

    [Fact]
    public void GrantAndRevoke_SayWhetherAnythingChanged()
    {
        var account = NewAccount();

        Assert.True(account.Grant(Role.Organizer));
        Assert.False(account.Grant(Role.Organizer));
        Assert.True(account.Revoke(Role.Learner));
        Assert.False(account.Revoke(Role.Learner));
        Assert.Equal([Role.Organizer], account.Roles);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("password1234")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("annalee-annalee-2026")]
    public void PasswordPolicy_RefusesWeakPasswords_WithAReason(string password)
    {
        Assert.NotEmpty(PasswordPolicy.Problems(password, "annalee@example.org"));
    }

    [Fact]
    public void PasswordPolicy_AcceptsALongUnrelatedPassphrase()
    {
        Assert.Empty(PasswordPolicy.Problems("correct horse battery staple", "annalee@example.org"));
    }
}
