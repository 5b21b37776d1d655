namespace LearnHub.Grains.Time;

/// <summary>
/// What time it is for LearnHub's rules: registration windows, reminders, follow-up due dates, token expiry. Every
/// LearnHub class asks this clock, never <see cref="DateTimeOffset.UtcNow"/>, so a test can pin the date.
/// </summary>
/// <remarks>
/// It is a type of its own, not the container's <see cref="TimeProvider"/>, because the Orleans runtime in the same
/// container measures heartbeats and idle activations with that one: pinning the date for the domain must not make
/// the silo believe it slept through a month of heartbeats and declare itself dead.
/// </remarks>
public class LearnHubClock : TimeProvider
{
    /// <summary>The real wall clock.</summary>
    public static new LearnHubClock System { get; } = new();

    /// <summary>For a clock that a subclass sets (tests).</summary>
    protected LearnHubClock()
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow();
}
