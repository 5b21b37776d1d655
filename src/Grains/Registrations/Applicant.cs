using System.Net.Mail;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;

namespace LearnHub.Grains.Registrations;

/// <summary>What a person types to register, validated: an Applicant only exists in a valid shape.</summary>
[GenerateSerializer, Immutable]
public sealed record Applicant
{
    /// <summary>Longest accepted name, agency or job role.</summary>
    public const int MaxShortField = 200;

    /// <summary>Longest accepted email address (RFC 5321's path limit).</summary>
    public const int MaxEmail = 254;

    /// <summary>Longest accepted accommodation request.</summary>
    public const int MaxAccommodations = 1000;

    private Applicant(string name, string email, string agency, string jobRole, string timeZone, string accommodations)
    {
        Name = name;
        Email = email;
        Agency = agency;
        JobRole = jobRole;
        TimeZone = timeZone;
        Accommodations = accommodations;
    }

    /// <summary>The registrant's name as they wrote it.</summary>
    [Id(0)]
    public string Name { get; }

    /// <summary>The address as typed (trimmed); <see cref="NormalizedEmail"/> identifies the person.</summary>
    [Id(1)]
    public string Email { get; }

    /// <summary>The agency the registrant works for.</summary>
    [Id(2)]
    public string Agency { get; }

    /// <summary>The registrant's job role.</summary>
    [Id(3)]
    public string JobRole { get; }

    /// <summary>The IANA zone the registrant wants times shown in.</summary>
    [Id(4)]
    public string TimeZone { get; }

    /// <summary>An accommodation request (ASL interpreter, captions …); empty when none.</summary>
    [Id(5)]
    public string Accommodations { get; }

    /// <summary>
    /// The answer to "do you consent to appearing in the recording?": true yes, false no (they keep camera and
    /// microphone off), null not answered. Stored only with a registration whose session asks (see
    /// <see cref="SessionRoster.RecordingConsentOf"/>); either answer gets the same seat.
    /// </summary>
    [Id(6)]
    public bool? RecordingConsent { get; init; }

    /// <summary>
    /// Answers to the series' registration questions. From a form or the API they carry only question ids and values;
    /// the session grain checks them (<see cref="RegistrationAnswers.Check"/>) and stores them with label and words.
    /// </summary>
    [Id(7)]
    public IReadOnlyList<RegistrationAnswer> Answers { get; init; } = [];

    /// <summary>
    /// The language everything sent to the registrant later is written in (a <see cref="RegistrantLanguage"/> tag: the
    /// registration form's language, or the API body's "language"); null for English, as registrations before it were.
    /// </summary>
    [Id(8)]
    public string? Language { get; init; }

    /// <summary>The key that makes "the same person" for duplicate detection.</summary>
    public string NormalizedEmail => NormalizeEmail(Email);

    /// <summary>Lower-cased, trimmed: two registrations differing only in case are one person.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// Validates raw input. Returns the applicant, or the errors keyed by field name (the JSON API's names),
    /// each a sentence a person can act on.
    /// </summary>
    public static ApplicantValidation Validate(
        string? name, string? email, string? agency, string? jobRole, string? timeZone, string? accommodations)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanName = Required(errors, "name", "your name", name, MaxShortField);
        var cleanAgency = Required(errors, "agency", "your agency", agency, MaxShortField);
        var cleanRole = Required(errors, "jobRole", "your job role", jobRole, MaxShortField);
        var cleanEmail = (email ?? string.Empty).Trim();
        if (cleanEmail.Length == 0)
        {
            errors["email"] = "Enter your email address.";
        }
        else if (cleanEmail.Length > MaxEmail)
        {
            errors["email"] = $"The email address is too long (at most {MaxEmail} characters).";
        }
        else if (!LooksLikeEmail(cleanEmail))
        {
            errors["email"] = "Enter an email address in the form name@example.org.";
        }

        var cleanZone = (timeZone ?? string.Empty).Trim();
        if (cleanZone.Length == 0)
        {
            errors["timeZone"] = "Choose your time zone.";
        }
        else if (!Zones.TryFind(cleanZone, out _))
        {
            errors["timeZone"] = $"'{Truncate(cleanZone)}' is not a known time zone; choose one from the list (for example America/Chicago).";
        }

        var cleanAccommodations = (accommodations ?? string.Empty).Trim();
        if (cleanAccommodations.Length > MaxAccommodations)
        {
            errors["accommodations"] = $"The accommodation request is too long (at most {MaxAccommodations} characters).";
        }
        else if (PlainText.Problem(cleanAccommodations, "The accommodation request", TextShape.MultiLine) is { } problem)
        {
            errors["accommodations"] = problem;
        }

        return errors.Count > 0
            ? new ApplicantValidation(null, errors)
            : new ApplicantValidation(
                new Applicant(cleanName, cleanEmail, cleanAgency, cleanRole, cleanZone, cleanAccommodations),
                errors);
    }

    /// <summary>Rebuilds an applicant from storage, where it was validated on the way in.</summary>
    public static Applicant FromStorage(
        string name, string email, string agency, string jobRole, string timeZone, string accommodations, bool? recordingConsent = null,
        IReadOnlyList<RegistrationAnswer>? answers = null, string? language = null) =>
        new(name, email, agency, jobRole, timeZone, accommodations) { RecordingConsent = recordingConsent, Answers = answers ?? [], Language = language };

    private static string Required(Dictionary<string, string> errors, string field, string label, string? value, int max)
    {
        var clean = (value ?? string.Empty).Trim();
        if (clean.Length == 0)
        {
            errors[field] = $"Enter {label}.";
        }
        else if (clean.Length > max)
        {
            errors[field] = $"{char.ToUpperInvariant(label[0])}{label[1..]} is too long (at most {max} characters).";
        }
        else if (PlainText.Problem(clean, $"{char.ToUpperInvariant(label[0])}{label[1..]}", TextShape.SingleLine) is { } problem)
        {
            errors[field] = problem;
        }

        return clean;
    }

    /// <summary>True for a bare address (no display name, comments or line breaks) with a dotted domain.</summary>
    public static bool IsValidEmail(string email) => email.Length <= MaxEmail && LooksLikeEmail(email);

    private static bool LooksLikeEmail(string email)
    {
        // MailAddress accepts display names and comments ("Ann <a@b>"); an address field must hold the bare address.
        if (email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or ','))
        {
            return false;
        }

        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        var domain = email[(at + 1)..];
        return at > 0 && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}

/// <summary>The result of validating raw registration input.</summary>
public sealed record ApplicantValidation(Applicant? Applicant, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>True when the input made a valid applicant.</summary>
    public bool IsValid => Applicant is not null;
}
