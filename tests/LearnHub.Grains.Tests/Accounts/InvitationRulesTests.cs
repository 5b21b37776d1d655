using LearnHub.Grains.Accounts;

namespace LearnHub.Grains.Tests.Accounts;

public class InvitationRulesTests
{
    private static readonly IReadOnlySet<Role> Coordinator = new HashSet<Role> { Role.Coordinator };

    [Fact]
    public void ACoordinator_InvitesMentorsAndLearners()
    {
        Assert.Null(InvitationRules.Problem(Coordinator, [Role.Mentor]));
        Assert.Null(InvitationRules.Problem(Coordinator, [Role.Learner, Role.Mentor]));
    }

    [Theory]
    [InlineData(Role.Coordinator)]
    [InlineData(Role.Organizer)]
    [InlineData(Role.Admin)]
    public void ACoordinator_CannotGiveAnyOtherRole(Role role)
    {
        Assert.StartsWith($"You cannot give the {role} role", InvitationRules.Problem(Coordinator, [Role.Mentor, role]), StringComparison.Ordinal);
    }

    [Fact]
    public void ACoordinatorsInvitation_NamesARole()
    {
        Assert.Equal("Choose a role: Mentor or Learner.", InvitationRules.Problem(Coordinator, []));
    }

    [Fact]
    public void AnAdmin_GivesAnyRole_AndOthersInviteNobody()
    {
        Assert.Null(InvitationRules.Problem(new HashSet<Role> { Role.Admin }, Enum.GetValues<Role>()));
        Assert.Equal("Only admins and mentoring coordinators invite people.", InvitationRules.Problem(new HashSet<Role> { Role.Mentor, Role.Organizer }, [Role.Learner]));
    }
}
