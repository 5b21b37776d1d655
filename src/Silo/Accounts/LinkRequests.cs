using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo.Accounts;

/// <summary>
/// Requests for an emailed sign-in or reset link, handled after the answer has gone out. Issuing a link writes a link
/// row and an outbox row, which an address without an account skips: done inside the request, the time of the answer
/// would tell the two apart. A request lost in a crash costs the person one more click; the answer promised nothing.
/// </summary>
public sealed partial class LinkRequests(AccountLinks links, Registrations.RegistrationLists lists, SignUps signUps, ILogger<LinkRequests> logger) : BackgroundService
{
    // Bounded, so a flood of requests cannot grow memory; beyond it requests are dropped (and logged), which is what
    // the rate limit in front does to such a flood anyway.
    // Besides account links: an address's list of registrations, and sign-up links (the same enumeration concern: each
    // writes rows only for some addresses).
    private readonly Channel<(string? Email, Request Kind)> _queue =
        Channel.CreateBounded<(string?, Request)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>
    /// Queues a request; returns at once, whatever the address. Callers in a request queue it once the response has
    /// been sent (<see cref="Microsoft.AspNetCore.Http.HttpResponse.OnCompleted(Func{Task})"/>): started earlier, the
    /// work for a real account would compete with the answer for the processor and show in its time.
    /// </summary>
    public void Enqueue(string? email, AccountLinkPurpose purpose) => Write(email, purpose switch
    {
        AccountLinkPurpose.SignIn => Request.SignIn,
        AccountLinkPurpose.PasswordReset => Request.PasswordReset,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Invitations are issued by admins, not requested."),
    });

    /// <summary>Queues "email me my registrations" for an address; returns at once, whatever the address (see <see cref="Enqueue"/>).</summary>
    public void EnqueueRegistrationList(string? email) => Write(email, Request.RegistrationList);

    /// <summary>Queues a sign-up link (a sign-in link for an address with an account); returns at once (see <see cref="Enqueue"/>).</summary>
    public void EnqueueSignUp(string? email) => Write(email, Request.SignUp);

    private void Write(string? email, Request purpose)
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
                await (purpose switch
                {
                    Request.SignIn => links.RequestAsync(email, AccountLinkPurpose.SignIn, stoppingToken),
                    Request.PasswordReset => links.RequestAsync(email, AccountLinkPurpose.PasswordReset, stoppingToken),
                    Request.RegistrationList => lists.RequestAsync(email, stoppingToken),
                    Request.SignUp => signUps.RequestAsync(email, stoppingToken),
                    _ => throw new InvalidOperationException($"Unknown request {purpose}."),
                });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed request (the database briefly away) must not stop the ones behind it.
                LogFailed(logger, purpose, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Purpose} request was dropped: too many are waiting")]
    private static partial void LogDropped(ILogger logger, Request purpose);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Purpose} request failed")]
    private static partial void LogFailed(ILogger logger, Request purpose, Exception exception);

    /// <summary>What an emailed request asks for.</summary>
    public enum Request
    {
        /// <summary>A sign-in link.</summary>
        SignIn,

        /// <summary>A password-reset link.</summary>
        PasswordReset,

        /// <summary>The address's registrations with their manage links.</summary>
        RegistrationList,

        /// <summary>A sign-up link (a sign-in link for an address with an account).</summary>
        SignUp,
    }
}
