using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace LearnHub.Testing;

/// <summary>
/// The catalog as organizers change it, for tests that run a silo: every change goes through the series and session
/// grains (a refusal throws, naming its problems, so a test reads as a sequence of steps), and reads come from the rows.
/// </summary>
public sealed class GrainCatalog(IServiceProvider services, LearnHubClock clock)
{
    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();

    private SessionDirectory Sessions => services.GetRequiredService<SessionDirectory>();

    private CatalogStore Reads => services.GetRequiredService<CatalogStore>();

    /// <summary>Creates a series through its grain.</summary>
    public Task<Guid> CreateSeriesAsync(SeriesDraft draft, CancellationToken cancellationToken) => Grains.CreateSeriesAsync(clock, draft, cancellationToken);

    /// <summary>Changes a series through its grain.</summary>
    public async Task UpdateSeriesAsync(Guid id, SeriesDraft draft, CancellationToken cancellationToken)
    {
        var result = await Grains.GetGrain<ISeriesGrain>(id).UpdateAsync(draft, cancellationToken);
        if (result.Outcome != SeriesOutcome.Saved)
        {
            throw new DomainException(string.Join(" ", result.Problems));
        }
    }

    /// <summary>Sets a series' reminder lead times through its grain.</summary>
    public async Task SetReminderOffsetsAsync(Guid id, IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken)
    {
        var result = await Grains.GetGrain<ISeriesGrain>(id).SetReminderLeadsAsync(leads, cancellationToken);
        if (result.Outcome != SeriesOutcome.Saved)
        {
            throw new DomainException(string.Join(" ", result.Problems));
        }
    }

    /// <summary>Every series with all its sessions, from the rows.</summary>
    public Task<IReadOnlyList<SeriesView>> ListSeriesForOrganizersAsync(CancellationToken cancellationToken) => Reads.ListSeriesForOrganizersAsync(cancellationToken);

    /// <summary>Creates a session through the grain of its kind.</summary>
    public Task<Guid> CreateSessionAsync(SessionDraft draft, CancellationToken cancellationToken) => Grains.CreateSessionAsync(clock, draft, cancellationToken);

    /// <summary>Changes a session's details through its grain; returns how many were sent a new join link.</summary>
    public async Task<int> UpdateSessionDetailsAsync(Guid id, SessionDetails details, CancellationToken cancellationToken)
    {
        var result = await Sessions.RunAsync(id, g => g.UpdateDetailsAsync(details, cancellationToken),
            new DetailsResult(DetailsOutcome.SessionNotFound, [$"There is no session {id}."], 0), cancellationToken);
        return result.Outcome == DetailsOutcome.Changed ? result.JoinLinkNotified : throw new DomainException(string.Join(" ", result.Problems));
    }

    /// <summary>Publishes or unpublishes a session through its grain; false when it already was so.</summary>
    public async Task<bool> SetPublishedAsync(Guid id, bool published, CancellationToken cancellationToken) =>
        await Sessions.RunAsync(id, g => g.SetPublishedAsync(published, cancellationToken), PublishResult.SessionNotFound, cancellationToken) == PublishResult.Changed;

    /// <summary>A published session from its rows, or null.</summary>
    public Task<SessionView?> FindSessionAsync(Guid id, CancellationToken cancellationToken) => Reads.FindSessionAsync(id, cancellationToken);

    /// <summary>A session, draft or published, from its rows, or null.</summary>
    public Task<SessionView?> FindSessionForOrganizersAsync(Guid id, CancellationToken cancellationToken) => Reads.FindSessionForOrganizersAsync(id, cancellationToken);

    /// <summary>A series by slug with its published sessions, from the rows.</summary>
    public Task<SeriesView?> FindSeriesAsync(string slug, CancellationToken cancellationToken) => Reads.FindSeriesAsync(slug, cancellationToken);

    /// <summary>A series by id with all its sessions, from the rows.</summary>
    public Task<SeriesView?> FindSeriesForOrganizersAsync(Guid id, CancellationToken cancellationToken) => Reads.FindSeriesForOrganizersAsync(id, cancellationToken);
}
