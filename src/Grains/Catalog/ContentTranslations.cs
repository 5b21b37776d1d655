using System.Text.Json;
using System.Text.Json.Serialization;
using LearnHub.Grains.Content;

namespace LearnHub.Grains.Catalog;

/// <summary>
/// An organizer's version of a series' or a session's own text in another language: its title and description, the
/// presenters' bios (a session's, in the presenters' order) and the certificate statement (a series'). The original,
/// in English, stays the source: a field left empty here shows the original, marked with its language.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContentTranslation(string Language, string Title, string Description)
{
    /// <summary>The description rendered through the one rich-text policy, as the original's is.</summary>
    [Id(3)]
    public string DescriptionHtml { get; init; } = "";

    /// <summary>The presenters' bios in this language, by the presenters' order (an empty one shows the original).</summary>
    [Id(4)]
    public IReadOnlyList<string> PresenterBios { get; init; } = [];

    /// <summary>The bios rendered, in the same order.</summary>
    [Id(5)]
    public IReadOnlyList<string> PresenterBiosHtml { get; init; } = [];

    /// <summary>A series' certificate statement in this language (plain text).</summary>
    [Id(6)]
    public string CertificateStatement { get; init; } = "";

    /// <summary>A series' registration questions in this language, by question id.</summary>
    [Id(7)]
    public IReadOnlyList<QuestionTranslation> Questions { get; init; } = [];

    /// <summary>True when nothing is translated (the organizer cleared it, or never wrote one).</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Description)
        && PresenterBios.All(string.IsNullOrWhiteSpace) && string.IsNullOrWhiteSpace(CertificateStatement) && Questions.All(q => q.IsEmpty);
}

/// <summary>
/// One registration question in another language: its label, hint and options' texts (by the options' order). Answers
/// are stored against the question's and options' ids, so a registrant answering in Spanish answers the same question.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QuestionTranslation(string QuestionId, string Label, string Hint, IReadOnlyList<string> Options)
{
    /// <summary>True when nothing of the question is translated.</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Label) && string.IsNullOrWhiteSpace(Hint) && Options.All(string.IsNullOrWhiteSpace);
}

/// <summary>The rules of content translations, and how a row keeps them.</summary>
public static class ContentTranslations
{
    /// <summary>The languages content may be translated into, besides the original English (LearnHub's own languages).</summary>
    public static IReadOnlyList<string> Languages { get; } = ["es", "zh-Hans"];

    /// <summary>The longest translated title (as the original's: a session's title is at most 300 characters).</summary>
    public const int MaxTitle = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary>
    /// What is wrong with <paramref name="translations"/>, by form field ("es.title", "zh-Hans.bio1", …); empty when they
    /// can be stored. <paramref name="presenters"/> is how many presenters the session has (0 for a series).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Problems(IReadOnlyList<ContentTranslation> translations, int presenters,
        IReadOnlyList<RegistrationQuestion>? questions = null)
    {
        ArgumentNullException.ThrowIfNull(translations);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in translations)
        {
            var at = t.Language;
            if (!Languages.Contains(t.Language, StringComparer.Ordinal))
            {
                problems.TryAdd("language", $"Content can be translated into {string.Join(" and ", Languages)} only, not '{t.Language}'.");
                continue;
            }

            if (translations.Count(o => o.Language == t.Language) > 1)
            {
                problems.TryAdd("language", "Give each language one translation.");
            }

            if ((t.Title ?? "").Trim().Length > MaxTitle)
            {
                problems.TryAdd($"{at}.title", $"The title must be at most {MaxTitle} characters.");
            }

            Add(problems, $"{at}.title", PlainText.Problem(t.Title, "The title", TextShape.SingleLine));
            Add(problems, $"{at}.description", PlainText.Problem(t.Description, "The description", TextShape.MultiLine));
            if (!RichText.FitsDefaultCap(t.Description))
            {
                problems.TryAdd($"{at}.description", $"The description is over {RichTextPolicy.DefaultMaxBytes / 1024} KB.");
            }

            if (t.PresenterBios.Count > presenters)
            {
                problems.TryAdd($"{at}.bio{presenters}", "There are more bios than presenters; reload the page.");
            }

            for (var i = 0; i < t.PresenterBios.Count; i++)
            {
                Add(problems, $"{at}.bio{i}", PlainText.Problem(t.PresenterBios[i], "A presenter's bio", TextShape.MultiLine));
                if (!RichText.FitsDefaultCap(t.PresenterBios[i]))
                {
                    problems.TryAdd($"{at}.bio{i}", $"The bio is over {RichTextPolicy.DefaultMaxBytes / 1024} KB.");
                }
            }

            foreach (var q in t.Questions)
            {
                var field = $"{at}.question-{q.QuestionId}";
                if ((questions ?? []).FirstOrDefault(x => x.Id == q.QuestionId) is not { } question)
                {
                    problems.TryAdd(field, "This question is not asked any more. Reload the page to see the current questions.");
                    continue;
                }

                if ((q.Label ?? "").Length > RegistrationQuestions.MaxLabel)
                {
                    problems.TryAdd(field, $"The question must be at most {RegistrationQuestions.MaxLabel} characters.");
                }

                if ((q.Hint ?? "").Length > RegistrationQuestions.MaxHint)
                {
                    problems.TryAdd(field, $"The hint is too long (at most {RegistrationQuestions.MaxHint} characters).");
                }

                if (q.Options.Count > question.Options.Count)
                {
                    problems.TryAdd($"{field}-options", $"Give at most one text per option: the question has {question.Options.Count}.");
                }
                else if (q.Options.Any(o => (o ?? "").Length > RegistrationQuestions.MaxOptionLabel))
                {
                    problems.TryAdd($"{field}-options", $"Each option needs a text of 1–{RegistrationQuestions.MaxOptionLabel} characters.");
                }

                Add(problems, field, PlainText.Problem(q.Label, "The question", TextShape.SingleLine) ?? PlainText.Problem(q.Hint, "The hint", TextShape.SingleLine));
                Add(problems, $"{field}-options", q.Options.Select(o => PlainText.Problem(o, "An option", TextShape.SingleLine)).FirstOrDefault(p => p is not null));
            }

            Add(problems, $"{at}.statement", PlainText.Problem(t.CertificateStatement, "The certificate statement", TextShape.MultiLine));
            if ((t.CertificateStatement ?? "").Trim().Length > SeriesTraining.MaxStatement)
            {
                problems.TryAdd($"{at}.statement", $"Keep the certificate statement to {SeriesTraining.MaxStatement:N0} characters.");
            }
        }

        return problems;
    }

    /// <summary>The translations trimmed, rendered through <paramref name="richText"/>, with empty ones dropped.</summary>
    public static IReadOnlyList<ContentTranslation> Render(IReadOnlyList<ContentTranslation> translations, RichTextPolicy richText)
    {
        ArgumentNullException.ThrowIfNull(translations);
        ArgumentNullException.ThrowIfNull(richText);
        return [.. translations
            .Select(t => t with
            {
                Title = (t.Title ?? "").Trim(),
                Description = (t.Description ?? "").Trim(),
                DescriptionHtml = string.IsNullOrWhiteSpace(t.Description) ? "" : richText.RenderMarkdown(t.Description.Trim()),
                PresenterBios = [.. t.PresenterBios.Select(b => (b ?? "").Trim())],
                PresenterBiosHtml = [.. t.PresenterBios.Select(b => string.IsNullOrWhiteSpace(b) ? "" : richText.RenderMarkdown(b.Trim()))],
                CertificateStatement = (t.CertificateStatement ?? "").Trim(),
                Questions = [.. t.Questions
                    .Select(q => new QuestionTranslation(q.QuestionId, (q.Label ?? "").Trim(), (q.Hint ?? "").Trim(), [.. q.Options.Select(o => (o ?? "").Trim())]))
                    .Where(q => !q.IsEmpty)],
            })
            .Where(t => !t.IsEmpty)
            .OrderBy(t => t.Language, StringComparer.Ordinal)];
    }

    /// <summary>The translation into <paramref name="language"/> (or its nearest parent, "es-MX" finds "es"), or null.</summary>
    public static ContentTranslation? For(IReadOnlyList<ContentTranslation> translations, string? language) =>
        language is null ? null
        : translations.FirstOrDefault(t => string.Equals(t.Language, language, StringComparison.OrdinalIgnoreCase))
          ?? translations.FirstOrDefault(t => language.StartsWith(t.Language + "-", StringComparison.OrdinalIgnoreCase));

    /// <summary>The translation of <paramref name="question"/> into <paramref name="language"/> from a series' translations, or null.</summary>
    public static QuestionTranslation? For(IReadOnlyList<ContentTranslation> translations, string? language, RegistrationQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return For(translations, language)?.Questions.FirstOrDefault(q => q.QuestionId == question.Id);
    }

    /// <summary>The column's text for <paramref name="translations"/> ("" when there are none).</summary>
    public static string ToColumn(IReadOnlyList<ContentTranslation> translations) =>
        translations.Count == 0 ? "" : JsonSerializer.Serialize(translations.Select(Stored.Of).ToList(), Json);

    /// <summary>The translations a column holds (none for an empty one).</summary>
    public static IReadOnlyList<ContentTranslation> FromColumn(string? column) =>
        string.IsNullOrWhiteSpace(column) ? [] : [.. (JsonSerializer.Deserialize<List<Stored>>(column, Json) ?? []).Select(s => s.ToTranslation())];

    private static void Add(Dictionary<string, string> problems, string field, string? problem)
    {
        if (problem is not null)
        {
            problems.TryAdd(field, problem);
        }
    }

    // The stored shape: names that say what they are in the row, whatever the record's members become.
    private sealed record Stored(string Language, string? Title, string? Description, string? DescriptionHtml, List<string>? Bios, List<string>? BiosHtml, string? Statement,
        List<StoredQuestion>? Questions = null)
    {
        public static Stored Of(ContentTranslation t) => new(t.Language, t.Title, t.Description, t.DescriptionHtml,
            t.PresenterBios.Count == 0 ? null : [.. t.PresenterBios], t.PresenterBiosHtml.Count == 0 ? null : [.. t.PresenterBiosHtml], t.CertificateStatement,
            t.Questions.Count == 0 ? null : [.. t.Questions.Select(q => new StoredQuestion(q.QuestionId, q.Label, q.Hint, q.Options.Count == 0 ? null : [.. q.Options]))]);

        public ContentTranslation ToTranslation() => new(Language, Title ?? "", Description ?? "")
        {
            DescriptionHtml = DescriptionHtml ?? "",
            PresenterBios = Bios ?? [],
            PresenterBiosHtml = BiosHtml ?? [],
            CertificateStatement = Statement ?? "",
            Questions = [.. (Questions ?? []).Select(q => new QuestionTranslation(q.Id, q.Label ?? "", q.Hint ?? "", q.Options ?? []))],
        };
    }

    private sealed record StoredQuestion(string Id, string? Label, string? Hint, List<string>? Options);
}
