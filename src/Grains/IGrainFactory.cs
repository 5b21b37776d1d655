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

/// <summary>The grain factory over LearnHub's own grain store.</summary>
public sealed class GrainFactory(IRosterStore rosters, TimeProvider clock) : IGrainFactory
{
    /// <inheritdoc />
    public ISessionGrain Session(Guid sessionId) => new SessionGrain(sessionId, rosters, this, clock);
}
