namespace LearnHub.Grains.Registrations;

/// <summary>
/// When a session takes registrations, as its organizer set it: opens at (null: once published) and closes at (null:
/// at the start). Registration never stays open past the start, whatever the window says.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationWindow(DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt)
{
    /// <summary>The form's field for the opening time (errors are keyed by it).</summary>
    public const string OpensField = "registrationOpens";

    /// <summary>The form's field for the closing time.</summary>
    public const string ClosesField = "registrationCloses";

    /// <summary>No window: open from publishing until the start.</summary>
    public static RegistrationWindow Always { get; } = new(null, null);

    /// <summary>
    /// What is wrong with the window for a session ending at <paramref name="endsAt"/>, keyed by field; empty when it
    /// may be stored. Closing must come before the end (the start closes it anyway), opening before closing and before
    /// the end (a window that never opens would be a trap).
    /// </summary>
    public IReadOnlyDictionary<string, string> Problems(DateTimeOffset endsAt)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ClosesAt is { } closes && closes >= endsAt)
        {
            problems[ClosesField] = "Registration must close before the session ends.";
        }

        if (OpensAt is { } opens)
        {
            if (ClosesAt is { } close && opens >= close)
            {
                problems[OpensField] = "Registration must open before it closes.";
            }
            else if (opens >= endsAt)
            {
                problems[OpensField] = "Registration must open before the session ends.";
            }
        }

        return problems;
    }
}
