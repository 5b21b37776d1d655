using System.Collections.Concurrent;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains;

/// <summary>
/// Hands out grain references by key, as Orleans' IGrainFactory does; callers never construct grains themselves,
/// so moving to Orleans changes this one seam.
/// </summary>
public interface IGrainFactory
{
    /// <summary>The grain of one session.</summary>
    ISessionGrain Session(Guid sessionId);
}

/// <summary>
/// The grain factory over LearnHub's own grain store. It keeps one activation per session in this process, so
/// concurrent callers of a session share its admission queue; the activation holds no state another process could
/// contradict (every turn reads the roster afresh under the lock).
/// </summary>
public sealed class GrainFactory(IRosterStore rosters, TimeProvider clock) : IGrainFactory
{
    private readonly ConcurrentDictionary<Guid, SessionGrain> _sessions = new();

    /// <inheritdoc />
    public ISessionGrain Session(Guid sessionId) =>
        _sessions.GetOrAdd(sessionId, id => new SessionGrain(id, rosters, this, clock));
}
