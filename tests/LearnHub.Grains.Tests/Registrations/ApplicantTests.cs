using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Tests.Registrations;

public class ApplicantTests
{
    [Fact]
    public void Validate_AcceptsACompleteApplicant_AndTrimsIt()
    {
        var result = Applicant.Validate(" Ann Lee ", " Ann.Lee@Example.org ", "County DCF", "Caseworker", "America/Chicago", " ASL interpreter ");

        Assert.True(result.IsValid);
        Assert.Equal("Ann Lee", result.Applicant!.Name);
        Assert.Equal("Ann.Lee@Example.org", result.Applicant.Email);
        Assert.Equal("ann.lee@example.org", result.Applicant.NormalizedEmail);
        Assert.Equal("ASL interpreter", result.Applicant.Accommodations);
    }

    [Theory]
    [InlineData(null, "email", "Enter your email address.")]
    [InlineData("", "email", "Enter your email address.")]
    [InlineData("not-an-email", "email", "Enter an email address in the form name@example.org.")]
    [InlineData("ann@localhost", "email", "Enter an email address in the form name@example.org.")]
    [InlineData("Ann <ann@example.org>", "email", "Enter an email address in the form name@example.org.")]
    [InlineData("a@b@example.org", "email", "Enter an email address in the form name@example.org.")]
    public void Validate_RefusesBadEmails_WithASentencePeopleCanActOn(string? email, string field, string message)
    {
        var result = Applicant.Validate("Ann", email, "DCF", "Caseworker", "UTC", null);

        Assert.False(result.IsValid);
        Assert.Equal(message, result.Errors[field]);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Eastern Standard Time")]
    [InlineData("")]
    public void Validate_RefusesTimeZones_ThatAreNotIanaIds(string zone)
    {
        var result = Applicant.Validate("Ann", "ann@example.org", "DCF", "Caseworker", zone, null);

        Assert.True(result.Errors.ContainsKey("timeZone"));
    }

    [Fact]
    public void Validate_RefusesOverLongFields_NamingTheLimit()
    {
        var result = Applicant.Validate(new string('x', 201), "ann@example.org", "DCF", "Caseworker", "UTC", new string('y', 1001));

        Assert.Equal("Your name is too long (at most 200 characters).", result.Errors["name"]);
        Assert.Equal("The accommodation request is too long (at most 1000 characters).", result.Errors["accommodations"]);
    }

    [Fact]
    public void Validate_ReportsEveryMissingField_AtOnce()
    {
        var result = Applicant.Validate(null, null, null, null, null, null);

        Assert.Equal(["agency", "email", "jobRole", "name", "timeZone"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
