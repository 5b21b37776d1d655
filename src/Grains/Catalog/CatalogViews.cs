namespace LearnHub.Grains.Catalog;

/// <summary>
/// A session as pages and the API show it: the hot view its grain keeps in memory. Times are UTC instants plus the
/// session's IANA zone. <see cref="Revision"/> is the session row's version when the view was made: it rises with every
/// change of the row, on every node (a series renamed refreshes the view without one, so rendered copies are checked
/// against the view's content, not its revision).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionView(
    Guid Id,
    Guid SeriesId,
    string SeriesSlug,
    string SeriesTitle,
    SessionKind Kind,
    string Title,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    int Capacity,
    int ConfirmedCount,
    int WaitlistedCount,
    bool RegistrationClosedByOrganizer,
    bool Cancelled,
    string? Venue,
    string? City,
    Guid? WebinarId,
    Guid? LearningExchangeId,
    IReadOnlyList<Presenter> Presenters)
{
    /// <summary>The sanitized rendering of the description (empty for sessions stored before rendering existed).</summary>
    [Id(20)]
    public string DescriptionHtml { get; init; } = "";

    /// <summary>False while an organizer keeps the session out of the public catalog.</summary>
    [Id(21)]
    public bool Published { get; init; } = true;

    /// <summary>The join link (shown to registrants and organizers only).</summary>
    [Id(22)]
    public string? JoinUrl { get; init; }

    /// <summary>The session row's version this view was read or written at.</summary>
    [Id(23)]
    public long Revision { get; init; }

    /// <summary>The continuing-education hours its certificates carry, in hundredths.</summary>
    [Id(24)]
    public int CeHoursCenti { get; init; }

    /// <summary>An in-person training's street address, when the organizer gave one.</summary>
    [Id(25)]
    public string? VenueAddress { get; init; }

    /// <summary>The organizer records the session (the page and the registration form say so).</summary>
    [Id(26)]
    public bool Recorded { get; init; }

    /// <summary>The registration form asks whether the registrant consents to appearing in the recording.</summary>
    [Id(27)]
    public bool RecordingConsentRequired { get; init; }

    /// <summary>When registration opens, if the organizer set a time (before it, the session takes no registrations).</summary>
    [Id(28)]
    public DateTimeOffset? RegistrationOpensAt { get; init; }

    /// <summary>When registration closes, if the organizer set a time before the start.</summary>
    [Id(29)]
    public DateTimeOffset? RegistrationClosesAt { get; init; }

    /// <summary>The organizer's versions of the session's title, description and bios in other languages.</summary>
    [Id(30)]
    public IReadOnlyList<ContentTranslation> Translations { get; init; } = [];

    /// <summary>The series' translations (its title, shown with the session).</summary>
    [Id(31)]
    public IReadOnlyList<ContentTranslation> SeriesTranslations { get; init; } = [];

    /// <summary>The organizer's registration window.</summary>
    public Registrations.RegistrationWindow Window => new(RegistrationOpensAt, RegistrationClosesAt);

    /// <summary>Seats still free.</summary>
    public int SeatsLeft => Math.Max(0, Capacity - ConfirmedCount);

    /// <summary>True when registration is open at <paramref name="now"/> (the same rule as the roster's, for pages).</summary>
    public bool IsOpenAt(DateTimeOffset now) => now < StartsAt && !RegistrationClosedByOrganizer && !Cancelled && Published
        && !(RegistrationOpensAt is { } opens && now < opens) && !(RegistrationClosesAt is { } closes && now >= closes);

    /// <summary>True when registration is still to open at <paramref name="now"/> (the organizer's window has not begun).</summary>
    public bool OpensLater(DateTimeOffset now) => RegistrationOpensAt is { } opens && now < opens && now < StartsAt && !Cancelled;
}

/// <summary>
/// A series as the catalog shows it, with the sessions a page lists (published ones for the public, all for staff).
/// <see cref="Revision"/> rises whenever the series or any of its listed sessions changes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SeriesView(Guid Id, string Slug, string Title, string Description, IReadOnlyList<SessionView> Sessions)
{
    /// <summary>The sanitized rendering of the description (empty for series stored before rendering existed).</summary>
    [Id(5)]
    public string DescriptionHtml { get; init; } = "";

    /// <summary>The series' tracks, as wire names (see <see cref="Catalog.Tracks"/>).</summary>
    [Id(6)]
    public IReadOnlyList<string> Tracks { get; init; } = [];

    /// <summary>A number that rises whenever the series or one of its listed sessions changes.</summary>
    [Id(7)]
    public long Revision { get; init; }

    /// <summary>The organizer's versions of the series' title and description in other languages.</summary>
    [Id(8)]
    public IReadOnlyList<ContentTranslation> Translations { get; init; } = [];
}

/// <summary>The fields of a series itself, as its grain writes them and the catalog lists them.</summary>
[GenerateSerializer, Immutable]
public sealed record SeriesInfo(Guid Id, string Slug, string Title, string Description, string DescriptionHtml, IReadOnlyList<string> Tracks, long Revision)
{
    /// <summary>The organizer's versions of the series' title and description in other languages.</summary>
    [Id(7)]
    public IReadOnlyList<ContentTranslation> Translations { get; init; } = [];
}

/// <summary>One page of the public catalog: its series (each with its published sessions), and how many there are.</summary>
[GenerateSerializer, Immutable]
public sealed record CatalogPage(IReadOnlyList<SeriesView> Series, int Page, int PageSize, int TotalSeries, long Revision)
{
    /// <summary>The number of pages (at least one, even when empty).</summary>
    public int PageCount => Math.Max(1, (TotalSeries + PageSize - 1) / PageSize);
}
