using System.Globalization;

namespace LearnHub.Grains.Evaluations;

/// <summary>The answer to "Would you recommend this training to a colleague?".</summary>
public enum Recommendation
{
    /// <summary>Yes.</summary>
    Yes,

    /// <summary>Maybe.</summary>
    Maybe,

    /// <summary>No.</summary>
    No,
}

/// <summary>How recommendations are written in the database and in forms.</summary>
public static class Recommendations
{
    /// <summary>The stable wire name ("yes", "maybe", "no").</summary>
    public static string ToWire(this Recommendation recommendation) => recommendation switch
    {
        Recommendation.Yes => "yes",
        Recommendation.Maybe => "maybe",
        Recommendation.No => "no",
        _ => throw new ArgumentOutOfRangeException(nameof(recommendation), recommendation, null),
    };

    /// <summary>Reads a wire name; null for anything else.</summary>
    public static Recommendation? FromWire(string? wire) => wire switch
    {
        "yes" => Recommendation.Yes,
        "maybe" => Recommendation.Maybe,
        "no" => Recommendation.No,
        _ => null,
    };
}

/// <summary>The four rated questions of a session evaluation, in the order the survey asks them.</summary>
public enum RatedQuestion
{
    /// <summary>The training overall.</summary>
    Overall,

    /// <summary>Its content.</summary>
    Content,

    /// <summary>Its presenters.</summary>
    Presenters,

    /// <summary>Its relevance to the person's work.</summary>
    Relevance,
}

/// <summary>
/// One person's answers to a session evaluation: four ratings from 1 to 5, a recommendation and two optional comments.
/// Only <see cref="Read"/> makes one, so an instance is always valid.
/// </summary>
public sealed record EvaluationAnswers
{
    /// <summary>The lowest rating.</summary>
    public const int MinRating = 1;

    /// <summary>The highest rating.</summary>
    public const int MaxRating = 5;

    /// <summary>The longest comment accepted, in characters (about a page of text).</summary>
    public const int MaxCommentLength = 2000;

    private EvaluationAnswers(IReadOnlyDictionary<RatedQuestion, int> ratings, Recommendation recommend, string mostUseful, string suggestions)
    {
        Ratings = ratings;
        Recommend = recommend;
        MostUseful = mostUseful;
        Suggestions = suggestions;
    }

    /// <summary>The rating of each question, 1 to 5.</summary>
    public IReadOnlyDictionary<RatedQuestion, int> Ratings { get; }

    /// <summary>Whether they would recommend the training.</summary>
    public Recommendation Recommend { get; }

    /// <summary>"What was most useful?" (may be empty).</summary>
    public string MostUseful { get; }

    /// <summary>"What could be better?" (may be empty).</summary>
    public string Suggestions { get; }

    /// <summary>The form field that carries a question's rating.</summary>
    public static string FieldOf(RatedQuestion question) => question switch
    {
        RatedQuestion.Overall => "overall",
        RatedQuestion.Content => "content",
        RatedQuestion.Presenters => "presenters",
        RatedQuestion.Relevance => "relevance",
        _ => throw new ArgumentOutOfRangeException(nameof(question), question, null),
    };

    /// <summary>
    /// Reads the answers as a form posts them. Every problem is reported, keyed by field name; the answers are null
    /// unless there are none.
    /// </summary>
    public static (EvaluationAnswers? Answers, IReadOnlyDictionary<string, string> Problems) Read(
        IReadOnlyDictionary<RatedQuestion, string?> ratings, string? recommend, string? mostUseful, string? suggestions)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var read = new Dictionary<RatedQuestion, int>();
        foreach (var question in Enum.GetValues<RatedQuestion>())
        {
            var field = FieldOf(question);
            var text = ratings.GetValueOrDefault(question);
            if (string.IsNullOrWhiteSpace(text))
            {
                problems[field] = $"Choose a rating from {MinRating} to {MaxRating} for \"{QuestionText(question)}\".";
            }
            else if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < MinRating or > MaxRating)
            {
                problems[field] = $"The rating for \"{QuestionText(question)}\" must be a whole number from {MinRating} to {MaxRating}.";
            }
            else
            {
                read[question] = value;
            }
        }

        var recommendation = Recommendations.FromWire(recommend);
        if (recommendation is null)
        {
            problems["recommend"] = "Choose yes, maybe or no for whether you would recommend this training.";
        }

        var useful = (mostUseful ?? "").Trim();
        var better = (suggestions ?? "").Trim();
        if (useful.Length > MaxCommentLength)
        {
            problems["mostUseful"] = $"Keep \"what was most useful\" to {Count(MaxCommentLength)} characters (it has {Count(useful.Length)}).";
        }

        if (better.Length > MaxCommentLength)
        {
            problems["suggestions"] = $"Keep \"what could be better\" to {Count(MaxCommentLength)} characters (it has {Count(better.Length)}).";
        }

        return problems.Count > 0
            ? (null, problems)
            : (new EvaluationAnswers(read, recommendation!.Value, useful, better), problems);
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The question as the survey and the results word it.</summary>
    public static string QuestionText(RatedQuestion question) => question switch
    {
        RatedQuestion.Overall => "The training overall",
        RatedQuestion.Content => "The content",
        RatedQuestion.Presenters => "The presenters",
        RatedQuestion.Relevance => "Relevance to my work",
        _ => throw new ArgumentOutOfRangeException(nameof(question), question, null),
    };

    /// <summary>The label of a rating value, shown beside its number.</summary>
    public static string RatingLabel(int value) => value switch
    {
        1 => "Poor",
        2 => "Fair",
        3 => "Good",
        4 => "Very good",
        5 => "Excellent",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}
