using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Logging;

namespace LearnHub.Grains.Sessions;

/// <summary>
/// A learning exchange: the same roster as any session (the base class), and the pairing rules with the webinar it
/// follows (<see cref="ExchangePairing"/>): created only after a national webinar of its series that has no other
/// exchange, starting once that webinar has ended, and never moved to start before it ends.
/// </summary>
public sealed class LearningExchangeGrain(ISessionStore store, LearnHubClock clock, RichTextPolicy richText, ILogger<LearningExchangeGrain> logger)
    : RosterGrain(store, clock, richText, logger), ILearningExchangeGrain
{
    /// <inheritdoc />
    protected override bool Keeps(SessionKind kind) => SessionGrains.IsExchange(kind);

    /// <inheritdoc />
    protected override async Task<string?> CheckNewAsync(SessionDraft draft)
    {
        var webinar = draft.WebinarId is { } id ? await GrainFactory.GetGrain<ISessionGrain>(id).GetViewAsync() : null;
        var target = webinar is null ? null : new PairingTarget(webinar.Id, webinar.Kind, webinar.SeriesId, webinar.EndsAt, webinar.LearningExchangeId);
        return ExchangePairing.CheckLinks(SessionId, draft.SeriesId, SessionKind.LearningExchange, draft.WebinarId, draft.StartsAt, new PairingFacts(null, target));
    }

    /// <inheritdoc />
    protected override async Task<string?> CheckMoveAsync(DateTimeOffset startsAt, DateTimeOffset endsAt) =>
        View?.WebinarId is { } webinar && await GrainFactory.GetGrain<ISessionGrain>(webinar).GetViewAsync() is { } view
            ? ExchangePairing.CheckTimes(startsAt, view.EndsAt)
            : null;

    /// <inheritdoc />
    public Task<string?> ReviewWebinarMoveAsync(DateTimeOffset webinarEndsAt) =>
        Task.FromResult(View is { Cancelled: false } view ? ExchangePairing.CheckTimes(view.StartsAt, webinarEndsAt) : null);

    /// <inheritdoc />
    public Task<SessionChangeResult> WebinarCancelledAsync() => CancelSessionAsync();
}
