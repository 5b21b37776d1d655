using LearnHub.Grains;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Tests.Registrations;

public class RegistrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Cancel_RefusesToPromote_ARegistrationThatIsNotWaiting()
    {
        var roster = new SessionRoster(Guid.NewGuid(), 3, Now.AddDays(1), false, 0, 0, 0, null, 0);
        var applicant = Applicant.Validate("Ann", "a@example.org", "DCF", "Caseworker", "UTC", null).Applicant!;
        var seated = roster.Admit(applicant, null, new RegistrationGroup(Guid.NewGuid(), "s"), Guid.NewGuid(), Now).Registration!;
        var alsoSeated = roster.Admit(applicant with { }, null, new RegistrationGroup(Guid.NewGuid(), "s"), Guid.NewGuid(), Now).Registration!;

        // A confirmed registration handed over as "first waiting" is a caller bug, not an outcome.
        var error = Assert.Throws<DomainException>(() => roster.Cancel(alsoSeated, seated, Now));

        Assert.Contains("not waiting", error.Message, StringComparison.Ordinal);
    }
}
