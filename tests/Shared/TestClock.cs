using LearnHub.Grains.Time;

namespace LearnHub.Testing;

/// <summary>
/// LearnHub's clock as a test sets it: pinned, moving only when the test says so. Only LearnHub's rules read it; the
/// Orleans runtime in the same container keeps the real clock (see <see cref="LearnHubClock"/>).
/// </summary>
public sealed class TestClock : LearnHubClock
{
    private long _utcTicks;

    /// <summary>A clock pinned at <paramref name="start"/>.</summary>
    public TestClock(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <summary>A clock pinned at an arbitrary fixed instant, for tests where the date does not matter.</summary>
    public TestClock()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the wall clock forward.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, by.Ticks);
    }

    /// <summary>Sets the wall clock (never backwards: nothing in LearnHub expects time to run back).</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value.UtcTicks, Interlocked.Read(ref _utcTicks));
        Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
    }
}
