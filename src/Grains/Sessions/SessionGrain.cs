using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Logging;

namespace LearnHub.Grains.Sessions;

/// <summary>
/// A national webinar or an in-person training. A webinar that a learning exchange follows settles its moves and its
/// cancellation with that exchange's grain: it may not move to end after the exchange starts, and cancelling it cancels
/// the exchange too (the exchange would discuss a webinar that does not take place).
/// </summary>
public sealed class SessionGrain(ISessionStore store, LearnHubClock clock, RichTextPolicy richText, ILogger<SessionGrain> logger)
    : RosterGrain(store, clock, richText, logger), ISessionGrain
{
    /// <inheritdoc />
    protected override bool Keeps(SessionKind kind) => !SessionGrains.IsExchange(kind);

    /// <inheritdoc />
    protected override async Task<string?> CheckMoveAsync(DateTimeOffset startsAt, DateTimeOffset endsAt) =>
        View?.LearningExchangeId is { } exchange
            ? await GrainFactory.GetGrain<ILearningExchangeGrain>(exchange).ReviewWebinarMoveAsync(endsAt)
            : null;

    /// <inheritdoc />
    public override async Task<SessionChangeResult> CancelSessionAsync(CancellationToken cancellationToken = default)
    {
        var result = await base.CancelSessionAsync(cancellationToken);
        if (result.Outcome == SessionChangeOutcome.Changed && View?.LearningExchangeId is { } exchange)
        {
            var exchangeResult = await GrainFactory.GetGrain<ILearningExchangeGrain>(exchange).WebinarCancelledAsync();
            return result with { RegistrantsNotified = result.RegistrantsNotified + exchangeResult.RegistrantsNotified, Exchange = exchangeResult };
        }

        return result;
    }
}
