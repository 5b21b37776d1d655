using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;

namespace LearnHub.Grains.Registrations;

/// <summary>
/// A registrant's answer to one of the series' questions. <see cref="Values"/> is what was sent: the text, "yes" or
/// "no", or option ids. Once checked (<see cref="RegistrationAnswers.Check"/>) it also carries the question's label and
/// the answer in words as they were when it was given, so a question edited or removed later leaves it readable.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationAnswer(string QuestionId, IReadOnlyList<string> Values)
{
    /// <summary>The question's label when the answer was given.</summary>
    [Id(2)]
    public string Label { get; init; } = "";

    /// <summary>The answer in words when it was given: the text, "Yes"/"No", or the chosen options' texts.</summary>
    [Id(3)]
    public IReadOnlyList<string> Text { get; init; } = [];

    /// <summary>The answer as one line for lists and CSV cells ("; " between chosen options).</summary>
    public string Display => string.Join("; ", Text);
}

/// <summary>Answers checked against the questions: those to store, or the problems keyed by field (<c>answers.{id}</c>).</summary>
public sealed record AnswerCheck(IReadOnlyList<RegistrationAnswer> Answers, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>True when every answer fits its question.</summary>
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The rules for answers to a series' registration questions. The web form, the JSON API and the session grain all run
/// this one check: the first two to name every problem at once, the grain because it is what stores the answers.
/// </summary>
public static class RegistrationAnswers
{
    /// <summary>
    /// Checks <paramref name="given"/> against <paramref name="questions"/>: required questions answered, text within its
    /// length and plain, option ids the question's own, one option for a single choice. Answers to questions the series
    /// does not ask are refused (a stale or forged form), blank optional ones dropped. Valid answers come back in the
    /// questions' order with their label and words filled in from the questions, never from the sender.
    /// </summary>
    public static AnswerCheck Check(IReadOnlyList<RegistrationQuestion> questions, IReadOnlyList<RegistrationAnswer> given)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(given);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var byId = new Dictionary<string, RegistrationAnswer>(StringComparer.Ordinal);
        foreach (var answer in given)
        {
            if (!questions.Any(q => q.Id == answer.QuestionId))
            {
                errors[RegistrationQuestions.FieldOf(answer.QuestionId)] = "This question is not asked for this session any more. Reload the page to see the current form.";
            }
            else if (!byId.TryAdd(answer.QuestionId, answer))
            {
                errors[RegistrationQuestions.FieldOf(answer.QuestionId)] = "Answer each question once.";
            }
        }

        var answers = new List<RegistrationAnswer>();
        foreach (var question in questions)
        {
            var values = (byId.GetValueOrDefault(question.Id)?.Values ?? []).Select(v => (v ?? "").Trim()).Where(v => v.Length > 0).ToList();
            if (values.Count == 0)
            {
                if (question.Required)
                {
                    errors[question.Field] = question.HasOptions || question.Kind == QuestionKind.YesNo
                        ? $"Answer “{question.Label}”: choose {(question.Kind == QuestionKind.MultipleChoice ? "at least one option" : "one option")}."
                        : $"Answer “{question.Label}”.";
                }

                continue;
            }

            if (Problem(question, values) is { } problem)
            {
                errors[question.Field] = problem;
                continue;
            }

            answers.Add(new RegistrationAnswer(question.Id, values) { Label = question.Label, Text = Words(question, values) });
        }

        return errors.Count > 0 ? new AnswerCheck([], errors) : new AnswerCheck(answers, errors);
    }

    private static string? Problem(RegistrationQuestion question, List<string> values)
    {
        switch (question.Kind)
        {
            case QuestionKind.ShortText or QuestionKind.LongText:
                var max = question.Kind == QuestionKind.ShortText ? RegistrationQuestions.MaxShortText : RegistrationQuestions.MaxLongText;
                if (values.Count > 1)
                {
                    return $"Give one answer to “{question.Label}”.";
                }

                return values[0].Length > max
                    ? $"The answer to “{question.Label}” is too long (at most {max} characters)."
                    : PlainText.Problem(values[0], $"The answer to “{question.Label}”", question.Kind == QuestionKind.ShortText ? TextShape.SingleLine : TextShape.MultiLine);
            case QuestionKind.YesNo:
                return values is [RegistrationQuestions.Yes or RegistrationQuestions.No] ? null : $"Answer “{question.Label}” with yes or no.";
            case QuestionKind.SingleChoice or QuestionKind.MultipleChoice:
                if (values.Any(v => !question.Options.Any(o => o.Id == v)))
                {
                    return $"Choose from the options given for “{question.Label}”.";
                }

                if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
                {
                    return $"Choose each option of “{question.Label}” once.";
                }

                return question.Kind == QuestionKind.SingleChoice && values.Count > 1 ? $"Choose only one option for “{question.Label}”." : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(question), question.Kind, "Unknown question kind.");
        }
    }

    private static IReadOnlyList<string> Words(RegistrationQuestion question, List<string> values) => question.Kind switch
    {
        QuestionKind.YesNo => [values[0] == RegistrationQuestions.Yes ? "Yes" : "No"],
        // In the question's order, whatever order the form sent them in.
        QuestionKind.SingleChoice or QuestionKind.MultipleChoice => question.Options.Where(o => values.Contains(o.Id)).Select(o => o.Label).ToList(),
        _ => values,
    };
}
