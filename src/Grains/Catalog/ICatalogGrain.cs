namespace LearnHub.Grains.Catalog;

/// <summary>
/// The public catalog in memory: every series with its published sessions, as the catalog page, the series pages and
/// the catalog API list them. The series and session grains report every change they commit before they answer, so an
/// organizer sees their change at once; a periodic read of the rows corrects what a report lost with a crashed silo
/// (or a change made outside the cluster) within a minute.
/// </summary>
public interface ICatalogGrain : IGrainWithIntegerKey
{
    /// <summary>A session grain reports its view after a change (drafts leave the public catalog).</summary>
    Task SessionChangedAsync(SessionView view);

    /// <summary>A series grain reports its fields after a change.</summary>
    Task SeriesChangedAsync(SeriesInfo series);

    /// <summary>One page of series, ordered by title (1-based; a page past the end is empty).</summary>
    [AlwaysInterleave]
    Task<CatalogPage> PageAsync(int page, int pageSize);

    /// <summary>The sessions a visitor's search and filters admit: a page of the upcoming list, or a whole month.</summary>
    [AlwaysInterleave]
    Task<CatalogSearchResult> SearchAsync(CatalogQuery query);

    /// <summary>One series by slug with its published sessions in start order, or null.</summary>
    [AlwaysInterleave]
    Task<SeriesView?> SeriesAsync(string slug);
}

/// <summary>The one public catalog's key.</summary>
public static class PublicCatalog
{
    /// <summary>The key of the public catalog grain.</summary>
    public const long Key = 0;

    /// <summary>The most series one page lists.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The public catalog grain.</summary>
    public static ICatalogGrain Catalog(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<ICatalogGrain>(Key);
    }
}

/// <summary>Reads the public catalog from its rows (the grain's start, and its periodic check).</summary>
public interface ICatalogStore
{
    /// <summary>Every series, and every published session with its presenters.</summary>
    Task<(IReadOnlyList<SeriesInfo> Series, IReadOnlyList<SessionView> Sessions)> LoadPublicAsync(CancellationToken cancellationToken);

    /// <summary>One series' fields, or null.</summary>
    Task<SeriesInfo?> LoadSeriesAsync(Guid seriesId, CancellationToken cancellationToken);
}

/// <summary>
/// A series: the only writer of its row (title, description, tracks, proof-of-training settings, reminder lead times).
/// It reports its changes to the catalog and to its sessions, whose views carry its title.
/// </summary>
public interface ISeriesGrain : IGrainWithGuidKey
{
    /// <summary>Creates the series this grain's key names.</summary>
    Task<SeriesResult> CreateAsync(SeriesDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Changes title, description, tracks and (when given) the training settings; the slug stays.</summary>
    Task<SeriesResult> UpdateAsync(SeriesDraft draft, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the reminder lead times (1 to 5, see <see cref="ReminderLeads"/>): for sessions created from now on, and for the
    /// reminders still to come of its sessions that have not started.
    /// </summary>
    Task<SeriesResult> SetReminderLeadsAsync(IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the organizer's Spanish and Chinese versions of the series' title, description, certificate statement
    /// and registration questions; refused whole, with a problem per field, when one is wrong.
    /// </summary>
    Task<Sessions.TranslationResult> SetTranslationsAsync(IReadOnlyList<ContentTranslation> translations, CancellationToken cancellationToken = default);

    /// <summary>The questions the series asks everyone registering for its sessions, in order (empty when there is no such series).</summary>
    Task<IReadOnlyList<RegistrationQuestion>> QuestionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds, changes, removes or moves one question; stored with an audit entry naming the series, or refused whole.</summary>
    Task<QuestionSaveResult> EditQuestionsAsync(QuestionEdit edit, QuestionEditor editor, CancellationToken cancellationToken = default);
}

/// <summary>What a change to a series came to.</summary>
[GenerateSerializer]
public enum SeriesOutcome
{
    /// <summary>Saved.</summary>
    Saved,

    /// <summary>The draft has problems; nothing changed.</summary>
    Invalid,

    /// <summary>Another series has the slug; nothing changed.</summary>
    SlugTaken,

    /// <summary>There is no such series.</summary>
    NotFound,
}

/// <summary>The answer to a change of a series, with every problem when it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record SeriesResult(SeriesOutcome Outcome, IReadOnlyList<string> Problems)
{
    /// <summary>Saved.</summary>
    public static SeriesResult Saved { get; } = new(SeriesOutcome.Saved, []);
}

/// <summary>Where the series grain keeps its series.</summary>
public interface ISeriesStore
{
    /// <summary>Stores a new series (its draft checked, its description rendered); false when the slug is taken.</summary>
    Task<bool> CreateAsync(Guid id, SeriesDraft draft, string descriptionHtml, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a changed series; when the training settings stop requiring the evaluation, certificates that waited only
    /// for it are issued in the same transaction. False when there is no such series.
    /// </summary>
    Task<bool> UpdateAsync(Guid id, SeriesDraft draft, string descriptionHtml, CancellationToken cancellationToken);

    /// <summary>Saves the series' translations (rendered); false when there is no such series.</summary>
    Task<bool> SetTranslationsAsync(Guid id, IReadOnlyList<ContentTranslation> translations, CancellationToken cancellationToken);

    /// <summary>Saves reminder lead times; false when there is no such series.</summary>
    Task<bool> SetReminderLeadsAsync(Guid id, IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken);

    /// <summary>The series' sessions and their kinds (to tell their grains of a rename).</summary>
    Task<IReadOnlyList<(Guid Id, SessionKind Kind)>> SessionsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The series' registration questions in order; null when there is no such series.</summary>
    Task<IReadOnlyList<RegistrationQuestion>?> QuestionsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the series' questions and, in the same transaction, an audit entry of <paramref name="edit"/> by
    /// <paramref name="editor"/> titled with the series' title; false when there is no such series.
    /// </summary>
    Task<bool> SaveQuestionsAsync(Guid id, IReadOnlyList<RegistrationQuestion> questions, QuestionEdit edit, QuestionEditor editor, CancellationToken cancellationToken);
}
