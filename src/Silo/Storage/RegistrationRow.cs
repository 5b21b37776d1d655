using LearnHub.Grains.Registrations;

namespace LearnHub.Silo.Storage;

/// <summary>A registrations row as Dapper reads and writes it; names follow the columns.</summary>
internal sealed class RegistrationRow
{
    public string id { get; set; } = "";
    public string session_id { get; set; } = "";
    public string group_id { get; set; } = "";
    public string group_secret { get; set; } = "";
    public string name { get; set; } = "";
    public string email { get; set; } = "";
    public string email_normalized { get; set; } = "";
    public string agency { get; set; } = "";
    public string job_role { get; set; } = "";
    public string time_zone { get; set; } = "";
    public string accommodations { get; set; } = "";
    public string status { get; set; } = "";
    public long sequence { get; set; }
    public long registered_utc_ms { get; set; }
    public long? promoted_utc_ms { get; set; }
    public long? cancelled_utc_ms { get; set; }
    public long? recording_consent { get; set; }
    public string? accommodation_state { get; set; }
    public string accommodation_note { get; set; } = "";
    public long? accommodation_requested_utc_ms { get; set; }
    public string? answers { get; set; }
    public string? language { get; set; }

    /// <summary>How an answer about the recording is stored: 1 consents, 0 does not, null was not asked.</summary>
    public static long? ConsentToWire(bool? consent) => consent switch { true => 1, false => 0, null => null };

    public static string StatusToWire(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => "confirmed",
        RegistrationStatus.Waitlisted => "waitlisted",
        RegistrationStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static RegistrationStatus StatusFromWire(string status) => status switch
    {
        "confirmed" => RegistrationStatus.Confirmed,
        "waitlisted" => RegistrationStatus.Waitlisted,
        "cancelled" => RegistrationStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown registration status in storage."),
    };

    public static RegistrationRow From(Registration r) => new()
    {
        id = r.Id.ToString(),
        session_id = r.SessionId.ToString(),
        group_id = r.Group.Id.ToString(),
        group_secret = r.Group.Secret,
        name = r.Applicant.Name,
        email = r.Applicant.Email,
        email_normalized = r.Applicant.NormalizedEmail,
        agency = r.Applicant.Agency,
        job_role = r.Applicant.JobRole,
        time_zone = r.Applicant.TimeZone,
        accommodations = r.Applicant.Accommodations,
        status = StatusToWire(r.Status),
        sequence = r.Sequence,
        registered_utc_ms = r.RegisteredAt.ToUnixTimeMilliseconds(),
        promoted_utc_ms = r.PromotedAt?.ToUnixTimeMilliseconds(),
        cancelled_utc_ms = r.CancelledAt?.ToUnixTimeMilliseconds(),
        recording_consent = ConsentToWire(r.Applicant.RecordingConsent),
        accommodation_state = Accommodation.ToWire(r.Accommodation.State),
        accommodation_note = r.Accommodation.Note,
        accommodation_requested_utc_ms = r.Accommodation.RequestedAt?.ToUnixTimeMilliseconds(),
        answers = QuestionsJson.FormatAnswers(r.Applicant.Answers),
        language = r.Applicant.Language,
    };

    public Registration ToRegistration() => new(
        Guid.Parse(id),
        Guid.Parse(session_id),
        new RegistrationGroup(Guid.Parse(group_id), group_secret),
        Applicant.FromStorage(name, email, agency, job_role, time_zone, accommodations, recording_consent is { } consent ? consent != 0 : null,
            QuestionsJson.ParseAnswers(answers), language),
        StatusFromWire(status),
        sequence,
        DateTimeOffset.FromUnixTimeMilliseconds(registered_utc_ms),
        promoted_utc_ms is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : null,
        cancelled_utc_ms is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
        new Accommodation(Accommodation.FromWire(accommodation_state), accommodation_note,
            accommodation_requested_utc_ms is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null));
}
