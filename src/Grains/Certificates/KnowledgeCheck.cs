using System.Security.Cryptography;
using System.Text;
using LearnHub.Grains.Content;

namespace LearnHub.Grains.Certificates;

/// <summary>One multiple-choice question of a knowledge check; <paramref name="Correct"/> indexes <paramref name="Options"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckQuestion(string Id, string Prompt, IReadOnlyList<string> Options, int Correct);

/// <summary>
/// A session's knowledge check as an organizer writes it: 3–20 questions, the share of right answers that passes, and
/// how many attempts a learner has.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record KnowledgeCheckDraft(IReadOnlyList<CheckQuestion> Questions, int PassPercent = KnowledgeCheckDraft.DefaultPassPercent,
    int MaxAttempts = KnowledgeCheckDraft.DefaultMaxAttempts)
{
    /// <summary>Fewest questions a check has.</summary>
    public const int MinQuestions = 3;

    /// <summary>Most questions a check has.</summary>
    public const int MaxQuestions = 20;

    /// <summary>Fewest answer options a question has.</summary>
    public const int MinOptions = 2;

    /// <summary>Most answer options a question has.</summary>
    public const int MaxOptions = 6;

    /// <summary>Longest question.</summary>
    public const int MaxPrompt = 500;

    /// <summary>Longest answer option.</summary>
    public const int MaxOption = 200;

    /// <summary>The pass mark when the organizer sets none.</summary>
    public const int DefaultPassPercent = 80;

    /// <summary>The attempts when the organizer sets none.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>Most attempts an organizer may allow.</summary>
    public const int MostAttempts = 10;

    /// <summary>
    /// The problems, keyed by field ("passPercent", "maxAttempts", "questions", or "q{n}" for the n-th question from 1);
    /// empty when the check can be stored.
    /// </summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (PassPercent is < 1 or > 100)
        {
            problems["passPercent"] = "Enter a pass mark from 1 to 100 percent.";
        }

        if (MaxAttempts is < 1 or > MostAttempts)
        {
            problems["maxAttempts"] = $"Enter a number of attempts from 1 to {MostAttempts}.";
        }

        var questions = Questions ?? [];
        if (questions.Count is < MinQuestions or > MaxQuestions)
        {
            problems["questions"] = $"Write from {MinQuestions} to {MaxQuestions} questions (there are {questions.Count}).";
        }

        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var options = q.Options ?? [];
            string? problem = null;
            if (string.IsNullOrWhiteSpace(q.Prompt) || q.Prompt.Trim().Length > MaxPrompt)
            {
                problem = $"Write the question in 1–{MaxPrompt} characters.";
            }
            else if (options.Count is < MinOptions or > MaxOptions || options.Any(o => string.IsNullOrWhiteSpace(o) || o.Trim().Length > MaxOption))
            {
                problem = $"Give {MinOptions}–{MaxOptions} answer options of 1–{MaxOption} characters each.";
            }
            else if (options.Select(o => o.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count)
            {
                problem = "Give each answer option once.";
            }
            else if (q.Correct < 0 || q.Correct >= options.Count)
            {
                problem = "Choose which option is correct.";
            }
            else if ((PlainText.Problem(q.Prompt, "The question", TextShape.SingleLine)
                      ?? options.Select(o => PlainText.Problem(o, "An answer option", TextShape.SingleLine)).FirstOrDefault(p => p is not null)) is { } text)
            {
                problem = text;
            }

            if (problem is not null)
            {
                problems[$"q{i + 1}"] = problem;
            }
        }

        return problems;
    }
}

/// <summary>A session's stored knowledge check.</summary>
[GenerateSerializer, Immutable]
public sealed record KnowledgeCheck(Guid SessionId, IReadOnlyList<CheckQuestion> Questions, int PassPercent, int MaxAttempts, DateTimeOffset UpdatedAt);

/// <summary>One submitted attempt.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckAttempt(Guid RegistrationId, int Attempt, IReadOnlyDictionary<string, int> Answers, int ScorePercent, bool Passed, DateTimeOffset SubmittedAt);

/// <summary>Where a learner stands with a check.</summary>
/// <param name="AttemptsUsed">Attempts submitted.</param>
/// <param name="MaxAttempts">Attempts allowed.</param>
/// <param name="Passed">One attempt passed.</param>
/// <param name="LastScorePercent">The last attempt's score, or null before the first.</param>
[GenerateSerializer, Immutable]
public sealed record CheckStanding(int AttemptsUsed, int MaxAttempts, bool Passed, int? LastScorePercent)
{
    /// <summary>Attempts still open (none once passed).</summary>
    public int AttemptsLeft => Passed ? 0 : Math.Max(0, MaxAttempts - AttemptsUsed);

    /// <summary>The number the next attempt will have.</summary>
    public int NextAttempt => AttemptsUsed + 1;
}

/// <summary>What became of a submitted attempt.</summary>
[GenerateSerializer]
public enum CheckOutcome
{
    /// <summary>Counted, and it passed.</summary>
    Passed,

    /// <summary>Counted, and it did not pass.</summary>
    Failed,

    /// <summary>Not counted (<see cref="CheckAnswer.Problem"/> says why); nothing changed.</summary>
    Refused,
}

/// <summary>The answer to a submitted attempt, with the learner's standing after it.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckAnswer(CheckOutcome Outcome, CheckStanding Standing, int? ScorePercent = null, string? Problem = null);

/// <summary>Plain rules of a knowledge check: the order a learner sees, and the grading. No I/O, no clock.</summary>
public static class KnowledgeCheckRules
{
    /// <summary>
    /// The questions in the order one attempt shows them: shuffled, the same for the same registration and attempt
    /// (a reload shows the same order), different from one attempt to the next. Answer options keep their order: "all
    /// of the above" must stay last.
    /// </summary>
    public static IReadOnlyList<CheckQuestion> Order(IReadOnlyList<CheckQuestion> questions, Guid registrationId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(questions);
        // A stable seed (string.GetHashCode differs per process): the order must survive a restart between GET and POST.
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{registrationId:N}/{attempt}")), 0);
        var random = new Random(seed);
        var order = questions.ToArray();
        random.Shuffle(order);
        return order;
    }

    /// <summary>
    /// Why <paramref name="answers"/> (question id → option index) cannot be graded against <paramref name="questions"/>;
    /// null when they can. Every question must be answered with one of its options, and nothing else.
    /// </summary>
    public static string? Problem(IReadOnlyList<CheckQuestion> questions, IReadOnlyDictionary<string, int> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Keys.Any(k => questions.All(q => q.Id != k)))
        {
            return "An answer names a question this check does not have; the check may have changed. Open it again.";
        }

        var missing = questions.Count(q => !answers.TryGetValue(q.Id, out var a) || a < 0 || a >= q.Options.Count);
        return missing == 0 ? null : missing == 1 ? "Answer every question: one is not answered." : $"Answer every question: {missing} are not answered.";
    }

    /// <summary>The share of right answers, in whole percent rounded down (a pass mark is never reached by rounding up).</summary>
    public static int Score(IReadOnlyList<CheckQuestion> questions, IReadOnlyDictionary<string, int> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        if (questions.Count == 0)
        {
            return 0;
        }

        var right = questions.Count(q => answers.TryGetValue(q.Id, out var a) && a == q.Correct);
        return right * 100 / questions.Count;
    }

    /// <summary>
    /// Why attempt number <paramref name="attempt"/> cannot be taken now, given the standing; null when it can. The
    /// number comes from the form, so a form submitted twice is refused the second time.
    /// </summary>
    public static string? AttemptProblem(CheckStanding standing, int attempt)
    {
        ArgumentNullException.ThrowIfNull(standing);
        if (standing.Passed)
        {
            return "You have already passed this knowledge check.";
        }

        if (standing.AttemptsUsed >= standing.MaxAttempts)
        {
            return standing.MaxAttempts == 1
                ? "You have used your one attempt at this knowledge check."
                : $"You have used all {standing.MaxAttempts} attempts at this knowledge check.";
        }

        return attempt == standing.NextAttempt ? null : "This attempt was already submitted. Your result is shown below.";
    }
}
