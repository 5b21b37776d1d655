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

    [Theory]
    [InlineData("jo.smith1990@example.org", "Smith-family-horses")]
    [InlineData("jo.smith1990@example.org", "horses since 1990!")]
    [InlineData("jo.smith1990@example.org", "my JO.SMITH1990 passphrase")]
    [InlineData("maya.mentor@example.org", "mentoring is my thing")]
    [InlineData("ann@example.org", "ANN and her battery")]
    public void PasswordPolicy_RefusesAPasswordContainingAPartOfTheEmailsName_IgnoringCase(string email, string password)
    {
        Assert.Contains(PasswordPolicy.Problems(password, email), p => p.StartsWith("Leave your email's name out", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jo.smith@example.org", "join the horse battery")] // "jo" is shorter than a name part
    [InlineData("jo.smith@example.org", "correct horse battery staple")]
    [InlineData("example@smith.org", "correct smith battery staple")] // the domain is not the name
    public void PasswordPolicy_AcceptsAPassword_WithoutAPartOfTheEmailsName(string email, string password)
    {
        Assert.Empty(PasswordPolicy.Problems(password, email));
    }

    [Fact]
    public void NameParts_AreTheLocalNameAndItsRunsOfLettersOrDigits_OfThreeOrMore()
    {
        Assert.Equal(["jo.smith1990+work", "smith", "1990", "work"], PasswordPolicy.NameParts("jo.smith1990+work@example.org"));
        Assert.Empty(PasswordPolicy.NameParts("jo@example.org"));
    }
}
