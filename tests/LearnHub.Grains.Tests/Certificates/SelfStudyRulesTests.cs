using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;

namespace LearnHub.Grains.Tests.Certificates;

/// <summary>Self-study credit and the knowledge check as plain rules (issue 14).</summary>
public sealed class SelfStudyRulesTests
{
    private static readonly Guid Session = Guid.NewGuid();

    [Theory]
    // attended, evaluation required, evaluation done, self-study earned, held credit → action
    [InlineData(false, false, false, true, null, CertificateAction.IssueSelfStudy)]
    [InlineData(false, false, false, false, null, CertificateAction.None)]
    [InlineData(true, false, false, true, null, CertificateAction.Issue)]
    [InlineData(true, true, false, true, null, CertificateAction.None)]
    [InlineData(false, false, false, true, CreditType.SelfStudy, CertificateAction.Keep)]
    [InlineData(true, false, false, true, CreditType.SelfStudy, CertificateAction.Replace)]
    [InlineData(true, true, false, true, CreditType.SelfStudy, CertificateAction.Keep)]
    [InlineData(false, false, false, true, CreditType.Live, CertificateAction.Revoke)]
    public void LiveAndSelfStudyCredit_AreNeverBothHeld_AndLiveReplacesSelfStudy(bool attended, bool required, bool completed, bool selfStudy, CreditType? held,
        CertificateAction expected)
    {
        var decision = CertificateRules.ForSession(new SessionCompletion(Session, attended, required, completed, selfStudy), held);

        Assert.Equal(expected, decision.Action);
    }

    [Theory]
    [InlineData(49, null, null, "selfStudyPercent")]
    [InlineData(101, null, null, "selfStudyPercent")]
    [InlineData(90, 0, null, "selfStudyDays")]
    [InlineData(90, null, 10000, "selfStudyCeHours")]
    public void ASelfStudyRule_OutsideItsBounds_NamesTheField(int percent, int? days, int? hours, string field)
    {
        Assert.Equal([field], new SeriesTraining(SelfStudy: new SelfStudyRule(true, percent, days, hours)).Problems().Keys);
        Assert.Empty(new SeriesTraining(SelfStudy: new SelfStudyRule(true, 50, 30, 0)).Problems());
    }

    private static readonly CheckQuestion[] Questions =
    [
        new("a", "One?", ["x", "y"], 0), new("b", "Two?", ["x", "y", "z"], 2), new("c", "Three?", ["x", "y"], 1),
        new("d", "Four?", ["x", "y"], 1), new("e", "Five?", ["x", "y"], 0),
    ];

    [Fact]
    public void ADraft_NeedsThreeToTwentyQuestions_EachWithDistinctOptionsAndACorrectOne()
    {
        Assert.Empty(new KnowledgeCheckDraft(Questions).Problems());
        Assert.Contains("questions", new KnowledgeCheckDraft(Questions[..2]).Problems().Keys);
        Assert.Contains("questions", new KnowledgeCheckDraft(Enumerable.Repeat(Questions[0], 21).ToList()).Problems().Keys);
        var problems = new KnowledgeCheckDraft([Questions[0], new("x", "", ["a", "b"], 0), new("y", "Same?", ["a", "A"], 0), new("z", "Which?", ["a", "b"], -1)],
            PassPercent: 0, MaxAttempts: 11).Problems();
        Assert.Equal(["maxAttempts", "passPercent", "q2", "q3", "q4"], problems.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("q1", new KnowledgeCheckDraft([new("x", "Line\nbreak?", ["a", "b"], 0), .. Questions[1..3]]).Problems().Keys);
    }

    [Fact]
    public void TheOrder_IsShuffledPerAttempt_AndTheSameOnReload()
    {
        var registration = Guid.NewGuid();
        var first = KnowledgeCheckRules.Order(Questions, registration, 1).Select(q => q.Id).ToList();

        Assert.Equal(first, KnowledgeCheckRules.Order(Questions, registration, 1).Select(q => q.Id));
        Assert.Equal(Questions.Select(q => q.Id).Order(), first.Order());
        // Over a few attempts the order changes (five questions have 120 orders).
        Assert.Contains(Enumerable.Range(2, 5), a => !KnowledgeCheckRules.Order(Questions, registration, a).Select(q => q.Id).SequenceEqual(first));
    }

    [Fact]
    public void Grading_NeedsEveryQuestionAnswered_AndRoundsDown()
    {
        var right = Questions.ToDictionary(q => q.Id, q => q.Correct);
        Assert.Null(KnowledgeCheckRules.Problem(Questions, right));
        Assert.Equal(100, KnowledgeCheckRules.Score(Questions, right));
        Assert.Equal(80, KnowledgeCheckRules.Score(Questions, new Dictionary<string, int>(right) { ["a"] = 1 }));
        Assert.Equal(66, KnowledgeCheckRules.Score(Questions[..3], new Dictionary<string, int>(right) { ["a"] = 1 }));

        Assert.Contains("one is not answered", KnowledgeCheckRules.Problem(Questions, right.Where(a => a.Key != "c").ToDictionary()), StringComparison.Ordinal);
        Assert.NotNull(KnowledgeCheckRules.Problem(Questions, new Dictionary<string, int>(right) { ["b"] = 3 }));
        Assert.NotNull(KnowledgeCheckRules.Problem(Questions, new Dictionary<string, int>(right) { ["zz"] = 0 }));
    }

    [Theory]
    [InlineData(0, 3, false, 1, null)]
    [InlineData(1, 3, false, 1, "This attempt was already submitted. Your result is shown below.")]
    [InlineData(3, 3, false, 4, "You have used all 3 attempts at this knowledge check.")]
    [InlineData(1, 1, false, 2, "You have used your one attempt at this knowledge check.")]
    [InlineData(1, 3, true, 2, "You have already passed this knowledge check.")]
    public void AnAttempt_SubmittedTwice_AfterTheLimit_OrAfterPassing_IsRefused(int used, int max, bool passed, int attempt, string? problem)
    {
        Assert.Equal(problem, KnowledgeCheckRules.AttemptProblem(new CheckStanding(used, max, passed, null), attempt));
    }
}
