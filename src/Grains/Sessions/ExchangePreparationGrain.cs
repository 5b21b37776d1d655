using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Sessions;

/// <summary>A question or case a registrant brings to a Learning Exchange.</summary>
[GenerateSerializer, Immutable]
public sealed record Preparation(Guid RegistrationId, string Name, string Email, string Text, DateTimeOffset SubmittedAt, DateTimeOffset UpdatedAt);

/// <summary>What became of a submitted preparation.</summary>
[GenerateSerializer, Immutable]
public sealed record PreparationAnswer(bool Saved, string? Problem = null);

/// <summary>The rows behind preparations; only <see cref="ExchangePreparationGrain"/> calls it.</summary>
public interface IExchangePreparationStore
{
    /// <summary>A registration's preparation, or null.</summary>
    Task<Preparation?> FindAsync(Guid registrationId, CancellationToken cancellationToken);

    /// <summary>Every preparation for the exchange, oldest first.</summary>
    Task<IReadOnlyList<Preparation>> ForSessionAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a registration's preparation; empty text removes it.</summary>
    Task SaveAsync(Guid sessionId, Guid registrationId, string text, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// The questions and cases registrants bring to one Learning Exchange, keyed by the exchange's id: the only writer of
/// its <c>exchange_preparations</c> rows. A registrant (waiting or confirmed) may submit, change or remove theirs until
/// the exchange starts.
/// </summary>
public interface IExchangePreparationGrain : IGrainWithGuidKey
{
    /// <summary>Stores a registration's preparation (empty text removes it); refused, changing nothing, with the reason.</summary>
    Task<PreparationAnswer> SubmitAsync(Guid registrationId, string? text);

    /// <summary>A registration's preparation, or null.</summary>
    [AlwaysInterleave]
    Task<Preparation?> ForAsync(Guid registrationId);
}

/// <summary>Plain rules of a preparation.</summary>
public static class PreparationRules
{
    /// <summary>The longest preparation.</summary>
    public const int MaxLength = 2000;

    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can (empty means "remove mine").</summary>
    public static string? Problem(string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length > MaxLength)
        {
            return $"Keep your question or case to {MaxLength:N0} characters (it has {trimmed.Length:N0}).";
        }

        return PlainText.Problem(trimmed, "Your question or case", TextShape.MultiLine);
    }
}

/// <summary>The preparation grain (see <see cref="IExchangePreparationGrain"/>).</summary>
public sealed class ExchangePreparationGrain(IExchangePreparationStore store, LearnHubClock clock) : Grain, IExchangePreparationGrain
{
    /// <inheritdoc />
    public async Task<PreparationAnswer> SubmitAsync(Guid registrationId, string? text)
    {
        if (PreparationRules.Problem(text) is { } problem)
        {
            return new PreparationAnswer(false, problem);
        }

        var exchange = GrainFactory.GetGrain<ILearningExchangeGrain>(this.GetPrimaryKey());
        if (await exchange.GetViewAsync() is not { Kind: SessionKind.LearningExchange } view)
        {
            return new PreparationAnswer(false, "This is not a Learning Exchange.");
        }

        if (await exchange.StatusOfAsync(registrationId) is not (RegistrationStatus.Confirmed or RegistrationStatus.Waitlisted))
        {
            return new PreparationAnswer(false, "Only people registered for this Learning Exchange can bring a question or case to it.");
        }

        var now = clock.GetUtcNow();
        if (now >= view.StartsAt)
        {
            return new PreparationAnswer(false, "This Learning Exchange has started: questions and cases can no longer be changed.");
        }

        await store.SaveAsync(this.GetPrimaryKey(), registrationId, (text ?? "").Trim(), now, CancellationToken.None);
        return new PreparationAnswer(true);
    }

    /// <inheritdoc />
    public Task<Preparation?> ForAsync(Guid registrationId) => store.FindAsync(registrationId, CancellationToken.None);
}
