using LearnHub.Grains.Time;

namespace LearnHub.Grains.Certificates;

/// <summary>The rows behind knowledge checks and their attempts; only <see cref="KnowledgeCheckGrain"/> calls it.</summary>
public interface IKnowledgeCheckStore
{
    /// <summary>The session's check, or null when it has none.</summary>
    Task<KnowledgeCheck?> LoadAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Writes the session's check (replacing any), audited; false when the session does not exist.</summary>
    Task<bool> SaveAsync(Guid sessionId, KnowledgeCheckDraft draft, Guid? actorId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes the session's check, audited. Attempts already made stay, with their answers.</summary>
    Task RemoveAsync(Guid sessionId, Guid? actorId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The attempts of one registration, oldest first.</summary>
    Task<IReadOnlyList<CheckAttempt>> AttemptsAsync(Guid registrationId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an attempt; a passed one tells the training-record observers in the same transaction, so the self-study
    /// certificate it completes is issued with it. False when that attempt number is already stored (changing nothing).
    /// </summary>
    Task<bool> AddAttemptAsync(Guid sessionId, CheckAttempt attempt, CancellationToken cancellationToken);
}

/// <summary>
/// A session's knowledge check, keyed by the session's id: the only writer of the check and of its attempts. Attempts
/// of one session take turns here, so an attempt limit cannot be outrun by two tabs submitting at once (the attempt
/// number in the key is the database's backstop during a membership change).
/// </summary>
public interface IKnowledgeCheckGrain : IGrainWithGuidKey
{
    /// <summary>The check, or null when the session has none.</summary>
    [AlwaysInterleave]
    Task<KnowledgeCheck?> GetAsync();

    /// <summary>Writes the check; returns its problems (keyed as <see cref="KnowledgeCheckDraft.Problems"/>), empty when saved.</summary>
    Task<IReadOnlyDictionary<string, string>> SaveAsync(KnowledgeCheckDraft draft, Guid? actorId);

    /// <summary>Removes the check: self-study credit no longer waits for one.</summary>
    Task RemoveAsync(Guid? actorId);

    /// <summary>Where a registration stands, or null when the session has no check.</summary>
    Task<CheckStanding?> StandingAsync(Guid registrationId);

    /// <summary>
    /// Grades attempt number <paramref name="attempt"/> of a registration that may take it (the caller checked it played
    /// enough of the recording). Refused, changing nothing, when the check is gone, an answer is missing, the attempt was
    /// already submitted, or none is left.
    /// </summary>
    Task<CheckAnswer> SubmitAsync(Guid registrationId, int attempt, IReadOnlyDictionary<string, int> answers);
}

/// <summary>The knowledge check grain (see <see cref="IKnowledgeCheckGrain"/>).</summary>
public sealed class KnowledgeCheckGrain(IKnowledgeCheckStore store, LearnHubClock clock) : Grain, IKnowledgeCheckGrain
{
    private KnowledgeCheck? _check;

    private Guid SessionId => this.GetPrimaryKey();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _check = await store.LoadAsync(SessionId, cancellationToken);

    /// <inheritdoc />
    public Task<KnowledgeCheck?> GetAsync() => Task.FromResult(_check);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(KnowledgeCheckDraft draft, Guid? actorId)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = draft.Problems();
        if (problems.Count > 0)
        {
            return problems;
        }

        var now = clock.GetUtcNow();
        if (!await store.SaveAsync(SessionId, draft, actorId, now, CancellationToken.None))
        {
            return new Dictionary<string, string> { ["questions"] = "The session no longer exists." };
        }

        _check = await store.LoadAsync(SessionId, CancellationToken.None);
        return new Dictionary<string, string>();
    }

    /// <inheritdoc />
    public async Task RemoveAsync(Guid? actorId)
    {
        await store.RemoveAsync(SessionId, actorId, clock.GetUtcNow(), CancellationToken.None);
        _check = null;
    }

    /// <inheritdoc />
    public async Task<CheckStanding?> StandingAsync(Guid registrationId) =>
        _check is null ? null : Standing(_check, await store.AttemptsAsync(registrationId, CancellationToken.None));

    /// <inheritdoc />
    public async Task<CheckAnswer> SubmitAsync(Guid registrationId, int attempt, IReadOnlyDictionary<string, int> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (_check is not { } check)
        {
            return new CheckAnswer(CheckOutcome.Refused, new CheckStanding(0, 0, false, null), Problem: "This session has no knowledge check.");
        }

        var standing = Standing(check, await store.AttemptsAsync(registrationId, CancellationToken.None));
        if ((KnowledgeCheckRules.AttemptProblem(standing, attempt) ?? KnowledgeCheckRules.Problem(check.Questions, answers)) is { } problem)
        {
            return new CheckAnswer(CheckOutcome.Refused, standing, Problem: problem);
        }

        var score = KnowledgeCheckRules.Score(check.Questions, answers);
        var passed = score >= check.PassPercent;
        var stored = new CheckAttempt(registrationId, attempt, new Dictionary<string, int>(answers, StringComparer.Ordinal), score, passed, clock.GetUtcNow());
        if (!await store.AddAttemptAsync(SessionId, stored, CancellationToken.None))
        {
            // Another activation stored this attempt number first (a membership change): its result stands.
            standing = Standing(check, await store.AttemptsAsync(registrationId, CancellationToken.None));
            return new CheckAnswer(CheckOutcome.Refused, standing, Problem: "This attempt was already submitted. Your result is shown below.");
        }

        var after = standing with { AttemptsUsed = standing.AttemptsUsed + 1, Passed = passed, LastScorePercent = score };
        return new CheckAnswer(passed ? CheckOutcome.Passed : CheckOutcome.Failed, after, score);
    }

    private static CheckStanding Standing(KnowledgeCheck check, IReadOnlyList<CheckAttempt> attempts) =>
        new(attempts.Count, check.MaxAttempts, attempts.Any(a => a.Passed), attempts.Count == 0 ? null : attempts[^1].ScorePercent);
}
