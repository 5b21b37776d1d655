namespace LearnHub.Grains.Catalog;

/// <summary>Which sessions the organizer list shows, by where they stand.</summary>
public enum SessionListState
{
    /// <summary>Everything, upcoming first (the default): nothing is hidden until the organizer narrows the list.</summary>
    All,

    /// <summary>Not yet ended and not cancelled, drafts included.</summary>
    Upcoming,

    /// <summary>Ended (cancelled or not).</summary>
    Past,

    /// <summary>Not published and not cancelled.</summary>
    Draft,

    /// <summary>Published and not cancelled.</summary>
    Published,

    /// <summary>Cancelled.</summary>
    Cancelled,
}

/// <summary>
/// The organizer list's filters. Whatever they select is listed upcoming first (soonest first), then what has ended
/// (most recent first). Dates are instants already converted from the organizer's zone by the page; a city
/// matches in-person sessions held there.
/// </summary>
public sealed record SessionListFilter(
    Guid? SeriesId = null,
    SessionKind? Kind = null,
    SessionListState State = SessionListState.All,
    string? City = null,
    DateTimeOffset? StartsFrom = null,
    DateTimeOffset? StartsBefore = null);

/// <summary>
/// What the organizer list warns about: states the editor lets through because they can be intended for a moment
/// (a draft saved while its date is still being settled) but that registrants would meet as dead ends if left.
/// Plain rules over the views, no I/O; the clock is the caller's.
/// </summary>
public static class SessionWarnings
{
    /// <summary>The warnings for <paramref name="session"/>; <paramref name="webinar"/> is the webinar an exchange follows.</summary>
    public static IReadOnlyList<string> For(SessionView session, SessionView? webinar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        var warnings = new List<string>();
        if (session.Cancelled)
        {
            return warnings;
        }

        if (!session.Published && session.StartsAt <= now)
        {
            warnings.Add("Draft dated in the past: nobody can register. Change its date, or cancel it.");
        }

        if (session.Kind == SessionKind.LearningExchange && session.WebinarId is not null)
        {
            if (webinar is null)
            {
                warnings.Add("The webinar it follows no longer exists.");
            }
            else if (webinar.Cancelled)
            {
                warnings.Add($"Follows a cancelled webinar ({webinar.Title}).");
            }
            else if (!webinar.Published)
            {
                warnings.Add(webinar.StartsAt <= now
                    ? $"Follows a draft webinar dated in the past ({webinar.Title})."
                    : $"Follows a webinar that is still a draft ({webinar.Title}): registrants cannot see it.");
            }
            else if (session.StartsAt < webinar.EndsAt)
            {
                warnings.Add($"Starts before the webinar it follows ends ({webinar.Title}).");
            }
        }

        return warnings;
    }
}
