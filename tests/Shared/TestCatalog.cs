using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Testing;

/// <summary>
/// Series and sessions for tests that run no silo: written through the very stores their grains write through (with the
/// drafts checked and rich text rendered as the grains do), and read back from the rows. A test that is about what a
/// grain decides goes through the grain instead.
/// </summary>
public sealed class TestCatalog(LearnHubDatabase database, LearnHubClock clock, IEnumerable<ITrainingRecordObserver>? observers = null)
{
    private static readonly RichTextPolicy RichText = new();
    private readonly CatalogStore _reads = new(database);
    private readonly SqlSeriesStore _series = new(database, clock, observers ?? []);
    private readonly SqlSessionStore _sessions = new(database, clock);

    /// <summary>Stores a series; throws with every problem when the draft is invalid or the slug taken.</summary>
    public async Task<Guid> CreateSeriesAsync(SeriesDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Refuse(draft.Problems());
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return await _series.CreateAsync(id, draft, RichText.RenderMarkdown(draft.Description), cancellationToken)
            ? id
            : throw new DomainException($"A series with the slug '{draft.Slug}' exists already.");
    }

    /// <summary>Saves a changed series (certificates released as the grain's store does).</summary>
    public async Task UpdateSeriesAsync(Guid id, SeriesDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Refuse(draft.Problems());
        if (!await _series.UpdateAsync(id, draft, RichText.RenderMarkdown(draft.Description), cancellationToken))
        {
            throw new DomainException($"There is no series {id}.");
        }
    }

    /// <summary>Sets a series' reminder lead times.</summary>
    public Task SetReminderOffsetsAsync(Guid id, IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken) =>
        _series.SetReminderLeadsAsync(id, leads, cancellationToken);

    /// <summary>Stores a session with its presenters and reminders; throws with every problem when the draft is invalid.</summary>
    public async Task<Guid> CreateSessionAsync(SessionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Refuse(draft.Problems());
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var presenters = draft.Presenters.Select(p => p with { BioHtml = RichText.RenderMarkdown(p.Bio ?? "") }).ToList();
        var created = await _sessions.CreateAsync(id, draft, RichText.RenderMarkdown(draft.Description), presenters, cancellationToken);
        return created == Grains.Sessions.SessionCreation.Created ? id : throw new DomainException($"Session not created: {created}.");
    }

    /// <summary>A published session from its rows, or null.</summary>
    public Task<SessionView?> FindSessionAsync(Guid id, CancellationToken cancellationToken) => _reads.FindSessionAsync(id, cancellationToken);

    /// <summary>A session, draft or published, from its rows, or null.</summary>
    public Task<SessionView?> FindSessionForOrganizersAsync(Guid id, CancellationToken cancellationToken) => _reads.FindSessionForOrganizersAsync(id, cancellationToken);

    /// <summary>A series by slug with its published sessions, from the rows.</summary>
    public Task<SeriesView?> FindSeriesAsync(string slug, CancellationToken cancellationToken) => _reads.FindSeriesAsync(slug, cancellationToken);

    /// <summary>A series by id with all its sessions, from the rows.</summary>
    public Task<SeriesView?> FindSeriesForOrganizersAsync(Guid id, CancellationToken cancellationToken) => _reads.FindSeriesForOrganizersAsync(id, cancellationToken);

    private static void Refuse(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new DomainException(string.Join(" ", problems));
        }
    }
}
