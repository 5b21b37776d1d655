using System.Security.Cryptography;
using LearnHub.Grains.Content;

namespace LearnHub.Grains.Catalog;

/// <summary>The shapes a custom registration question takes.</summary>
[GenerateSerializer]
public enum QuestionKind
{
    /// <summary>One line of text, at most <see cref="RegistrationQuestions.MaxShortText"/> characters.</summary>
    ShortText,

    /// <summary>Several lines of text, at most <see cref="RegistrationQuestions.MaxLongText"/> characters.</summary>
    LongText,

    /// <summary>Exactly one of the question's options.</summary>
    SingleChoice,

    /// <summary>Any number of the question's options (at least one when the question is required).</summary>
    MultipleChoice,

    /// <summary>Yes or no.</summary>
    YesNo,
}

/// <summary>One option of a choice question; its id stays when the organizer edits the question.</summary>
[GenerateSerializer, Immutable]
public sealed record QuestionOption(string Id, string Label);

/// <summary>
/// A question a series asks everyone registering for its sessions. Its id is stable across edits, so an answer names the
/// question it answers; the label and options an answer was given under are kept with the answer (see
/// <see cref="Registrations.RegistrationAnswer"/>), so editing the question later never changes what was answered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationQuestion(string Id, QuestionKind Kind, string Label, string? Hint, bool Required, IReadOnlyList<QuestionOption> Options)
{
    /// <summary>True for the kinds answered by picking options.</summary>
    public bool HasOptions => Kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice;

    /// <summary>The error-field name of this question's answer: the JSON API's <c>answers</c> object keyed by the id.</summary>
    public string Field => RegistrationQuestions.FieldOf(Id);

    /// <summary>The problems that stop the question being stored, keyed by the editor's field names; empty when it can be.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!RegistrationQuestions.IsId(Id))
        {
            problems["id"] = "The question's id is not valid.";
        }

        if (!Enum.IsDefined(Kind))
        {
            problems["kind"] = "Choose what kind of answer the question takes.";
        }

        if (Label.Trim().Length == 0 || Label.Length > RegistrationQuestions.MaxLabel)
        {
            problems["label"] = $"Enter the question, 1–{RegistrationQuestions.MaxLabel} characters.";
        }
        else if (PlainText.Problem(Label, "The question", TextShape.SingleLine) is { } labelProblem)
        {
            problems["label"] = labelProblem;
        }

        if (Hint is { Length: > RegistrationQuestions.MaxHint })
        {
            problems["hint"] = $"The hint is too long (at most {RegistrationQuestions.MaxHint} characters).";
        }
        else if (PlainText.Problem(Hint, "The hint", TextShape.SingleLine) is { } hintProblem)
        {
            problems["hint"] = hintProblem;
        }

        if (HasOptions)
        {
            if (Options.Count is < RegistrationQuestions.MinOptions or > RegistrationQuestions.MaxOptions)
            {
                problems["options"] = $"Give {RegistrationQuestions.MinOptions} to {RegistrationQuestions.MaxOptions} options, one a line.";
            }
            else if (Options.Any(o => o.Label.Trim().Length == 0 || o.Label.Length > RegistrationQuestions.MaxOptionLabel || !RegistrationQuestions.IsId(o.Id)))
            {
                problems["options"] = $"Each option needs a text of 1–{RegistrationQuestions.MaxOptionLabel} characters.";
            }
            else if (Options.Select(o => o.Label.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != Options.Count
                     || Options.Select(o => o.Id).Distinct(StringComparer.Ordinal).Count() != Options.Count)
            {
                problems["options"] = "Each option must differ from the others.";
            }
            else if (Options.Select(o => PlainText.Problem(o.Label, "An option", TextShape.SingleLine)).FirstOrDefault(p => p is not null) is { } optionProblem)
            {
                problems["options"] = optionProblem;
            }
        }
        else if (Options.Count > 0)
        {
            problems["options"] = "Only single- and multiple-choice questions have options.";
        }

        return problems;
    }
}

/// <summary>
/// The rules of a series' list of registration questions: limits, ids, and the edits an organizer makes (add, change,
/// remove, move), each returning the new list so the series grain stores it whole.
/// </summary>
public static class RegistrationQuestions
{
    /// <summary>Longest short-text answer.</summary>
    public const int MaxShortText = 200;

    /// <summary>Longest long-text answer.</summary>
    public const int MaxLongText = 2000;

    /// <summary>Fewest options a choice question offers.</summary>
    public const int MinOptions = 2;

    /// <summary>Most options a choice question offers.</summary>
    public const int MaxOptions = 20;

    /// <summary>Longest question label.</summary>
    public const int MaxLabel = 200;

    /// <summary>Longest hint.</summary>
    public const int MaxHint = 300;

    /// <summary>Longest option text.</summary>
    public const int MaxOptionLabel = 120;

    /// <summary>Most questions one series asks: a registration form, not a survey.</summary>
    public const int MaxQuestions = 20;

    /// <summary>The stored and wire value of a "yes" answer to a yes/no question.</summary>
    public const string Yes = "yes";

    /// <summary>The stored and wire value of a "no" answer to a yes/no question.</summary>
    public const string No = "no";

    /// <summary>The error-field name of the answer to question <paramref name="questionId"/>.</summary>
    public static string FieldOf(string questionId) => $"answers.{questionId}";

    /// <summary>A new id for a question or option: short, URL- and HTML-id-safe, random so two editors never collide.</summary>
    public static string NewId() => "q" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    /// <summary>True for ids this code hands out (letters and digits, 1–32 characters).</summary>
    public static bool IsId(string? id) => id is { Length: > 0 and <= 32 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>How a kind reads in the editor and on pages.</summary>
    public static string DisplayName(this QuestionKind kind) => kind switch
    {
        QuestionKind.ShortText => "Short text",
        QuestionKind.LongText => "Long text",
        QuestionKind.SingleChoice => "Single choice",
        QuestionKind.MultipleChoice => "Multiple choice",
        QuestionKind.YesNo => "Yes or no",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The stable wire name of a kind (storage, forms, the JSON API).</summary>
    public static string ToWire(this QuestionKind kind) => kind switch
    {
        QuestionKind.ShortText => "short-text",
        QuestionKind.LongText => "long-text",
        QuestionKind.SingleChoice => "single-choice",
        QuestionKind.MultipleChoice => "multiple-choice",
        QuestionKind.YesNo => "yes-no",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a wire name back; null for one that is not a kind.</summary>
    public static QuestionKind? KindFromWire(string? wire) => wire switch
    {
        "short-text" => QuestionKind.ShortText,
        "long-text" => QuestionKind.LongText,
        "single-choice" => QuestionKind.SingleChoice,
        "multiple-choice" => QuestionKind.MultipleChoice,
        "yes-no" => QuestionKind.YesNo,
        _ => null,
    };

    /// <summary>
    /// Options from the editor's lines (one a line, blanks ignored). A line whose text matches an existing option keeps
    /// that option's id, so re-saving a question does not turn its options into new ones.
    /// </summary>
    public static IReadOnlyList<QuestionOption> OptionsFromLines(string? lines, IReadOnlyList<QuestionOption> existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return (lines ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => existing.FirstOrDefault(o => string.Equals(o.Label, l, StringComparison.Ordinal)) ?? new QuestionOption(NewId(), l))
            .ToList();
    }

    /// <summary>Applies one edit to <paramref name="questions"/>: the new list, or the problems keyed by the editor's fields.</summary>
    public static QuestionEditOutcome Apply(IReadOnlyList<RegistrationQuestion> questions, QuestionEdit edit)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(edit);
        var list = questions.ToList();
        var at = edit.QuestionId is null ? -1 : list.FindIndex(q => q.Id == edit.QuestionId);
        if (edit.Action != QuestionEditAction.Add && at < 0)
        {
            return QuestionEditOutcome.Refused("question", "That question is not in this series any more; the list below is current.");
        }

        switch (edit.Action)
        {
            case QuestionEditAction.Add or QuestionEditAction.Change:
                var question = edit.Question ?? throw new ArgumentException("An add or change carries the question.", nameof(edit));
                if (question.Problems() is { Count: > 0 } problems)
                {
                    return new QuestionEditOutcome(null, problems);
                }

                if (edit.Action == QuestionEditAction.Add)
                {
                    if (list.Count >= MaxQuestions)
                    {
                        return QuestionEditOutcome.Refused("label", $"A series asks at most {MaxQuestions} questions.");
                    }

                    if (list.Any(q => q.Id == question.Id))
                    {
                        return QuestionEditOutcome.Refused("question", "That question exists already.");
                    }

                    list.Add(question);
                }
                else
                {
                    list[at] = question with { Id = list[at].Id };
                }

                break;
            case QuestionEditAction.Remove:
                list.RemoveAt(at);
                break;
            case QuestionEditAction.MoveUp or QuestionEditAction.MoveDown:
                var to = edit.Action == QuestionEditAction.MoveUp ? at - 1 : at + 1;
                if (to >= 0 && to < list.Count)
                {
                    (list[at], list[to]) = (list[to], list[at]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(edit), edit.Action, "Unknown question edit.");
        }

        return new QuestionEditOutcome(list, new Dictionary<string, string>());
    }
}

/// <summary>What an organizer does to a series' questions.</summary>
[GenerateSerializer]
public enum QuestionEditAction
{
    /// <summary>Adds <see cref="QuestionEdit.Question"/> at the end.</summary>
    Add,

    /// <summary>Replaces the question with <see cref="QuestionEdit.QuestionId"/> (its id stays).</summary>
    Change,

    /// <summary>Removes the question; answers already given keep their label and text.</summary>
    Remove,

    /// <summary>Moves the question one place earlier.</summary>
    MoveUp,

    /// <summary>Moves the question one place later.</summary>
    MoveDown,
}

/// <summary>One edit of a series' questions; <see cref="Question"/> for add and change, <see cref="QuestionId"/> for the rest.</summary>
[GenerateSerializer, Immutable]
public sealed record QuestionEdit(QuestionEditAction Action, string? QuestionId, RegistrationQuestion? Question);

/// <summary>Who edits, for the audit entry written with the change.</summary>
[GenerateSerializer, Immutable]
public sealed record QuestionEditor(Guid? AccountId, string? Email, string? FromAddress);

/// <summary>The list after an edit, or the problems (keyed by the editor's fields) that kept it from being made.</summary>
public sealed record QuestionEditOutcome(IReadOnlyList<RegistrationQuestion>? Questions, IReadOnlyDictionary<string, string> Problems)
{
    /// <summary>An edit refused for one reason.</summary>
    public static QuestionEditOutcome Refused(string field, string problem) => new(null, new Dictionary<string, string> { [field] = problem });
}

/// <summary>What editing a series' questions came to.</summary>
[GenerateSerializer]
public enum QuestionSaveOutcome
{
    /// <summary>Saved and audited.</summary>
    Saved,

    /// <summary>The edit broke a rule; nothing changed.</summary>
    Invalid,

    /// <summary>No such series; nothing changed.</summary>
    NotFound,
}

/// <summary>The answer to an edit of a series' questions.</summary>
[GenerateSerializer, Immutable]
public sealed record QuestionSaveResult(QuestionSaveOutcome Outcome, IReadOnlyDictionary<string, string> Problems, IReadOnlyList<RegistrationQuestion> Questions);
