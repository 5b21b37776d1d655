using LearnHub.Grains.Accounts;

namespace LearnHub.Grains.Mentoring;

/// <summary>How much of a mentorship's follow-ups a person may see.</summary>
public enum NoteAccessLevel
{
    /// <summary>Nothing: not theirs to see (the page answers as if it did not exist).</summary>
    None,

    /// <summary>The mentee: their mentor and their follow-up dates, never the notes.</summary>
    Mentee,

    /// <summary>A coordinator: that follow-ups happened, when and how — not the notes.</summary>
    Summary,

    /// <summary>Everything, notes included: the mentor, or a coordinator who gave a reason (audited).</summary>
    Notes,
}

/// <summary>The confidentiality rule for mentoring notes, in one place.</summary>
public static class NoteAccess
{
    /// <summary>Who reads a mentor's notes, said wherever notes are written or promised: the rule <see cref="Decide"/> enforces.</summary>
    public const string Readers = "read by you, and by a mentoring coordinator only after they give a reason, which is recorded in the audit log";

    /// <summary>Longest accepted reason.</summary>
    public const int MaxReason = 500;

    /// <summary>
    /// What <paramref name="viewer"/> may see of a mentorship. Notes are the mentor's; a coordinator sees them only
    /// after stating a reason, which the caller must record in the audit log with the access.
    /// </summary>
    public static NoteAccessLevel Decide(Guid viewer, IReadOnlySet<Role> roles, Mentorship mentorship, string? reason)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(mentorship);
        if (viewer == mentorship.MentorId)
        {
            return NoteAccessLevel.Notes;
        }

        if (roles.Contains(Role.Coordinator))
        {
            return string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReason ? NoteAccessLevel.Summary : NoteAccessLevel.Notes;
        }

        return viewer == mentorship.MenteeId ? NoteAccessLevel.Mentee : NoteAccessLevel.None;
    }
}
