namespace LearnHub.Grains.Media;

/// <summary>Who may fetch a handout or recording: checked on the file URL itself, not only on the page that links it.</summary>
[GenerateSerializer]
public enum MediaVisibility
{
    /// <summary>Anyone, once the session is published.</summary>
    Public,

    /// <summary>People holding a confirmed seat (signed in with the email they registered with), and staff.</summary>
    Registrants,

    /// <summary>Organizers and admins only.</summary>
    Staff,
}

/// <summary>A session's handout (a document or image) or recording (a video file or an external link).</summary>
[GenerateSerializer]
public enum MediaKind
{
    /// <summary>A document or image to download.</summary>
    Handout,

    /// <summary>A video of the session, with optional captions.</summary>
    Recording,
}

/// <summary>How visibility and kind are written in storage and forms.</summary>
public static class MediaWire
{
    /// <summary>The wire name of a visibility.</summary>
    public static string ToWire(this MediaVisibility visibility) => visibility switch
    {
        MediaVisibility.Public => "public",
        MediaVisibility.Registrants => "registrants",
        MediaVisibility.Staff => "staff",
        _ => throw new ArgumentOutOfRangeException(nameof(visibility), visibility, null),
    };

    /// <summary>Reads a visibility back; false for anything else.</summary>
    public static bool TryParseVisibility(string? wire, out MediaVisibility visibility)
    {
        (var ok, visibility) = wire switch
        {
            "public" => (true, MediaVisibility.Public),
            "registrants" => (true, MediaVisibility.Registrants),
            "staff" => (true, MediaVisibility.Staff),
            _ => (false, MediaVisibility.Staff),
        };
        return ok;
    }

    /// <summary>What people read for a visibility.</summary>
    public static string DisplayName(this MediaVisibility visibility) => visibility switch
    {
        MediaVisibility.Public => "Everyone",
        MediaVisibility.Registrants => "Registrants only",
        MediaVisibility.Staff => "Staff only",
        _ => throw new ArgumentOutOfRangeException(nameof(visibility), visibility, null),
    };

    /// <summary>The wire name of a kind.</summary>
    public static string ToWire(this MediaKind kind) => kind == MediaKind.Handout ? "handout" : "recording";

    /// <summary>Reads a kind back.</summary>
    public static MediaKind KindFromWire(string wire) => wire switch
    {
        "handout" => MediaKind.Handout,
        "recording" => MediaKind.Recording,
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown media kind."),
    };
}
