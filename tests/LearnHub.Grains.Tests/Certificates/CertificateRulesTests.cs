using LearnHub.Grains.Certificates;

namespace LearnHub.Grains.Tests.Certificates;

/// <summary>When a certificate is due, kept or revoked.</summary>
public sealed class CertificateRulesTests
{
    private static readonly Guid Session = Guid.NewGuid();

    [Theory]
    [InlineData(true, false, false, CertificateAction.Issue)]
    [InlineData(true, true, false, CertificateAction.None)]
    [InlineData(true, true, true, CertificateAction.Issue)]
    [InlineData(false, false, false, CertificateAction.None)]
    [InlineData(false, true, true, CertificateAction.None)]
    public void ASessionCertificate_IsIssuedOnlyForAttendance_AndTheEvaluationWhereRequired(bool attended, bool required, bool completed, CertificateAction expected)
    {
        Assert.Equal(expected, CertificateRules.ForSession(new SessionCompletion(Session, attended, required, completed), holdsLiveCertificate: false).Action);
    }

    [Fact]
    public void AnIssuedCertificate_IsRevokedWithAReason_WhenAttendanceIsTakenBack()
    {
        var decision = CertificateRules.ForSession(new SessionCompletion(Session, false, false, false), holdsLiveCertificate: true);

        Assert.Equal(CertificateAction.Revoke, decision.Action);
        Assert.Contains("no longer recorded as attended", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIssuedCertificate_IsKept_WhenTheRulesStillHold_OrOnlyTheEvaluationRequirementCameLater()
    {
        Assert.Equal(CertificateAction.Keep, CertificateRules.ForSession(new SessionCompletion(Session, true, false, false), true).Action);
        Assert.Equal(CertificateAction.Keep, CertificateRules.ForSession(new SessionCompletion(Session, true, true, false), true).Action);
    }

    [Fact]
    public void ACourse_IsCompleteOnlyWhenEveryRequiredSessionIsCompleted()
    {
        var required = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        var seven = required.Take(7).ToDictionary(id => id, id => new SessionCompletion(id, true, false, false));

        Assert.Equal(new CourseProgress(8, 7), CertificateRules.Progress(required, seven));
        Assert.Equal(CertificateAction.None, CertificateRules.ForCourse(required, seven, false).Action);

        seven[required[7]] = new SessionCompletion(required[7], true, true, false);
        Assert.Equal(CertificateAction.None, CertificateRules.ForCourse(required, seven, false).Action);

        seven[required[7]] = new SessionCompletion(required[7], true, true, true);
        Assert.Equal(CertificateAction.Issue, CertificateRules.ForCourse(required, seven, false).Action);
    }

    [Fact]
    public void ACourseWithoutSessions_IsNeverComplete()
    {
        Assert.Equal(CertificateAction.None, CertificateRules.ForCourse([], new Dictionary<Guid, SessionCompletion>(), false).Action);
    }

    [Fact]
    public void ACourseCertificate_IsRevoked_WhenOneRequiredSessionIsNoLongerAttended()
    {
        var required = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var completions = new Dictionary<Guid, SessionCompletion> { [required[0]] = new(required[0], true, false, false), [required[1]] = new(required[1], false, false, false) };

        var decision = CertificateRules.ForCourse(required, completions, holdsLiveCertificate: true);

        Assert.Equal((CertificateAction.Revoke, "Attendance was corrected: 1 required session is no longer recorded as attended."), (decision.Action, decision.Reason));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("0", 0)]
    [InlineData("1.5", 150)]
    [InlineData(" 12.25 ", 1225)]
    [InlineData("99.99", 9999)]
    public void CeHours_AreReadInHundredths(string typed, int centi)
    {
        Assert.Equal((centi, (string?)null), CeHours.Parse(typed));
    }

    [Theory]
    [InlineData("100")]
    [InlineData("1.555")]
    [InlineData("-1")]
    [InlineData("1,5")]
    [InlineData("one")]
    public void CeHours_OutsideZeroTo99Point99OrWithMoreThanTwoDecimals_AreRefused(string typed)
    {
        Assert.Null(CeHours.Parse(typed).Centi);
    }

    [Fact]
    public void CeHours_AreShownWithTwoDecimals()
    {
        Assert.Equal("1.50", CeHours.Format(150));
        Assert.Equal("0.00", CeHours.Format(0));
    }
}
