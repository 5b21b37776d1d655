using LearnHub.Grains.Accounts;

namespace LearnHub.Grains.Tests.Accounts;

public class AccountTests
{
    private static Account NewAccount() => new(Guid.NewGuid(), "ann@example.org", "Ann", "hash", [Role.Learner]);

    [Fact]
    public void SessionsEndOnSave_AfterANewPasswordOrOtherRoles_AndOnlyThen()
    {
        var untouched = NewAccount();
        var newPassword = NewAccount();
        newPassword.SetPasswordHash("another hash");
        var granted = NewAccount();
        granted.Grant(Role.Mentor);
        var grantedAndRevoked = NewAccount();
        grantedAndRevoked.Grant(Role.Mentor);
        grantedAndRevoked.Revoke(Role.Mentor);

        Assert.Null(untouched.SessionsEndOnSave);
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
