using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using Orleans.Runtime;
using Orleans.Storage;

namespace LearnHub.Grains.Learners;

/// <summary>
/// The learner grain. Its preferences and feed-token version are grain state, persisted by Orleans' ADO.NET provider
/// under the state name "learner" (one row per learner, written with an ETag). Its registration index is the learner's
/// registration rows, read once on first use and then kept current by the session grains, which report every
/// registration they create or change after it is committed.
/// </summary>
/// <remarks>
/// Concurrency: a write names the version it read; a second activation during a membership change that writes first
/// makes this one's write fail (InconsistentStateException) instead of overwriting it, so this grain reads the state
/// again and applies its change once more. The index is a cache of rows whose only writers are the session grains: an
/// entry missed (a report lost with a crashed silo, or a change made by a process outside the cluster, such as an
/// operator command on SQLite) is corrected when the index is read again, at most <see cref="IndexLifetime"/> later.
/// </remarks>
// A storm of registrations activates one learner per registrant, most of whom will not come back for weeks: they are let
// go after a few idle minutes rather than the silo's default, and everything they hold is in the database.
[CollectionAgeLimit(Minutes = 5)]
public sealed class LearnerGrain(
    [PersistentState("learner", GrainStorage.Name)] IPersistentState<LearnerState> state,
    ILearnerStore store,
    LearnHubClock clock) : Grain, ILearnerGrain
{
    /// <summary>How long a read index is trusted before it is read from the rows again.</summary>
    public static readonly TimeSpan IndexLifetime = TimeSpan.FromMinutes(1);

    private Dictionary<Guid, LearnerRegistration>? _index;
    private long _indexReadAtMs;

    private string Email => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task RecordAsync(IReadOnlyList<LearnerRegistration> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (_index is not null)
        {
            foreach (var change in changes)
            {
                _index[change.RegistrationId] = change;
            }
        }

        var zone = changes.FirstOrDefault(c => Zones.TryFind(c.TimeZone, out _))?.TimeZone;
        // The newest registration made in a language says which one the person reads now (the form's language, or the API's).
        var chosen = changes.Where(c => RegistrantLanguage.Normalize(c.Language) is not null).MaxBy(c => c.RegisteredAt);
        if (zone is null && chosen is null)
        {
            return;
        }

        // One write for both: a new learner registering through the form brings a zone and a language, and a storm of
        // registrations should cost one state write per new learner, none for one whose preferences stand.
        await ChangeStateAsync(s =>
        {
            var changed = false;
            if (zone is not null && s.TimeZone is null)
            {
                s.TimeZone = zone;
                changed = true;
            }

            if (chosen is not null && (s.LanguageChosenAt is not { } at || at < chosen.RegisteredAt)
                && RegistrantLanguage.Normalize(chosen.Language) is { } tag && s.Language != tag)
            {
                s.Language = tag;
                s.LanguageChosenAt = chosen.RegisteredAt;
                changed = true;
            }

            return changed;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearnerRegistration>> RegistrationsAsync() =>
        (await IndexAsync()).Values.OrderBy(r => r.RegisteredAt).ThenBy(r => r.RegistrationId).ToList();

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearnerRegistration>> GroupAsync(Guid groupId) =>
        (await IndexAsync()).Values.Where(r => r.GroupId == groupId).OrderBy(r => r.RegisteredAt).ThenBy(r => r.RegistrationId).ToList();

    /// <inheritdoc />
    public async Task<bool> HoldsSeatAsync(Guid sessionId) =>
        (await IndexAsync()).Values.Any(r => r.SessionId == sessionId && r.Status == RegistrationStatus.Confirmed);

    /// <inheritdoc />
    public Task<LearnerPreferences> PreferencesAsync() =>
        Task.FromResult(new LearnerPreferences(state.State.TimeZone, state.State.FeedTokenVersion) { Language = state.State.Language });

    /// <inheritdoc />
    public async Task<bool> SetLanguageAsync(string language)
    {
        if (RegistrantLanguage.Normalize(language) is not { } tag)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await ChangeStateAsync(s =>
        {
            var changed = s.Language != tag;
            s.Language = tag;
            // The moment matters only against a registration's: it is not worth a write when the language stands.
            s.LanguageChosenAt = changed ? now : s.LanguageChosenAt;
            return changed;
        });
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SetTimeZoneAsync(string timeZone)
    {
        if (!Zones.TryFind(timeZone, out _))
        {
            return false;
        }

        await ChangeStateAsync(s =>
        {
            var changed = s.TimeZone != timeZone;
            s.TimeZone = timeZone;
            return changed;
        });
        return true;
    }

    /// <inheritdoc />
    public async Task<int> RevokeFeedAsync()
    {
        await ChangeStateAsync(s =>
        {
            s.FeedTokenVersion++;
            return true;
        });
        return state.State.FeedTokenVersion;
    }

    /// <inheritdoc />
    public async Task ForgetAsync()
    {
        _index = null;
        try
        {
            await state.ClearStateAsync();
        }
        catch (InconsistentStateException)
        {
            // A second activation wrote meanwhile: clear what it wrote.
            await state.ReadStateAsync();
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    // Applies a change (which says whether it changed anything) and writes it; on a version conflict with a second
    // activation, reads what that one wrote and applies the change to it once more.
    private async Task ChangeStateAsync(Func<LearnerState, bool> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!change(state.State))
            {
                return;
            }

            try
            {
                await state.WriteStateAsync();
                return;
            }
            catch (InconsistentStateException) when (attempt == 1)
            {
                await state.ReadStateAsync();
            }
        }
    }

    private async Task<Dictionary<Guid, LearnerRegistration>> IndexAsync()
    {
        if (_index is null || Environment.TickCount64 - _indexReadAtMs > (long)IndexLifetime.TotalMilliseconds)
        {
            var rows = await store.RegistrationsAsync(Email, CancellationToken.None);
            _index = rows.ToDictionary(r => r.RegistrationId);
            _indexReadAtMs = Environment.TickCount64;
        }

        return _index;
    }
}

/// <summary>The name of LearnHub's grain-state storage provider (Orleans' ADO.NET persistence on LearnHub's database).</summary>
public static class GrainStorage
{
    /// <summary>The provider's name.</summary>
    public const string Name = "learnhub";
}
