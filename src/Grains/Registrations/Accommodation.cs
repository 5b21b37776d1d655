using LearnHub.Grains.Content;

namespace LearnHub.Grains.Registrations;

/// <summary>Where a registrant's accommodation request stands.</summary>
[GenerateSerializer]
public enum AccommodationState
{
    /// <summary>The registration asks for no accommodation.</summary>
    None,

    /// <summary>Asked for, and not yet answered by an organizer (an open request).</summary>
    Requested,

    /// <summary>An organizer has arranged it.</summary>
    Arranged,

    /// <summary>An organizer cannot arrange it (the note says why, or what instead).</summary>
    CannotArrange,
}

/// <summary>
/// A registration's accommodation request as the organizers have answered it: the state, the note the registrant
/// reads, and when the request was last made (a changed request counts as new: the organizers' digest reports it again).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Accommodation(AccommodationState State, string Note, DateTimeOffset? RequestedAt)
{
    /// <summary>Longest accepted organizer's note.</summary>
    public const int MaxNote = 1000;

    /// <summary>No request.</summary>
    public static Accommodation None { get; } = new(AccommodationState.None, "", null);

    /// <summary>True while the request waits for an organizer's answer.</summary>
    public bool IsOpen => State == AccommodationState.Requested;

    /// <summary>The state a request written at <paramref name="at"/> starts in: requested, or none when the text is empty.</summary>
    public static Accommodation For(string request, DateTimeOffset at) =>
        string.IsNullOrWhiteSpace(request) ? None : new Accommodation(AccommodationState.Requested, "", at);

    /// <summary>
    /// The problem with an organizer's answer, or null when it can be saved: the answer must settle the request or
    /// reopen it (never "none": that is the registrant's to say by clearing their request), and the note is plain text
    /// of at most <see cref="MaxNote"/> characters.
    /// </summary>
    public static string? AnswerProblem(AccommodationState state, string? note)
    {
        if (state == AccommodationState.None || !Enum.IsDefined(state))
        {
            return "Choose whether the accommodation is requested, arranged or cannot be arranged.";
        }

        var clean = (note ?? "").Trim();
        if (clean.Length > MaxNote)
        {
            return $"The note is too long (at most {MaxNote} characters).";
        }

        return PlainText.Problem(clean, "The note", TextShape.MultiLine);
    }

    /// <summary>The label people read for a state.</summary>
    public static string Label(AccommodationState state) => state switch
    {
        AccommodationState.None => "No request",
        AccommodationState.Requested => "Requested",
        AccommodationState.Arranged => "Arranged",
        AccommodationState.CannotArrange => "Cannot be arranged",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown accommodation state."),
    };

    /// <summary>The state as storage, CSV and the API write it.</summary>
    public static string? ToWire(AccommodationState state) => state switch
    {
        AccommodationState.None => null,
        AccommodationState.Requested => "requested",
        AccommodationState.Arranged => "arranged",
        AccommodationState.CannotArrange => "cannot-arrange",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown accommodation state."),
    };

    /// <summary>Reads a stored state back (null: no request).</summary>
    public static AccommodationState FromWire(string? wire) => wire switch
    {
        null or "" => AccommodationState.None,
        "requested" => AccommodationState.Requested,
        "arranged" => AccommodationState.Arranged,
        "cannot-arrange" => AccommodationState.CannotArrange,
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown accommodation state in storage."),
    };
}

/// <summary>What an organizer's answer to an accommodation request came to.</summary>
[GenerateSerializer]
public enum AccommodationAnswerOutcome
{
    /// <summary>Saved and audited; the registrant is emailed when it is now arranged or cannot be arranged.</summary>
    Changed,

    /// <summary>The request already stood so, with that note; nothing was written.</summary>
    Unchanged,

    /// <summary>The registration asks for no accommodation (any more); nothing was written.</summary>
    NoRequest,

    /// <summary>The registration is cancelled; nothing was written.</summary>
    Cancelled,

    /// <summary>No such registration in this session; nothing was written.</summary>
    NotFound,

    /// <summary>The answer is not allowed (see <see cref="Accommodation.AnswerProblem"/>); nothing was written.</summary>
    Invalid,
}
