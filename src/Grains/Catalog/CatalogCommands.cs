using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Catalog;

/// <summary>Creating series and sessions: a new id, and the grain of that id (of the draft's kind) asked to create it.</summary>
public static class CatalogCommands
{
    /// <summary>Creates a series under a new id; returns the id and the series grain's answer.</summary>
    public static async Task<(Guid Id, SeriesResult Result)> TryCreateSeriesAsync(this IGrainFactory grains, LearnHubClock clock, SeriesDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(clock);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return (id, await grains.GetGrain<ISeriesGrain>(id).CreateAsync(draft, cancellationToken));
    }

    /// <summary>Creates a series under a new id; a refusal throws, naming every problem (seeding and tests).</summary>
    public static async Task<Guid> CreateSeriesAsync(this IGrainFactory grains, LearnHubClock clock, SeriesDraft draft, CancellationToken cancellationToken = default)
    {
        var (id, result) = await grains.TryCreateSeriesAsync(clock, draft, cancellationToken);
        return result.Outcome == SeriesOutcome.Saved ? id : throw new DomainException(string.Join(" ", result.Problems));
    }

    /// <summary>Creates a session under a new id, through the grain type its kind belongs to; returns the id and the answer.</summary>
    public static async Task<(Guid Id, SessionCreateResult Result)> TryCreateSessionAsync(this IGrainFactory grains, LearnHubClock clock, SessionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(draft);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        return (id, await grains.Roster(id, draft.Kind).CreateAsync(draft, cancellationToken));
    }

    /// <summary>Creates a session under a new id; a refusal throws, naming every problem (seeding and tests).</summary>
    public static async Task<Guid> CreateSessionAsync(this IGrainFactory grains, LearnHubClock clock, SessionDraft draft, CancellationToken cancellationToken = default)
    {
        var (id, result) = await grains.TryCreateSessionAsync(clock, draft, cancellationToken);
        return result.Outcome == SessionCreateOutcome.Created ? id : throw new DomainException(string.Join(" ", result.Problems));
    }
}
