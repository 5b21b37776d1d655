using System.Text;
using LearnHub.Grains.Content;
using LearnHub.Grains.Time;
using LearnHub.Grains.Registrations;

namespace LearnHub.Grains.Catalog;

/// <summary>
/// A presenter as listed on a session. <paramref name="Bio"/> is the organizer's Markdown; <paramref name="BioHtml"/>
/// its sanitized rendering, the only form pages output.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Presenter(string Name, string Affiliation, string Bio = "", string BioHtml = "");

/// <summary>The audiences a series can be tagged for.</summary>
public static class Tracks
{
    /// <summary>Every track: its stable wire name and what people read.</summary>
    public static IReadOnlyList<(string Wire, string Name)> All { get; } =
    [
        ("older-adult", "Older Adult"),
        ("forensic", "Forensic"),
        ("deaf-hard-of-hearing", "Deaf and hard of hearing"),
        ("youth", "Youth"),
    ];

    /// <summary>The display name of a wire name, or null when there is no such track.</summary>
    public static string? NameOf(string wire) => All.FirstOrDefault(t => t.Wire == wire).Name;

    /// <summary>How a set of tracks is stored: wire names, comma-separated, in the order of <see cref="All"/>.</summary>
    public static string Format(IEnumerable<string> wires) => string.Join(',', All.Select(t => t.Wire).Where(wires.Contains));

    /// <summary>Reads a stored set back.</summary>
    public static IReadOnlyList<string> Parse(string stored) =>
        (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// How a series proves training: the share of a session a person must attend to count as attended, whether a
/// certificate waits for the evaluation, the organizer's statement printed on every certificate, and whether (and how)
/// a registrant who missed the live session can earn self-study credit from its recording.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SeriesTraining(int AttendanceThresholdPercent = SeriesTraining.DefaultThresholdPercent, bool EvaluationRequired = false, string CertificateStatement = "",
    SelfStudyRule? SelfStudy = null)
{
    /// <summary>The self-study rule, or the default one (switched off) when none was given.</summary>
    public SelfStudyRule SelfStudyOrDefault => SelfStudy ?? new SelfStudyRule();

    /// <summary>The threshold of a series nobody has set one for.</summary>
    public const int DefaultThresholdPercent = 75;

    /// <summary>The longest statement a certificate prints.</summary>
    public const int MaxStatement = 2000;

    /// <summary>The problems, keyed by field (attendanceThreshold, certificateStatement); empty when it can be stored.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (AttendanceThresholdPercent is < 1 or > 100)
        {
            problems["attendanceThreshold"] = "Enter an attendance threshold from 1 to 100 percent.";
        }

        if ((CertificateStatement ?? "").Trim().Length > MaxStatement)
        {
            problems["certificateStatement"] = $"Keep the certificate statement to {MaxStatement:N0} characters.";
        }

        foreach (var (field, problem) in SelfStudyOrDefault.Problems())
        {
            problems[field] = problem;
        }

        return problems;
    }
}

/// <summary>
/// When a registrant who did not attend live earns self-study credit for a session of the series: switched on, they
/// played at least <paramref name="Percent"/> of the session's recording, within <paramref name="WithinDays"/> of its
/// publication when that is set, and passed the session's knowledge check when it has one. The certificate carries
/// <paramref name="CeHoursCenti"/> hours, or the session's own when that is null.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SelfStudyRule(bool Enabled = false, int Percent = SelfStudyRule.DefaultPercent, int? WithinDays = null, int? CeHoursCenti = null)
{
    /// <summary>The share of the recording asked for when the organizer sets none.</summary>
    public const int DefaultPercent = 90;

    /// <summary>The lowest share an organizer may ask for: less than half a recording is not study of it.</summary>
    public const int MinPercent = 50;

    /// <summary>The longest window after publication an organizer may set (about three years).</summary>
    public const int MaxDays = 1100;

    /// <summary>The problems, keyed by field (selfStudyPercent, selfStudyDays, selfStudyCeHours); empty when it can be stored.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Percent is < MinPercent or > 100)
        {
            problems["selfStudyPercent"] = $"Enter a share of the recording from {MinPercent} to 100 percent.";
        }

        if (WithinDays is < 1 or > MaxDays)
        {
            problems["selfStudyDays"] = $"Enter a number of days from 1 to {MaxDays:N0}, or leave it empty for no limit.";
        }

        if (CeHoursCenti is < 0 or > Certificates.CeHours.MaxCenti)
        {
            problems["selfStudyCeHours"] = "Enter CE hours from 0 to 99.99, with at most two decimals (for example 1.5).";
        }

        return problems;
    }
}

/// <summary>
/// A new series as an organizer (or the demo seeder) describes it; the description is Markdown. Without
/// <paramref name="Training"/> a new series takes the defaults and an edit leaves the stored settings alone.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SeriesDraft(string Slug, string Title, string Description, IReadOnlyList<string>? Tracks = null, SeriesTraining? Training = null)
{
    /// <summary>The problems that stop it being stored; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();

        if (string.IsNullOrWhiteSpace(Slug) || Slug.Length > 80 || !Slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            problems.Add("The slug must be 1–80 characters of a–z, 0–9 and '-'.");
        }

        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 200)
        {
            problems.Add("The title must be 1–200 characters.");
        }

        problems.AddRange(Text.Problems((Title, "The title", TextShape.SingleLine), (Description, "The description", TextShape.MultiLine)));

        if (!RichText.FitsDefaultCap(Description))
        {
            problems.Add($"The description is over {RichTextPolicy.DefaultMaxBytes / 1024} KB.");
        }

        if ((Tracks ?? []).FirstOrDefault(t => Catalog.Tracks.NameOf(t) is null) is { } unknown)
        {
            problems.Add($"'{unknown}' is not a track.");
        }

        problems.AddRange(Training?.Problems().Values ?? []);
        return problems;
    }
}

/// <summary>A new session in a series.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionDraft(
    Guid SeriesId,
    SessionKind Kind,
    string Title,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    int Capacity,
    IReadOnlyList<Presenter> Presenters,
    string? Venue = null,
    string? City = null,
    Guid? WebinarId = null,
    string? JoinUrl = null,
    bool Published = true)
{
    /// <summary>The continuing-education hours its certificates carry, in hundredths (1.5 hours = 150).</summary>
    [Id(14)]
    public int CeHoursCenti { get; init; }

    /// <summary>An in-person training's street address (the venue is its name), for the card, the page and the map link.</summary>
    [Id(15)]
    public string? VenueAddress { get; init; }

    /// <summary>The session is recorded: its page and registration form say so.</summary>
    [Id(16)]
    public bool Recorded { get; init; }

    /// <summary>Registrants are asked whether they consent to appearing in the recording (a recorded session only).</summary>
    [Id(17)]
    public bool RecordingConsentRequired { get; init; }

    /// <summary>When registration opens and closes, if the organizer set a window (in UTC; entered in the session's zone).</summary>
    [Id(18)]
    public RegistrationWindow? Window { get; init; }

    /// <summary>The problems that stop it being stored; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Window is { } window)
        {
            problems.AddRange(window.Problems(EndsAt).Values);
        }
        if (!Recording.Fits(Recorded, RecordingConsentRequired))
        {
            problems.Add(Recording.ConsentWithoutRecordingProblem);
        }

        if (CeHoursCenti is < 0 or > Certificates.CeHours.MaxCenti)
        {
            problems.Add("CE hours must be from 0 to 99.99.");
        }

        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 300)
        {
            problems.Add("The title must be 1–300 characters.");
        }

        problems.AddRange(Text.Problems((Title, "The title", TextShape.SingleLine), (Venue, "The venue", TextShape.SingleLine), (City, "The city", TextShape.SingleLine),
            (VenueAddress, "The venue address", TextShape.MultiLine), (JoinUrl, "The join link", TextShape.SingleLine)));

        if (EndsAt <= StartsAt)
        {
            problems.Add("A session must end after it starts.");
        }

        if (!Zones.TryFind(TimeZone, out _))
        {
            problems.Add($"'{TimeZone}' is not an IANA time-zone id.");
        }

        if (Capacity < 0)
        {
            problems.Add("Capacity cannot be negative.");
        }

        if ((Kind == SessionKind.LearningExchange) != WebinarId.HasValue)
        {
            problems.Add("A learning exchange, and only a learning exchange, names the webinar it follows.");
        }

        if (JoinUrl is not null && (!Uri.TryCreate(JoinUrl, UriKind.Absolute, out var join) || join.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("A join link must be an absolute https:// URL.");
        }

        if (Kind == SessionKind.InPersonTraining && (string.IsNullOrWhiteSpace(Venue) || string.IsNullOrWhiteSpace(City)))
        {
            problems.Add("An in-person training needs a venue and a city.");
        }

        if (!VenueAddresses.Fits(VenueAddress))
        {
            problems.Add(VenueAddresses.Problem);
        }

        problems.AddRange(RichText.Problems(Description, Presenters));
        return problems;
    }
}

/// <summary>What an organizer may change of an existing session besides its times (which move through its grain).</summary>
[GenerateSerializer, Immutable]
public sealed record SessionDetails(string Title, string Description, string? JoinUrl, string? Venue, string? City, IReadOnlyList<Presenter> Presenters)
{
    /// <summary>A new kind for the session; null keeps its kind.</summary>
    [Id(6)]
    public SessionKind? Kind { get; init; }

    /// <summary>For a learning exchange: the webinar it follows (required when <see cref="Kind"/> makes it one).</summary>
    [Id(7)]
    public Guid? WebinarId { get; init; }

    /// <summary>New CE hours in hundredths, for certificates issued from now on (issued ones keep theirs); null keeps them.</summary>
    [Id(8)]
    public int? CeHoursCenti { get; init; }

    /// <summary>The venue's street address (in-person trainings); null clears it.</summary>
    [Id(9)]
    public string? VenueAddress { get; init; }

    /// <summary>Whether the session is recorded; null keeps what is stored.</summary>
    [Id(10)]
    public bool? Recorded { get; init; }

    /// <summary>Whether registrants are asked for consent to appear in the recording; null keeps what is stored.</summary>
    [Id(11)]
    public bool? RecordingConsentRequired { get; init; }

    /// <summary>When registration opens and closes (<see cref="RegistrationWindow.Always"/> clears it); null keeps what is stored.</summary>
    [Id(12)]
    public RegistrationWindow? Window { get; init; }

    /// <summary>The problems that stop it being stored, for a session of <paramref name="kind"/>; empty when it can be.</summary>
    public IReadOnlyList<string> Problems(SessionKind kind)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 300)
        {
            problems.Add("The title must be 1–300 characters.");
        }

        problems.AddRange(Text.Problems((Title, "The title", TextShape.SingleLine), (Venue, "The venue", TextShape.SingleLine), (City, "The city", TextShape.SingleLine),
            (VenueAddress, "The venue address", TextShape.MultiLine), (JoinUrl, "The join link", TextShape.SingleLine)));

        if (JoinUrl is not null && (!Uri.TryCreate(JoinUrl, UriKind.Absolute, out var join) || join.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("A join link must be an absolute https:// URL.");
        }

        if (kind == SessionKind.InPersonTraining && (string.IsNullOrWhiteSpace(Venue) || string.IsNullOrWhiteSpace(City)))
        {
            problems.Add("An in-person training needs a venue and a city.");
        }

        if (CeHoursCenti is < 0 or > Certificates.CeHours.MaxCenti)
        {
            problems.Add("CE hours must be from 0 to 99.99.");
        }

        if (!VenueAddresses.Fits(VenueAddress))
        {
            problems.Add(VenueAddresses.Problem);
        }

        problems.AddRange(RichText.Problems(Description, Presenters));
        return problems;
    }
}

/// <summary>
/// The rule between a session's two recording flags: asking registrants for consent to appear in the recording means
/// something only for a session that is recorded.
/// </summary>
public static class Recording
{
    /// <summary>Why consent without a recording was refused (the organizer's form shows it at the consent box).</summary>
    public const string ConsentWithoutRecordingProblem =
        "Registrants can be asked for consent to appear in the recording only when the session is recorded: tick \"This session is recorded\" too, or untick the consent question.";

    /// <summary>True unless consent is asked for a session that is not recorded.</summary>
    public static bool Fits(bool recorded, bool consentRequired) => recorded || !consentRequired;
}

/// <summary>What a venue's street address may be: one or two lines of text, short enough for a card and a map search.</summary>
public static class VenueAddresses
{
    /// <summary>The longest address.</summary>
    public const int MaxLength = 300;

    /// <summary>Why an address was refused.</summary>
    public const string Problem = "The venue address must be at most 300 characters.";

    /// <summary>True for no address, or one within <see cref="MaxLength"/>.</summary>
    public static bool Fits(string? address) => address is null || address.Trim().Length <= MaxLength;

    /// <summary>
    /// An OpenStreetMap search for the place: the venue, its address and city. A link, not an embedded map, so no
    /// third-party script or frame is needed and nothing leaves the page until the visitor follows it.
    /// </summary>
    public static string MapUrl(string? venue, string? address, string? city)
    {
        var query = string.Join(", ", new[] { address is null ? venue : address, city }.Where(part => !string.IsNullOrWhiteSpace(part)).Select(part => part!.Trim().ReplaceLineEndings(" ")));
        return $"https://www.openstreetmap.org/search?query={Uri.EscapeDataString(query)}";
    }
}

/// <summary>The rich-text checks sessions share.</summary>
internal static class RichText
{
    public static bool FitsDefaultCap(string? text) => Encoding.UTF8.GetByteCount(text ?? "") <= RichTextPolicy.DefaultMaxBytes;

    public static IEnumerable<string> Problems(string description, IReadOnlyList<Presenter> presenters)
    {
        if (!FitsDefaultCap(description))
        {
            yield return $"The description is over {RichTextPolicy.DefaultMaxBytes / 1024} KB.";
        }

        if (PlainText.Problem(description, "The description", TextShape.MultiLine) is { } inDescription)
        {
            yield return inDescription;
        }

        foreach (var presenter in presenters ?? [])
        {
            if (string.IsNullOrWhiteSpace(presenter.Name) || presenter.Name.Length > 200)
            {
                yield return "Every presenter needs a name of at most 200 characters.";
            }

            foreach (var problem in Text.Problems((presenter.Name, "A presenter's name", TextShape.SingleLine),
                (presenter.Affiliation, "A presenter's affiliation", TextShape.SingleLine), (presenter.Bio, "A presenter's bio", TextShape.MultiLine)))
            {
                yield return problem;
            }

            if (!FitsDefaultCap(presenter.Bio))
            {
                yield return $"The bio of {presenter.Name} is over {RichTextPolicy.DefaultMaxBytes / 1024} KB.";
            }
        }
    }
}

/// <summary>The plain-text checks of several fields at once (titles one line, descriptions several).</summary>
internal static class Text
{
    public static IEnumerable<string> Problems(params (string? Value, string Label, TextShape Shape)[] fields) =>
        fields.Select(f => PlainText.Problem(f.Value, f.Label, f.Shape)).OfType<string>();
}
