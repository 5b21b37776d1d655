using LearnHub.Grains.Evaluations;

namespace LearnHub.Grains.Tests.Evaluations;

public class EvaluationAnswersTests
{
    private static Dictionary<RatedQuestion, string?> Ratings(string? overall = "4", string? content = "4", string? presenters = "5", string? relevance = "3") => new()
    {
        [RatedQuestion.Overall] = overall,
        [RatedQuestion.Content] = content,
        [RatedQuestion.Presenters] = presenters,
        [RatedQuestion.Relevance] = relevance,
    };

    [Fact]
    public void Read_AcceptsCompleteAnswers_AndTrimsTheComments()
    {
        var (answers, problems) = EvaluationAnswers.Read(Ratings(), "no", "  The role play \n", "");

        Assert.Empty(problems);
        Assert.Equal([4, 4, 5, 3], Enum.GetValues<RatedQuestion>().Select(q => answers!.Ratings[q]));
        Assert.Equal((Recommendation.No, "The role play", ""), (answers!.Recommend, answers.MostUseful, answers.Suggestions));
    }

    [Theory]
    [InlineData(null, "overall")]
    [InlineData("", "overall")]
    [InlineData("0", "overall")]
    [InlineData("6", "overall")]
    [InlineData("-1", "overall")]
    [InlineData("3.5", "overall")]
    [InlineData("five", "overall")]
    public void Read_RefusesAMissingOrOutOfRangeRating(string? overall, string field)
    {
        var (answers, problems) = EvaluationAnswers.Read(Ratings(overall: overall), "yes", "", "");

        Assert.Null(answers);
        Assert.Equal([field], problems.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("YES")]
    [InlineData("definitely")]
    public void Read_RefusesARecommendationOtherThanYesMaybeOrNo(string? recommend)
    {
        var (answers, problems) = EvaluationAnswers.Read(Ratings(), recommend, "", "");

        Assert.Null(answers);
        Assert.Equal(["recommend"], problems.Keys);
    }

    [Fact]
    public void Read_AcceptsCommentsUpToTheCap_AndRefusesLongerOnes()
    {
        var atCap = new string('x', EvaluationAnswers.MaxCommentLength);
        var over = atCap + "x";

        var (accepted, none) = EvaluationAnswers.Read(Ratings(), "yes", atCap, atCap);
        var (refused, problems) = EvaluationAnswers.Read(Ratings(), "yes", over, over);

        Assert.Empty(none);
        Assert.NotNull(accepted);
        Assert.Null(refused);
        Assert.Equal(["mostUseful", "suggestions"], problems.Keys.Order());
        Assert.Contains("2,000 characters (it has 2,001)", problems["mostUseful"], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReportsEveryProblemAtOnce()
    {
        var (_, problems) = EvaluationAnswers.Read(Ratings(null, "9", null, "x"), null, "", new string('x', 3000));

        Assert.Equal(["content", "overall", "presenters", "recommend", "relevance", "suggestions"], problems.Keys.Order());
    }
}
