using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Learners;

/// <summary>
/// An enrolled learner, keyed by their normalized email, with or without an account: the index of their registrations
/// across sessions (kept current by the session grains that write them), their preferences, and the version of their
/// private calendar-feed token. Only this grain writes the learner's state.
/// </summary>
public interface ILearnerGrain : IGrainWithStringKey
{
    /// <summary>
    /// A session grain reports registrations of this learner that it has just created or changed (committed already):
    /// the index takes them, and the first registration's time zone becomes the learner's preferred zone.
    /// </summary>
    Task RecordAsync(IReadOnlyList<LearnerRegistration> changes);

    /// <summary>Every registration of the learner, soonest registered first.</summary>
    Task<IReadOnlyList<LearnerRegistration>> RegistrationsAsync();

    /// <summary>The registrations of one group (one manage link); empty when the group is not this learner's.</summary>
    Task<IReadOnlyList<LearnerRegistration>> GroupAsync(Guid groupId);

    /// <summary>True when the learner holds a confirmed seat in the session.</summary>
    Task<bool> HoldsSeatAsync(Guid sessionId);

    /// <summary>The learner's preferences and feed-token version.</summary>
    Task<LearnerPreferences> PreferencesAsync();

    /// <summary>Sets the zone times are shown in for this learner; refuses an id that is not an IANA zone.</summary>
    Task<bool> SetTimeZoneAsync(string timeZone);

    /// <summary>
    /// Sets the language LearnHub writes to this learner in (the language picker, for a signed-in person); refuses a tag
    /// that is not one of <see cref="RegistrantLanguage.Tags"/>. A later registration in another language replaces it.
    /// </summary>
    Task<bool> SetLanguageAsync(string language);

    /// <summary>Revokes every private feed URL given out so far; returns the new token version.</summary>
    Task<int> RevokeFeedAsync();

    /// <summary>
    /// The person was erased: deletes the learner's state row (preferences, feed-token version), drops the index and
    /// lets the activation go, so no silo keeps anything of them in memory.
    /// </summary>
    Task ForgetAsync();
}

/// <summary>One registration of a learner, as the index keeps it.</summary>
[GenerateSerializer, Immutable]
public sealed record LearnerRegistration(
    Guid RegistrationId,
    Guid SessionId,
    Guid GroupId,
    string GroupSecret,
    string Name,
    string Email,
    string Agency,
    string JobRole,
    string TimeZone,
    string Accommodations,
    RegistrationStatus Status,
    long Sequence,
    DateTimeOffset RegisteredAt)
{
    /// <summary>The answer about appearing in the session's recording: true consents, false does not, null was not asked.</summary>
    [Id(13)]
    public bool? RecordingConsent { get; init; }

    /// <summary>Answers to the series' registration questions, as given (shown on the manage page).</summary>
    [Id(14)]
    public IReadOnlyList<RegistrationAnswer> Answers { get; init; } = [];

    /// <summary>Where the accommodation request stands (the registrant sees it on the manage page).</summary>
    [Id(15)]
    public AccommodationState AccommodationState { get; init; }

    /// <summary>The organizer's note about the accommodation.</summary>
    [Id(16)]
    public string AccommodationNote { get; init; } = "";

    /// <summary>The language the registration was made in (null: English).</summary>
    [Id(17)]
    public string? Language { get; init; }

    /// <summary>The index entry of a registration as a session grain staged it.</summary>
    public static LearnerRegistration From(Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var a = registration.Applicant;
        return new(registration.Id, registration.SessionId, registration.Group.Id, registration.Group.Secret, a.Name, a.Email, a.Agency, a.JobRole,
            a.TimeZone, a.Accommodations, registration.Status, registration.Sequence, registration.RegisteredAt)
        {
            RecordingConsent = a.RecordingConsent,
            AccommodationState = registration.Accommodation.State,
            AccommodationNote = registration.Accommodation.Note,
            Answers = a.Answers,
            Language = a.Language,
        };
    }
}

/// <summary>What a learner chose: the zone times are shown in (null until known), and their feed-token version.</summary>
[GenerateSerializer, Immutable]
public sealed record LearnerPreferences(string? TimeZone, int FeedTokenVersion)
{
    /// <summary>The language LearnHub writes to them in (a <see cref="RegistrantLanguage"/> tag), or null until they choose or register.</summary>
    [Id(2)]
    public string? Language { get; init; }
}

/// <summary>
/// The learner's persistent grain state (Orleans' ADO.NET persistence, state name "learner"): what no page, export or
/// job queries in SQL. The registrations are relational rows and are not repeated here.
/// </summary>
[GenerateSerializer]
public sealed class LearnerState
{
    /// <summary>The IANA zone times are shown in, or null until the learner registers or picks one.</summary>
    [Id(0)]
    public string? TimeZone { get; set; }

    /// <summary>Raised to revoke every private feed URL given out before.</summary>
    [Id(1)]
    public int FeedTokenVersion { get; set; }

    /// <summary>The language LearnHub writes to the learner in, or null until they pick one or register.</summary>
    [Id(2)]
    public string? Language { get; set; }

    /// <summary>
    /// When the language was last chosen (picker or registration): a registration reported later replaces it, while a
    /// report about an older registration (an organizer's change, a promotion) does not undo a newer choice.
    /// </summary>
    [Id(3)]
    public DateTimeOffset? LanguageChosenAt { get; set; }
}

/// <summary>Reads a learner's registrations from their rows (the truth the index is built from).</summary>
public interface ILearnerStore
{
    /// <summary>Every registration under a normalized email.</summary>
    Task<IReadOnlyList<LearnerRegistration>> RegistrationsAsync(string normalizedEmail, CancellationToken cancellationToken);
}
