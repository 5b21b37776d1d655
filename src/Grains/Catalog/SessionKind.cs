namespace LearnHub.Grains.Catalog;

/// <summary>The three shapes a session in a series takes.</summary>
[GenerateSerializer]
public enum SessionKind
{
    /// <summary>A live, large online session that opens an instalment of a series.</summary>
    NationalWebinar,

    /// <summary>A small-group discussion of a webinar, usually a week after it.</summary>
    LearningExchange,

    /// <summary>A training held at a venue; the same training can run in several cities.</summary>
    InPersonTraining,
}

/// <summary>How kinds are written in storage, URLs and the JSON API.</summary>
public static class SessionKinds
{
    /// <summary>The stable wire name of a kind.</summary>
    public static string ToWire(this SessionKind kind) => kind switch
    {
        SessionKind.NationalWebinar => "national-webinar",
        SessionKind.LearningExchange => "learning-exchange",
        SessionKind.InPersonTraining => "in-person-training",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a wire name back.</summary>
    public static SessionKind FromWire(string wire) => wire switch
    {
        "national-webinar" => SessionKind.NationalWebinar,
        "learning-exchange" => SessionKind.LearningExchange,
        "in-person-training" => SessionKind.InPersonTraining,
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown session kind."),
    };

    /// <summary>The label people read.</summary>
    public static string DisplayName(this SessionKind kind) => kind switch
    {
        SessionKind.NationalWebinar => "National Webinar",
        SessionKind.LearningExchange => "Learning Exchange",
        SessionKind.InPersonTraining => "In-person training",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
