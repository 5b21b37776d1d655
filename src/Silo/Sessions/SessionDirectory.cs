using System.Collections.Concurrent;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Catalog;

namespace LearnHub.Silo.Sessions;

/// <summary>
/// Finds the grain of a session by its id alone (a URL, an API call): national webinars and in-person trainings are
/// session grains, learning exchanges are exchange grains. A session's kind is read once and remembered; should an
/// organizer have changed it to or from a learning exchange since, the grain asked says so and the call goes to the
/// other type.
/// </summary>
public sealed class SessionDirectory(IGrainFactory grains, CatalogStore catalog)
{
    private readonly ConcurrentDictionary<Guid, SessionKind> _kinds = new();

    /// <summary>The session's view, or null when there is no such session.</summary>
    public async Task<SessionView?> ViewAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (await KindAsync(sessionId, cancellationToken) is not { } kind)
        {
            return null;
        }

        var view = await grains.Roster(sessionId, kind).GetViewAsync();
        if (view is not null && SessionGrains.IsExchange(view.Kind) != SessionGrains.IsExchange(kind))
        {
            // A view read through the other type is still right; the next command goes to the type that keeps it now.
            _kinds[sessionId] = view.Kind;
        }

        return view;
    }

    /// <summary>The published session's view, or null when there is none or it is a draft.</summary>
    public async Task<SessionView?> PublishedViewAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await ViewAsync(sessionId, cancellationToken) is { Published: true } view ? view : null;

    /// <summary>
    /// Runs a command on the session's grain; <paramref name="notFound"/> when there is no such session. A grain that no
    /// longer keeps the session (its kind changed) refuses before it changes anything, and the command is sent once more
    /// to the grain that does.
    /// </summary>
    public async Task<T> RunAsync<T>(Guid sessionId, Func<IRosterGrain, Task<T>> command, T notFound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await KindAsync(sessionId, cancellationToken) is not { } kind)
        {
            return notFound;
        }

        try
        {
            return await command(grains.Roster(sessionId, kind));
        }
        catch (SessionKindMovedException moved)
        {
            _kinds[sessionId] = moved.Kind;
            return await command(grains.Roster(sessionId, moved.Kind));
        }
    }

    /// <summary>Runs a command on the session's grain (see <see cref="RunAsync{T}"/>); null when there is no such session.</summary>
    public async Task<T?> TryRunAsync<T>(Guid sessionId, Func<IRosterGrain, Task<T>> command, CancellationToken cancellationToken)
        where T : class =>
        await RunAsync<T?>(sessionId, async grain => await command(grain), null, cancellationToken);

    /// <summary>
    /// Makes the session's grain read its row and roster again (after a change written beside it, such as an erasure
    /// or a retention run); nothing happens for a session that no longer exists.
    /// </summary>
    public Task RefreshAsync(Guid sessionId, CancellationToken cancellationToken) =>
        RunAsync(sessionId, async grain =>
        {
            await grain.RefreshAsync();
            return true;
        }, false, cancellationToken);

    private async Task<SessionKind?> KindAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (_kinds.TryGetValue(sessionId, out var known))
        {
            return known;
        }

        if (await catalog.KindOfAsync(sessionId, cancellationToken) is not { } kind)
        {
            return null;
        }

        _kinds[sessionId] = kind;
        return kind;
    }
}
