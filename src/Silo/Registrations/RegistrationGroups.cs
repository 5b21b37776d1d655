using System.Collections.Concurrent;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Learners;
using LearnHub.Silo.Sessions;

namespace LearnHub.Silo.Registrations;

/// <summary>
/// The registrations behind one manage link, as its pages show them, from grains' memory: the learner grain's index
/// (whose registrations they are, and where each stands) and the session grains' views (what each session is, and
/// where a waiting registrant stands in line). Which learner a group belongs to never changes, so it is read once.
/// </summary>
public sealed class RegistrationGroups(IGrainFactory grains, SqlLearnerStore learners, SessionDirectory sessions)
{
    private const int MaxGroupsKept = 100_000;
    private readonly ConcurrentDictionary<Guid, string> _emails = new();

    /// <summary>A group by id with its secret, or null when it has no registrations.</summary>
    public async Task<RegistrationGroupView?> FindGroupAsync(Guid groupId, CancellationToken cancellationToken)
    {
        if (!_emails.TryGetValue(groupId, out var email))
        {
            if (await learners.EmailOfGroupAsync(groupId, cancellationToken) is not { } found)
            {
                return null;
            }

            if (_emails.Count > MaxGroupsKept)
            {
                _emails.Clear();
            }

            email = _emails[groupId] = found;
        }

        var entries = await grains.GetGrain<ILearnerGrain>(email).GroupAsync(groupId);
        if (entries.Count == 0)
        {
            return null;
        }

        var views = await Task.WhenAll(entries.Select(e => ViewAsync(e, cancellationToken)));
        return new RegistrationGroupView(groupId, entries[0].GroupSecret, views.OfType<RegistrationView>().OrderBy(v => v.StartsAt).ThenBy(v => v.Id).ToList());
    }

    /// <summary>The registrations of one learner, soonest session first ("My learning").</summary>
    public async Task<IReadOnlyList<RegistrationView>> ForEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var entries = await grains.GetGrain<ILearnerGrain>(normalizedEmail).RegistrationsAsync();
        var views = await Task.WhenAll(entries.Select(e => ViewAsync(e, cancellationToken)));
        return views.OfType<RegistrationView>().OrderBy(v => v.StartsAt).ThenBy(v => v.Id).ToList();
    }

    private async Task<RegistrationView?> ViewAsync(LearnerRegistration r, CancellationToken cancellationToken)
    {
        if (await sessions.ViewAsync(r.SessionId, cancellationToken) is not { } s)
        {
            return null;
        }

        var position = r.Status == RegistrationStatus.Waitlisted
            ? await sessions.RunAsync<int?>(r.SessionId, g => g.WaitlistPositionAsync(r.Sequence), null, cancellationToken)
            : null;
        return new RegistrationView(r.RegistrationId, r.GroupId, r.SessionId, s.Title, s.Kind, s.StartsAt, s.EndsAt, s.TimeZone, r.Name, r.Email, r.Agency,
            r.JobRole, r.TimeZone, r.Accommodations, r.Status, position, r.RegisteredAt)
        {
            RecordingConsent = r.RecordingConsent,
            SessionRecorded = s.Recorded,
            SessionAsksRecordingConsent = s.RecordingConsentRequired,
            AccommodationState = r.AccommodationState,
            AccommodationNote = r.AccommodationNote,
            Answers = r.Answers,
        };
    }
}
