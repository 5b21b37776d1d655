using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Web.Registrations;
using LearnHub.Web.TimeZones;

namespace LearnHub.Web.Api;

/// <summary>
/// A series in the JSON API. <see cref="DescriptionHtml"/> is the sanitized HTML the pages show;
/// <see cref="DescriptionMarkdown"/> is the organizer's Markdown source as text, with raw HTML neutralised
/// (<see cref="Grains.Content.RichTextAsText.MarkdownWithoutHtml"/>). No field carries unsanitized HTML.
/// </summary>
public sealed record SeriesDto(Guid Id, string Slug, string Title, string DescriptionHtml, string DescriptionMarkdown, IReadOnlyList<SessionDto> Sessions)
{
    /// <summary>Maps a catalog series with its sessions' DTOs.</summary>
    public static SeriesDto From(SeriesView s, IReadOnlyList<SessionDto> sessions)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Slug, s.Title, s.DescriptionHtml, Grains.Content.RichTextAsText.MarkdownWithoutHtml(s.Description), sessions);
    }
}

/// <summary>A presenter in the JSON API.</summary>
public sealed record PresenterDto(string Name, string Affiliation);

/// <summary>
/// A session in the JSON API. Times are ISO 8601 with the offset of the session's own zone, which
/// <see cref="TimeZone"/> names (IANA). The description comes as on <see cref="SeriesDto"/>: sanitized HTML and the
/// Markdown source as text.
/// </summary>
public sealed record SessionDto(
    Guid Id,
    Guid SeriesId,
    string Title,
    string Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    int Capacity,
    int SeatsLeft,
    bool RegistrationOpen,
    string DescriptionHtml,
    string DescriptionMarkdown,
    string? Venue,
    string? City,
    Guid? WebinarId,
    Guid? LearningExchangeId,
    IReadOnlyList<PresenterDto> Presenters)
{
    /// <summary>The session is recorded (the recording is published to its registrants).</summary>
    public bool Recorded { get; init; }

    /// <summary>A registration must answer recordingConsent (true or false; either keeps the seat).</summary>
    public bool RecordingConsentRequired { get; init; }

    /// <summary>When registration opens (null: once published), in the session's zone.</summary>
    public DateTimeOffset? RegistrationOpensAt { get; init; }

    /// <summary>When registration closes (null: at the start), in the session's zone.</summary>
    public DateTimeOffset? RegistrationClosesAt { get; init; }
    /// <summary>
    /// The series' registration questions, answered in a registration's answers object keyed by id (given by
    /// GET /api/sessions/{id}; null in lists).
    /// </summary>
    public IReadOnlyList<QuestionDto>? Questions { get; init; }

    /// <summary>Maps a catalog view at an instant.</summary>
    public static SessionDto From(SessionView s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.SeriesId, s.Title, s.Kind.ToWire(), ZonedTime.In(s.StartsAt, s.TimeZone), ZonedTime.In(s.EndsAt, s.TimeZone),
            s.TimeZone, s.Capacity, s.SeatsLeft, s.IsOpenAt(now), s.DescriptionHtml, Grains.Content.RichTextAsText.MarkdownWithoutHtml(s.Description), s.Venue, s.City, s.WebinarId, s.LearningExchangeId,
            s.Presenters.Select(p => new PresenterDto(p.Name, p.Affiliation)).ToList())
        {
            Recorded = s.Recorded,
            RecordingConsentRequired = s.RecordingConsentRequired,
            RegistrationOpensAt = s.RegistrationOpensAt is { } opens ? ZonedTime.In(opens, s.TimeZone) : null,
            RegistrationClosesAt = s.RegistrationClosesAt is { } closes ? ZonedTime.In(closes, s.TimeZone) : null,
        };
    }
}

/// <summary>One session's part of a registration answer.</summary>
public sealed record SessionRegistrationDto(Guid SessionId, Guid? RegistrationId, string Status, int? WaitlistPosition);

/// <summary>The 201 answer to a registration.</summary>
public sealed record RegistrationCreatedDto(
    Guid RegistrationId,
    string Status,
    int? WaitlistPosition,
    string ManageUrl,
    SessionRegistrationDto? LearningExchange);

/// <summary>A registration seen through its manage token.</summary>
public sealed record ManagedRegistrationDto(
    Guid RegistrationId,
    Guid SessionId,
    string SessionTitle,
    string Kind,
    DateTimeOffset StartsAt,
    string Status,
    int? WaitlistPosition)
{
    /// <summary>The answer about appearing in the session's recording: true consents, false does not, null was not asked.</summary>
    public bool? RecordingConsent { get; init; }

    /// <summary>Answers to the series' registration questions, with the question and the answer in words as given.</summary>
    public IReadOnlyList<AnswerDto> Answers { get; init; } = [];

    /// <summary>Maps a view.</summary>
    public static ManagedRegistrationDto From(RegistrationView r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.SessionId, r.SessionTitle, r.SessionKind.ToWire(), ZonedTime.In(r.StartsAt, r.SessionTimeZone),
            r.Status.ToString().ToLowerInvariant(), r.WaitlistPosition)
        {
            RecordingConsent = r.RecordingConsent,
            Answers = r.Answers.Select(a => new AnswerDto(a.QuestionId, a.Label, a.Values, a.Display)).ToList(),
        };
    }
}

/// <summary>
/// A registration question: kind is short-text (at most 200 characters), long-text (2,000), single-choice (one option
/// id), multiple-choice (option ids) or yes-no ("yes"/"no" or a boolean).
/// </summary>
public sealed record QuestionDto(string Id, string Kind, string Label, string? Hint, bool Required, IReadOnlyList<QuestionOptionDto> Options)
{
    /// <summary>Maps a question.</summary>
    public static QuestionDto From(RegistrationQuestion q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return new(q.Id, q.Kind.ToWire(), q.Label, q.Hint, q.Required, q.Options.Select(o => new QuestionOptionDto(o.Id, o.Label)).ToList());
    }
}

/// <summary>An option of a choice question.</summary>
public sealed record QuestionOptionDto(string Id, string Label);

/// <summary>A stored answer: the question's id and label, the values sent and the answer in words, as given.</summary>
public sealed record AnswerDto(string QuestionId, string Question, IReadOnlyList<string> Values, string Answer);

/// <summary>Helpers shared by the API's endpoints.</summary>
internal static class ApiLinks
{
    public static string ManageUrl(HttpRequest request, string token) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/registrations/{token}";
}
