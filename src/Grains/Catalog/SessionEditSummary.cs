namespace LearnHub.Grains.Catalog;

/// <summary>
/// What an organizer's edit of a session changed, in words, for the audit log: "title, join link, presenters". The
/// values themselves are not repeated (a description can be pages long, and the page shows the current one); a join
/// link is named but never quoted, since it may carry a meeting passcode.
/// </summary>
public static class SessionEditSummary
{
    /// <summary>The names of the fields <paramref name="after"/> changes on <paramref name="before"/>, in form order; empty when none.</summary>
    public static IReadOnlyList<string> Changes(SessionView before, SessionDetails after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = new List<string>();
        Note(changed, "title", !string.Equals(before.Title, after.Title, StringComparison.Ordinal));
        Note(changed, "kind", after.Kind is { } kind && kind != before.Kind);
        Note(changed, "webinar followed", (after.Kind ?? before.Kind) == SessionKind.LearningExchange && after.WebinarId != before.WebinarId);
        Note(changed, "description", !string.Equals(before.Description, after.Description, StringComparison.Ordinal));
        Note(changed, "join link", !string.Equals(before.JoinUrl, after.JoinUrl, StringComparison.Ordinal));
        Note(changed, "venue", !string.Equals(before.Venue, after.Venue, StringComparison.Ordinal));
        Note(changed, "city", !string.Equals(before.City, after.City, StringComparison.Ordinal));
        Note(changed, "venue address", !string.Equals(before.VenueAddress, after.VenueAddress, StringComparison.Ordinal));
        Note(changed, "CE hours", after.CeHoursCenti is { } hours && hours != before.CeHoursCenti);
        Note(changed, "recording", after.Recorded is { } recorded && recorded != before.Recorded);
        Note(changed, "recording consent", after.RecordingConsentRequired is { } consent && consent != before.RecordingConsentRequired);
        Note(changed, "presenters", !SamePresenters(before.Presenters, after.Presenters));
        return changed;
    }

    // Presenters compare by what the organizer typed; the rendered bio follows from the source.
    private static bool SamePresenters(IReadOnlyList<Presenter> before, IReadOnlyList<Presenter> after) =>
        before.Count == after.Count && before.Zip(after).All(p =>
            p.First.Name == p.Second.Name && p.First.Affiliation == p.Second.Affiliation && p.First.Bio == p.Second.Bio);

    private static void Note(List<string> changed, string field, bool differs)
    {
        if (differs)
        {
            changed.Add(field);
        }
    }
}
