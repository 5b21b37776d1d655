using LearnHub.Grains.Catalog;

namespace LearnHub.Web.Localization;

/// <summary>
/// A piece of organizer content as a page shows it: the organizer's translation into the visitor's language where there
/// is one, else the original with <see cref="Lang"/> naming the original's language, so the element that shows it says
/// <c>lang="en"</c> and a screen reader reads English as English inside a Spanish page. On an English page, or when the
/// translation is shown, <see cref="Lang"/> is null (the page's own language; Razor then writes no attribute).
/// </summary>
public readonly record struct Shown(string Text, string? Lang)
{
    /// <summary>The text.</summary>
    public override string ToString() => Text;
}

/// <summary>Picks the text of a series or session in the current request's language (see <see cref="Shown"/>).</summary>
public static class LocalizedContent
{
    /// <summary>The language organizers write the originals in.</summary>
    public const string OriginalLanguage = Languages.Default;

    /// <summary>The session's title.</summary>
    public static Shown ShownTitle(this SessionView session) => Pick(session?.Title, session?.Translations, t => t.Title);

    /// <summary>The session's description, rendered.</summary>
    public static Shown ShownDescriptionHtml(this SessionView session) => Pick(session?.DescriptionHtml, session?.Translations, t => t.DescriptionHtml);

    /// <summary>The title of the session's series.</summary>
    public static Shown ShownSeriesTitle(this SessionView session) => Pick(session?.SeriesTitle, session?.SeriesTranslations, t => t.Title);

    /// <summary>The bio of the session's presenter at <paramref name="index"/>, rendered.</summary>
    public static Shown ShownBioHtml(this SessionView session, int index) =>
        Pick(session?.Presenters[index].BioHtml, session?.Translations, t => index < t.PresenterBiosHtml.Count ? t.PresenterBiosHtml[index] : "");

    /// <summary>The series' title.</summary>
    public static Shown ShownTitle(this SeriesView series) => Pick(series?.Title, series?.Translations, t => t.Title);

    /// <summary>The series' description, rendered.</summary>
    public static Shown ShownDescriptionHtml(this SeriesView series) => Pick(series?.DescriptionHtml, series?.Translations, t => t.DescriptionHtml);

    /// <summary>A registration question's label, from its series' translations.</summary>
    public static Shown ShownLabel(this RegistrationQuestion question, IReadOnlyList<ContentTranslation> seriesTranslations) =>
        PickQuestion(question, seriesTranslations, question?.Label, q => q.Label);

    /// <summary>A registration question's hint, from its series' translations.</summary>
    public static Shown ShownHint(this RegistrationQuestion question, IReadOnlyList<ContentTranslation> seriesTranslations) =>
        PickQuestion(question, seriesTranslations, question?.Hint ?? "", q => q.Hint);

    /// <summary>The text of a registration question's option at <paramref name="index"/>, from its series' translations.</summary>
    public static Shown ShownOption(this RegistrationQuestion question, int index, IReadOnlyList<ContentTranslation> seriesTranslations) =>
        PickQuestion(question, seriesTranslations, question?.Options[index].Label, q => index < q.Options.Count ? q.Options[index] : "");

    private static Shown PickQuestion(RegistrationQuestion? question, IReadOnlyList<ContentTranslation>? translations, string? original, Func<QuestionTranslation, string> field)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Pick(original, translations, t => t.Questions.FirstOrDefault(q => q.QuestionId == question.Id) is { } q ? field(q) : "");
    }

    private static Shown Pick(string? original, IReadOnlyList<ContentTranslation>? translations, Func<ContentTranslation, string> field)
    {
        ArgumentNullException.ThrowIfNull(original);
        var language = Languages.Current.Tag;
        if (language == OriginalLanguage)
        {
            return new Shown(original, null);
        }

        var translated = ContentTranslations.For(translations ?? [], language) is { } translation ? field(translation) : "";
        return string.IsNullOrWhiteSpace(translated) ? new Shown(original, OriginalLanguage) : new Shown(translated, null);
    }
}
