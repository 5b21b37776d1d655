using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo.Accounts;

/// <summary>
/// Requests for an emailed sign-in or reset link, handled after the answer has gone out. Issuing a link writes a link
/// row and an outbox row, which an address without an account skips: done inside the request, the time of the answer
/// would tell the two apart. A request lost in a crash costs the person one more click; the answer promised nothing.
/// </summary>
public sealed partial class LinkRequests(AccountLinks links, Registrations.RegistrationLists lists, ILogger<LinkRequests> logger) : BackgroundService
{
    // Bounded, so a flood of requests cannot grow memory; beyond it requests are dropped (and logged), which is what
    // the rate limit in front does to such a flood anyway.
    // A request without a link purpose asks for the address's list of registrations (the same enumeration concern:
    // queueing it writes a row only for an address that has registrations).
    private readonly Channel<(string? Email, AccountLinkPurpose? Purpose)> _queue =
        Channel.CreateBounded<(string?, AccountLinkPurpose?)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>
    /// Queues a request; returns at once, whatever the address. Callers in a request queue it once the response has
    /// been sent (<see cref="Microsoft.AspNetCore.Http.HttpResponse.OnCompleted(Func{Task})"/>): started earlier, the
    /// work for a real account would compete with the answer for the processor and show in its time.
    /// </summary>
    public void Enqueue(string? email, AccountLinkPurpose purpose) => Write(email, purpose);

    /// <summary>Queues "email me my registrations" for an address; returns at once, whatever the address (see <see cref="Enqueue"/>).</summary>
    public void EnqueueRegistrationList(string? email) => Write(email, null);

    private void Write(string? email, AccountLinkPurpose? purpose)
    {
        if (!_queue.Writer.TryWrite((email, purpose)))
        {
            LogDropped(logger, purpose);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (email, purpose) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (purpose is { } linkPurpose)
                {
                    await links.RequestAsync(email, linkPurpose, stoppingToken);
                }
                else
                {
                    await lists.RequestAsync(email, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed request (the database briefly away) must not stop the ones behind it.
                LogFailed(logger, purpose, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Purpose} link request was dropped (none: a list of registrations): too many are waiting")]
    private static partial void LogDropped(ILogger logger, AccountLinkPurpose? purpose);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Purpose} link request (none: a list of registrations) failed")]
    private static partial void LogFailed(ILogger logger, AccountLinkPurpose? purpose, Exception exception);
}
