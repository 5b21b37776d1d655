namespace LearnHub.Silo.Messaging;

/// <summary>
/// Whether mail delivery waits for a burst to pass. When a webinar is announced, thousands register within minutes, and
/// every registration queues a confirmation in its own transaction. Composing and writing those confirmations while the
/// registrations are still arriving takes the CPU and database the waiting registrants need (bench/platform.sh: 537
/// against 742 registrations a second through the API, 432 against 523 through the page, and 69 MiB more memory, with
/// delivery running through the storm or not). So while this process queues mail faster than
/// <see cref="MailOptions.BurstRate"/> a second, delivery waits, for at most <see cref="MailOptions.BurstDeferral"/>;
/// then it runs whatever the rate. A window of 250 ms below the rate ends a burst: delivery runs a pass then, so even a
/// storm that comes in waves never holds mail back for longer than one deferral at a time. Nothing is lost by waiting:
/// the queue is the outbox table. What a person is waiting on at the screen (<see cref="LearnHub.Grains.Messaging.MailPurposes.Awaited"/>:
/// sign-in and reset links and the like) does not wait: during a burst, delivery claims that mail alone every window.
/// </summary>
/// <remarks>
/// The rate is measured on the machine's monotonic clock in milliseconds, not the domain clock: it is about this
/// machine's load, and tests pin the domain clock. What is counted is mail queued through <see cref="OutboxWriter"/>, one
/// event's mail at a time (registrations, accounts, notices); a reminder fan-out, which the scheduler queues in one
/// set-based insert and whose delivery is the work then, is not a burst of requests and is not counted. One instance
/// per delivery loop; not thread-safe.
/// </remarks>
public sealed class DeliveryPacing
{
    private readonly MailOptions _options;

    /// <summary>Paces by these options' rate and deferral.</summary>
    public DeliveryPacing(MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The shortest window a rate is measured over.</summary>
    public const long WindowMs = 250;

    private long? _sampleAtMs;
    private long _sampleQueued;
    private bool _burst;
    private long? _waitingSinceMs;

    /// <summary>
    /// True when delivery should wait now. <paramref name="queued"/> is the count of mails this process has queued so far
    /// (<see cref="Storage.LearnHubDatabase.MailQueued"/>); <paramref name="nowMs"/> a monotonic time in milliseconds.
    /// </summary>
    public bool Waits(long queued, long nowMs)
    {
        if (_options.BurstRate <= 0)
        {
            return false;
        }

        if (_sampleAtMs is not { } sampledAt)
        {
            (_sampleAtMs, _sampleQueued) = (nowMs, queued);
            return false;
        }

        if (nowMs - sampledAt >= WindowMs)
        {
            var perSecond = (queued - _sampleQueued) * 1000.0 / (nowMs - sampledAt);
            (_sampleAtMs, _sampleQueued, _burst) = (nowMs, queued, perSecond > _options.BurstRate);
        }

        if (!_burst)
        {
            _waitingSinceMs = null;
            return false;
        }

        _waitingSinceMs ??= nowMs;
        return nowMs - _waitingSinceMs.Value < _options.BurstDeferral.TotalMilliseconds;
    }
}
