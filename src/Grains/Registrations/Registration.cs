namespace LearnHub.Grains.Registrations;

/// <summary>Where a registration stands.</summary>
[GenerateSerializer]
public enum RegistrationStatus
{
    /// <summary>Holds a seat.</summary>
    Confirmed,

    /// <summary>Waits, first come first served, for a seat to free up.</summary>
    Waitlisted,

    /// <summary>Given up; keeps its row as history. The person may register again.</summary>
    Cancelled,
}

/// <summary>
/// The registrations made together (a webinar and its learning exchange) share one group, and one private manage
/// link opens the group. The secret is what the signed link carries besides the id, so a leaked id alone opens nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationGroup(Guid Id, string Secret);

/// <summary>One person's place in one session: confirmed, waitlisted or cancelled.</summary>
public sealed class Registration
{
    /// <summary>Creates a registration in the state the roster admitted it to.</summary>
    public Registration(
        Guid id,
        Guid sessionId,
        RegistrationGroup group,
        Applicant applicant,
        RegistrationStatus status,
        long sequence,
        DateTimeOffset registeredAt,
        DateTimeOffset? promotedAt = null,
        DateTimeOffset? cancelledAt = null,
        Accommodation? accommodation = null)
    {
        Id = id;
        SessionId = sessionId;
        Group = group;
        Applicant = applicant;
        Status = status;
        Sequence = sequence;
        RegisteredAt = registeredAt;
        PromotedAt = promotedAt;
        CancelledAt = cancelledAt;
        Accommodation = accommodation ?? Accommodation.For(applicant.Accommodations, registeredAt);
    }

    /// <summary>The registration's id.</summary>
    public Guid Id { get; }

    /// <summary>The session it is for.</summary>
    public Guid SessionId { get; }

    /// <summary>The group whose manage link opens it.</summary>
    public RegistrationGroup Group { get; }

    /// <summary>Who registered, with the details as they last gave them.</summary>
    public Applicant Applicant { get; private set; }

    /// <summary>Where it stands.</summary>
    public RegistrationStatus Status { get; private set; }

    /// <summary>Arrival order within the session: the waitlist promotes the smallest first.</summary>
    public long Sequence { get; }

    /// <summary>When it arrived.</summary>
    public DateTimeOffset RegisteredAt { get; }

    /// <summary>When it moved from the waitlist to a seat, if it did.</summary>
    public DateTimeOffset? PromotedAt { get; private set; }

    /// <summary>When it was cancelled, if it was.</summary>
    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>Where its accommodation request stands (none when it asks for none).</summary>
    public Accommodation Accommodation { get; private set; }

    /// <summary>True while it holds or waits for a seat.</summary>
    public bool IsActive => Status != RegistrationStatus.Cancelled;

    internal void Cancel(DateTimeOffset now)
    {
        if (Status == RegistrationStatus.Cancelled)
        {
            throw DomainException.InvalidTransition($"Registration {Id}", Status, "cancel");
        }

        Status = RegistrationStatus.Cancelled;
        CancelledAt = now;
    }

    /// <summary>
    /// Takes the registrant's corrected details (name, agency, job role, zone, accommodation, their answer about the
    /// recording); the email stays, since it is who the registration belongs to. Returns the names of the fields that changed (none: nothing to save).
    /// </summary>
    /// <remarks>
    /// A changed accommodation request is a new request: it goes back to "requested" (at <paramref name="now"/>, so the
    /// organizers' next digest reports it) and the answer to the old one, which no longer fits, is dropped.
    /// </remarks>
    internal IReadOnlyList<string> ChangeDetails(Applicant corrected, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        if (Status == RegistrationStatus.Cancelled)
        {
            throw DomainException.InvalidTransition($"Registration {Id}", Status, "change its details");
        }

        if (corrected.NormalizedEmail != Applicant.NormalizedEmail)
        {
            throw new ArgumentException($"Registration {Id} belongs to its email; its details cannot move it to another.", nameof(corrected));
        }

        var changed = new List<string>();
        void Compare(string field, string before, string after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changed.Add(field);
            }
        }

        Compare("name", Applicant.Name, corrected.Name);
        Compare("agency", Applicant.Agency, corrected.Agency);
        Compare("jobRole", Applicant.JobRole, corrected.JobRole);
        Compare("timeZone", Applicant.TimeZone, corrected.TimeZone);
        Compare("accommodations", Applicant.Accommodations, corrected.Accommodations);
        if (Applicant.RecordingConsent != corrected.RecordingConsent)
        {
            changed.Add("recordingConsent");
        }

        if (changed.Contains("accommodations"))
        {
            Accommodation = Accommodation.For(corrected.Accommodations, now);
        }

        // The language is not among the details a registrant corrects: it stays the one they registered in.
        Applicant = corrected with { Language = Applicant.Language };
        return changed;
    }

    /// <summary>
    /// An organizer's answer to the accommodation request: the new state and the note the registrant reads. Returns false
    /// when it already stood so. Only a live registration that asks for an accommodation can be answered.
    /// </summary>
    internal bool AnswerAccommodation(AccommodationState state, string note)
    {
        if (Status == RegistrationStatus.Cancelled)
        {
            throw DomainException.InvalidTransition($"Registration {Id}", Status, "answer its accommodation request");
        }

        if (Accommodation.State == AccommodationState.None)
        {
            throw DomainException.InvalidTransition($"Registration {Id}", "asking for no accommodation", $"mark its accommodation {Accommodation.Label(state)}");
        }

        if (Accommodation.AnswerProblem(state, note) is { } problem)
        {
            throw new DomainException($"Registration {Id}: {problem}");
        }

        var clean = note.Trim();
        if (Accommodation.State == state && string.Equals(Accommodation.Note, clean, StringComparison.Ordinal))
        {
            return false;
        }

        Accommodation = Accommodation with { State = state, Note = clean };
        return true;
    }

    internal void Promote(DateTimeOffset now)
    {
        if (Status != RegistrationStatus.Waitlisted)
        {
            throw DomainException.InvalidTransition($"Registration {Id}", Status, "move from the waitlist to a seat");
        }

        Status = RegistrationStatus.Confirmed;
        PromotedAt = now;
    }
}
