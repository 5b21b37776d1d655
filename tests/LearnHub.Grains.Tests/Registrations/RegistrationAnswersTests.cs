using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Tests.Registrations;

public class RegistrationAnswersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly RegistrationGroup Group = new(Guid.NewGuid(), "secret");

    private static readonly RegistrationQuestion Track = new("qtrack", QuestionKind.SingleChoice, "Which track?", null, true,
        [new("oyouth", "Youth"), new("oolder", "Older adults"), new("oforensic", "Forensic")]);

    private static readonly RegistrationQuestion Topics = new("qtopics", QuestionKind.MultipleChoice, "Topics you want covered", null, false,
        [new("ta", "Assessment"), new("tb", "Billing"), new("tc", "Crisis")]);

    private static readonly RegistrationQuestion Badge = new("qbadge", QuestionKind.ShortText, "Name for your badge", null, false, []);

    private static readonly RegistrationQuestion Story = new("qstory", QuestionKind.LongText, "Tell us about a case", null, false, []);

    private static readonly RegistrationQuestion Supervisor = new("qsup", QuestionKind.YesNo, "Are you a supervisor?", null, true, []);

    private static readonly IReadOnlyList<RegistrationQuestion> All = [Track, Topics, Badge, Story, Supervisor];

    private static RegistrationAnswer A(string id, params string[] values) => new(id, values);

    private static Applicant Person(string email) =>
        Applicant.Validate("Ann Lee", email, "County DCF", "Caseworker", "America/Chicago", null).Applicant!;

    [Fact]
    public void Check_KeepsValidAnswers_InTheQuestionsOrder_WithTheLabelAndWordsOfTheQuestions()
    {
        var check = RegistrationAnswers.Check(All, [A("qsup", "no"), A("qtopics", "tc", "ta"), A("qtrack", "oolder"), A("qbadge", "  Ann  ")]);

        Assert.True(check.IsValid);
        Assert.Equal(["qtrack", "qtopics", "qbadge", "qsup"], check.Answers.Select(a => a.QuestionId));
        Assert.Equal(["Older adults", "Assessment; Crisis", "Ann", "No"], check.Answers.Select(a => a.Display));
        Assert.Equal("Which track?", check.Answers[0].Label);
    }

    [Fact]
    public void Check_NamesEveryMissingRequiredAnswer_ByItsQuestion_AndLeavesOutBlankOptionalOnes()
    {
        var check = RegistrationAnswers.Check(All, [A("qbadge", "   ")]);

        Assert.Equal(["answers.qsup", "answers.qtrack"], check.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Which track?", check.Errors["answers.qtrack"], StringComparison.Ordinal);
        Assert.Contains("Are you a supervisor?", check.Errors["answers.qsup"], StringComparison.Ordinal);
        Assert.Empty(check.Answers);
    }

    [Theory]
    [InlineData("qtrack", new[] { "onot-an-option" }, "Choose from the options given for “Which track?”.")]
    [InlineData("qtrack", new[] { "oyouth", "oolder" }, "Choose only one option for “Which track?”.")]
    [InlineData("qtopics", new[] { "ta", "ta" }, "Choose each option of “Topics you want covered” once.")]
    [InlineData("qsup", new[] { "maybe" }, "Answer “Are you a supervisor?” with yes or no.")]
    [InlineData("qbadge", new[] { "line one\nline two" }, "The answer to “Name for your badge” must be on one line: remove the line break.")]
    [InlineData("qunknown", new[] { "x" }, "This question is not asked for this session any more. Reload the page to see the current form.")]
    public void Check_RefusesAnAnswerThatDoesNotFitItsQuestion_NamingTheField(string question, string[] values, string problem)
    {
        var answers = new List<RegistrationAnswer> { A("qtrack", "oyouth"), A("qsup", "yes") };
        answers.RemoveAll(a => a.QuestionId == question);
        answers.Add(A(question, values));

        var check = RegistrationAnswers.Check(All, answers);

        Assert.Equal(problem, Assert.Single(check.Errors, e => e.Key == $"answers.{question}").Value);
        Assert.Empty(check.Answers);
    }

    [Fact]
    public void Check_RefusesText_LongerThanItsKindAllows()
    {
        var shortOk = RegistrationAnswers.Check([Badge], [A("qbadge", new string('x', RegistrationQuestions.MaxShortText))]);
        var shortLong = RegistrationAnswers.Check([Badge], [A("qbadge", new string('x', RegistrationQuestions.MaxShortText + 1))]);
        var longOk = RegistrationAnswers.Check([Story], [A("qstory", "first line\nsecond " + new string('x', 1900))]);
        var longLong = RegistrationAnswers.Check([Story], [A("qstory", new string('x', RegistrationQuestions.MaxLongText + 1))]);

        Assert.Equal([true, false, true, false], new[] { shortOk, shortLong, longOk, longLong }.Select(c => c.IsValid));
        Assert.Contains("at most 2000 characters", longLong.Errors["answers.qstory"], StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_WithABadAnswer_IsRefused_WithoutTakingASeat_AndAValidOneIsStoredAsWords()
    {
        var roster = new SessionRoster(Guid.NewGuid(), 5, Now.AddDays(7), false, 0, 0, 0, null, 0, questions: [Track]);

        var bad = roster.Admit(Person("a@example.org") with { Answers = [A("qtrack", "nope")] }, null, Group, Guid.NewGuid(), Now);
        var good = roster.Admit(Person("b@example.org") with { Answers = [A("qtrack", "oforensic")] }, null, Group, Guid.NewGuid(), Now);

        Assert.Equal([AdmissionOutcome.AnswersInvalid, AdmissionOutcome.Confirmed], [bad.Outcome, good.Outcome]);
        Assert.Null(bad.Registration);
        Assert.True(bad.AnswerErrors!.ContainsKey("answers.qtrack"));
        Assert.Equal(1, roster.ConfirmedCount);
        Assert.Equal(1, roster.LastSequence);
        Assert.Equal("Forensic", Assert.Single(good.Registration!.Applicant.Answers).Display);
    }
}
