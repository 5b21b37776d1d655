using System.Text.Json;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;

namespace LearnHub.Silo.Storage;

/// <summary>
/// How a series' registration questions (<c>series.registration_questions</c>) and a registrant's answers
/// (<c>registrations.answers</c>) are written as JSON: explicit shapes with wire names, so renaming a C# member or an
/// enum value never changes what is stored.
/// </summary>
internal static class QuestionsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Format(IReadOnlyList<RegistrationQuestion> questions) => JsonSerializer.Serialize(
        questions.Select(q => new QuestionDoc(q.Id, q.Kind.ToWire(), q.Label, q.Hint, q.Required, q.Options.Select(o => new OptionDoc(o.Id, o.Label)).ToList())).ToList(),
        Options);

    public static IReadOnlyList<RegistrationQuestion> Parse(string? json) =>
        string.IsNullOrEmpty(json)
            ? []
            : (JsonSerializer.Deserialize<List<QuestionDoc>>(json, Options) ?? []).Select(q => new RegistrationQuestion(q.Id,
                    RegistrationQuestions.KindFromWire(q.Kind) ?? throw new InvalidDataException($"Unknown question kind '{q.Kind}' in storage."),
                    q.Label, q.Hint, q.Required, (q.Options ?? []).Select(o => new QuestionOption(o.Id, o.Label)).ToList()))
                .ToList();

    /// <summary>Null for no answers, so a registration of a series that asks nothing stores nothing.</summary>
    public static string? FormatAnswers(IReadOnlyList<RegistrationAnswer> answers) => answers.Count == 0
        ? null
        : JsonSerializer.Serialize(answers.Select(a => new AnswerDoc(a.QuestionId, a.Values, a.Label, a.Text)).ToList(), Options);

    public static IReadOnlyList<RegistrationAnswer> ParseAnswers(string? json) =>
        string.IsNullOrEmpty(json)
            ? []
            : (JsonSerializer.Deserialize<List<AnswerDoc>>(json, Options) ?? [])
                .Select(a => new RegistrationAnswer(a.QuestionId, a.Values ?? []) { Label = a.Label, Text = a.Text ?? [] }).ToList();

    private sealed record QuestionDoc(string Id, string Kind, string Label, string? Hint, bool Required, List<OptionDoc>? Options);

    private sealed record OptionDoc(string Id, string Label);

    private sealed record AnswerDoc(string QuestionId, IReadOnlyList<string>? Values, string Label, IReadOnlyList<string>? Text);
}
