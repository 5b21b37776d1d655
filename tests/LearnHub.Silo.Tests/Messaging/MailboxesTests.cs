using LearnHub.Silo.Messaging;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>The one address rule the settings, the composer and the transport share.</summary>
public sealed class MailboxesTests
{
    [Theory]
    [InlineData("robin@example.org")]
    [InlineData("robin.ellis+webinars@mail.example.org")]
    public void IsBareAddress_AcceptsAPlainAddress(string address) => Assert.True(Mailboxes.IsBareAddress(address));

    [Theory]
    [InlineData("robin@example.org\r\nBcc: all@example.org")]
    [InlineData("robin@example.org\nBcc: all@example.org")]
    [InlineData("Robin <robin@example.org>")]
    [InlineData("robin@example.org, all@example.org")]
    [InlineData("robin@example.org (Robin)")]
    [InlineData("robin")]
    [InlineData("robin @example.org")]
    [InlineData("")]
    public void IsBareAddress_RefusesAnythingButOneBareAddress(string value) => Assert.False(Mailboxes.IsBareAddress(value));

    [Fact]
    public void TryParse_ReadsTheFromSetting_WithItsDisplayName()
    {
        Assert.True(Mailboxes.TryParse("LearnHub Training <training@learnhub.example>", out var from));
        Assert.Equal(("LearnHub Training", "training@learnhub.example", "learnhub.example"), (from.Name, from.Address, from.Domain));
    }

    [Theory]
    [InlineData("not an address\r\nBcc: x@y")]
    [InlineData("LearnHub <no-reply@learnhub.local>, other@example.org")]
    [InlineData("LearnHub")]
    public void TryParse_RefusesWhatCannotBeOneFromAddress(string value) => Assert.False(Mailboxes.TryParse(value, out _));
}
