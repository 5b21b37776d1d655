using LearnHub.Grains.Catalog;

namespace LearnHub.Grains.Sessions;

/// <summary>
/// The rules that tie a Learning Exchange to the National Webinar it discusses, in one place: an exchange follows a
/// national webinar of its own series, that webinar has no other exchange, and the exchange starts once the webinar has
/// ended. Each rule returns the sentence an organizer reads, or nothing when the change may go ahead.
/// </summary>
public static class ExchangePairing
{
    /// <summary>
    /// Whether session <paramref name="sessionId"/> of series <paramref name="seriesId"/> may be (or become) of
    /// <paramref name="kind"/>, following <paramref name="webinarId"/> when that kind is an exchange and starting at
    /// <paramref name="startsAt"/>. <paramref name="facts"/> are read under the session's lock.
    /// </summary>
    public static string? CheckLinks(Guid sessionId, Guid seriesId, SessionKind kind, Guid? webinarId, DateTimeOffset startsAt, PairingFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.FollowedBy is not null && kind != SessionKind.NationalWebinar)
        {
            return "A learning exchange follows this webinar, so it stays a national webinar; change or remove the exchange first.";
        }

        if (kind != SessionKind.LearningExchange)
        {
            return null;
        }

        if (webinarId is not { } webinar || webinar == sessionId)
        {
            return "Choose the webinar this learning exchange follows.";
        }

        if (facts.Target is not { } target || target.Kind != SessionKind.NationalWebinar || target.SeriesId != seriesId)
        {
            return "A learning exchange must follow a national webinar of the same series.";
        }

        if (target.ExchangeId is { } taken && taken != sessionId)
        {
            return "That webinar already has a learning exchange.";
        }

        return CheckTimes(startsAt, target.EndsAt);
    }

    /// <summary>An exchange must start once its webinar has ended; null when <paramref name="exchangeStarts"/> is late enough.</summary>
    public static string? CheckTimes(DateTimeOffset exchangeStarts, DateTimeOffset webinarEnds) =>
        exchangeStarts < webinarEnds
            ? $"A learning exchange must start after its webinar ends ({webinarEnds:u}); choose a later start for the exchange or an earlier end for the webinar."
            : null;
}
