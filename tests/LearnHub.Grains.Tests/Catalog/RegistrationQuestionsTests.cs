using LearnHub.Grains.Catalog;

namespace LearnHub.Grains.Tests.Catalog;

public class RegistrationQuestionsTests
{
    private static RegistrationQuestion Choice(string id, string label, params string[] options) =>
        new(id, QuestionKind.SingleChoice, label, null, true, options.Select((o, i) => new QuestionOption($"o{i}", o)).ToList());

    private static RegistrationQuestion Text(string id, string label) => new(id, QuestionKind.ShortText, label, null, false, []);

    [Fact]
    public void Problems_AskForTwoToTwentyDistinctOptions_OnChoiceQuestionsOnly()
    {
        Assert.Equal("options", Assert.Single(Choice("q1", "Track", "Only one").Problems()).Key);
        Assert.Equal("options", Assert.Single(Choice("q1", "Track", Enumerable.Range(0, 21).Select(i => $"Option {i}").ToArray()).Problems()).Key);
        Assert.Equal("options", Assert.Single(Choice("q1", "Track", "Youth", "youth").Problems()).Key);
        Assert.Equal("options", Assert.Single((Text("q1", "Badge") with { Options = [new("o1", "A")] }).Problems()).Key);
        Assert.Empty(Choice("q1", "Track", "Youth", "Forensic").Problems());
    }

    [Fact]
    public void Problems_NameTheLabel_WhenItIsEmptyTooLongOrOnTwoLines()
    {
        Assert.Equal("label", Assert.Single(Text("q1", " ").Problems()).Key);
        Assert.Equal("label", Assert.Single(Text("q1", new string('x', RegistrationQuestions.MaxLabel + 1)).Problems()).Key);
        Assert.Equal("label", Assert.Single(Text("q1", "two\nlines").Problems()).Key);
    }

    [Fact]
    public void Apply_AddsChangesMovesAndRemoves_KeepingEachQuestionsId()
    {
        var added = RegistrationQuestions.Apply([], new QuestionEdit(QuestionEditAction.Add, null, Text("qa", "Badge name"))).Questions!;
        added = RegistrationQuestions.Apply(added, new QuestionEdit(QuestionEditAction.Add, null, Choice("qb", "Track", "Youth", "Forensic"))).Questions!;
        var moved = RegistrationQuestions.Apply(added, new QuestionEdit(QuestionEditAction.MoveUp, "qb", null)).Questions!;
        var changed = RegistrationQuestions.Apply(moved, new QuestionEdit(QuestionEditAction.Change, "qa", Text("qzzz", "Name for your badge"))).Questions!;
        var removed = RegistrationQuestions.Apply(changed, new QuestionEdit(QuestionEditAction.Remove, "qb", null)).Questions!;

        Assert.Equal(["qb", "qa"], moved.Select(q => q.Id));
        Assert.Equal(("qa", "Name for your badge"), (changed[1].Id, changed[1].Label));
        Assert.Equal(["qa"], removed.Select(q => q.Id));
    }

    [Fact]
    public void Apply_RefusesAnInvalidQuestion_AndAnEditOfAQuestionThatIsGone()
    {
        var invalid = RegistrationQuestions.Apply([], new QuestionEdit(QuestionEditAction.Add, null, Choice("qa", "Track", "Only one")));
        var gone = RegistrationQuestions.Apply([Text("qa", "Badge")], new QuestionEdit(QuestionEditAction.Remove, "qgone", null));

        Assert.Null(invalid.Questions);
        Assert.True(invalid.Problems.ContainsKey("options"));
        Assert.Null(gone.Questions);
        Assert.True(gone.Problems.ContainsKey("question"));
    }

    [Fact]
    public void OptionsFromLines_KeepsTheIdOfAnOptionWhoseTextStays()
    {
        var existing = new List<QuestionOption> { new("oyouth", "Youth"), new("oold", "Older adults") };

        var options = RegistrationQuestions.OptionsFromLines("Youth\r\n\r\nForensic\n", existing);

        Assert.Equal(["Youth", "Forensic"], options.Select(o => o.Label));
        Assert.Equal("oyouth", options[0].Id);
        Assert.True(RegistrationQuestions.IsId(options[1].Id) && options[1].Id != "oold");
    }
}
