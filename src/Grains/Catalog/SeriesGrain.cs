using LearnHub.Grains.Content;
using LearnHub.Grains.Sessions;

namespace LearnHub.Grains.Catalog;

/// <summary>
/// The series grain: checks a draft, renders its description through the one rich-text policy, lets its store write
/// the row, then tells the catalog (which lists it) and its sessions (whose views carry its title).
/// </summary>
public sealed class SeriesGrain(ISeriesStore store, ICatalogStore catalog, RichTextPolicy richText) : Grain, ISeriesGrain
{
    private Guid Id => this.GetPrimaryKey();

    // The questions as last read or written. This grain is their only writer, so the copy stays true; the registration
    // form reads it on every view of a session page.
    private IReadOnlyList<RegistrationQuestion>? _questions;

    /// <inheritdoc />
    public async Task<SeriesResult> CreateAsync(SeriesDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Problems() is { Count: > 0 } problems)
        {
            return new SeriesResult(SeriesOutcome.Invalid, problems);
        }

        if (!await store.CreateAsync(Id, draft, richText.RenderMarkdown(draft.Description), cancellationToken))
        {
            return new SeriesResult(SeriesOutcome.SlugTaken, [$"A series with the slug '{draft.Slug}' exists already."]);
        }

        await ReportAsync(cancellationToken);
        return SeriesResult.Saved;
    }

    /// <inheritdoc />
    public async Task<SeriesResult> UpdateAsync(SeriesDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Problems() is { Count: > 0 } problems)
        {
            return new SeriesResult(SeriesOutcome.Invalid, problems);
        }

        if (!await store.UpdateAsync(Id, draft, richText.RenderMarkdown(draft.Description), cancellationToken))
        {
            return new SeriesResult(SeriesOutcome.NotFound, [$"There is no series {Id}."]);
        }

        await ReportAsync(cancellationToken);
        // Every session view shows the series' title and links its slug.
        foreach (var (session, kind) in await store.SessionsAsync(Id, cancellationToken))
        {
            await GrainFactory.Roster(session, kind).RefreshAsync();
        }

        return SeriesResult.Saved;
    }

    /// <inheritdoc />
    public async Task<Sessions.TranslationResult> SetTranslationsAsync(IReadOnlyList<ContentTranslation> translations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translations);
        if (translations.Any(t => t.PresenterBios.Count > 0))
        {
            return new Sessions.TranslationResult(false, true, new Dictionary<string, string> { ["language"] = "A series has no presenters; bios belong to its sessions." });
        }

        if (ContentTranslations.Problems(translations, presenters: 0, await QuestionsAsync(cancellationToken)) is { Count: > 0 } problems)
        {
            return new Sessions.TranslationResult(false, true, problems);
        }

        if (!await store.SetTranslationsAsync(Id, ContentTranslations.Render(translations, richText), cancellationToken))
        {
            return Sessions.TranslationResult.NotFound;
        }

        await ReportAsync(cancellationToken);
        // Session views carry the series' translated title too.
        foreach (var (session, kind) in await store.SessionsAsync(Id, cancellationToken))
        {
            await GrainFactory.Roster(session, kind).RefreshAsync();
        }

        return Sessions.TranslationResult.Done;
    }

    /// <inheritdoc />
    public async Task<SeriesResult> SetReminderLeadsAsync(IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leads);
        if (ReminderLeads.Problem(leads) is { } problem)
        {
            return new SeriesResult(SeriesOutcome.Invalid, [problem]);
        }

        if (!await store.SetReminderLeadsAsync(Id, leads, cancellationToken))
        {
            return new SeriesResult(SeriesOutcome.NotFound, [$"There is no series {Id}."]);
        }

        // New sessions take the leads from the series row; sessions still to come re-plan their pending reminders
        // through their own grains (the only writers of their reminder rows).
        foreach (var (session, kind) in await store.SessionsAsync(Id, cancellationToken))
        {
            await GrainFactory.Roster(session, kind).ReplanRemindersAsync(leads, cancellationToken);
        }

        return SeriesResult.Saved;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegistrationQuestion>> QuestionsAsync(CancellationToken cancellationToken = default) =>
        _questions ??= await store.QuestionsAsync(Id, cancellationToken) ?? [];

    /// <inheritdoc />
    public async Task<QuestionSaveResult> EditQuestionsAsync(QuestionEdit edit, QuestionEditor editor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(editor);
        // Read afresh: an edit applies to what is stored, not to a copy an earlier failed save may have left behind.
        if (await store.QuestionsAsync(Id, cancellationToken) is not { } current)
        {
            return new QuestionSaveResult(QuestionSaveOutcome.NotFound, new Dictionary<string, string> { ["question"] = $"There is no series {Id}." }, []);
        }

        var outcome = RegistrationQuestions.Apply(current, edit);
        if (outcome.Questions is not { } questions)
        {
            _questions = current;
            return new QuestionSaveResult(QuestionSaveOutcome.Invalid, outcome.Problems, current);
        }

        // The audit entry names the question the edit was about: for a removal or a move, as it stood.
        var subject = edit.Action is QuestionEditAction.Add or QuestionEditAction.Change ? edit.Question : current.First(q => q.Id == edit.QuestionId);
        if (!await store.SaveQuestionsAsync(Id, questions, edit with { Question = subject }, editor, cancellationToken))
        {
            return new QuestionSaveResult(QuestionSaveOutcome.NotFound, new Dictionary<string, string> { ["question"] = $"There is no series {Id}." }, []);
        }

        _questions = questions;
        return new QuestionSaveResult(QuestionSaveOutcome.Saved, new Dictionary<string, string>(), questions);
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        if (await catalog.LoadSeriesAsync(Id, cancellationToken) is { } info)
        {
            await GrainFactory.Catalog().SeriesChangedAsync(info);
        }
    }
}
