using Dapper;
using LearnHub.Grains.Evaluations;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;

namespace LearnHub.Silo.Evaluations;

/// <summary>One person's evaluation invitation, with what the survey page shows about the session.</summary>
public sealed record EvaluationInvitationView(
    Guid RegistrationId, Guid SessionId, string SessionTitle, string SeriesTitle, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone,
    string PersonName, DateTimeOffset? CompletedAt)
{
    /// <summary>True once the person has answered.</summary>
    public bool Completed => CompletedAt is not null;

    /// <summary>
    /// True once the session has ended: someone checked in at the door is invited at once, but the survey asks about
    /// the whole session, so it takes answers only from its end.
    /// </summary>
    public bool OpensLater(DateTimeOffset now) => EndsAt > now;
}

/// <summary>How a submission ended.</summary>
public enum EvaluationSubmitOutcome
{
    /// <summary>Stored, and the invitation marked completed.</summary>
    Submitted,

    /// <summary>Refused: this invitation was answered before.</summary>
    AlreadyCompleted,

    /// <summary>Refused: the session has not ended, and the survey asks about the whole of it.</summary>
    NotYetOpen,

    /// <summary>Refused: there is no such invitation.</summary>
    UnknownInvitation,
}

/// <summary>
/// Opens evaluation invitations (by the emailed token, or by a signed-in person's email) and stores answers: the
/// response, the invitation's completion and whatever the training-record observers derive from it (a certificate
/// that waited for the evaluation) commit together or not at all.
/// </summary>
/// <remarks>
/// An anonymous answer is stored without the registration, under a random id and with only the day it was given, so
/// nothing in the row points back at the invitation it completed (whose completion instant is exact).
/// </remarks>
public sealed class EvaluationStore(LearnHubDatabase database, IEnumerable<ITrainingRecordObserver> observers, LearnHubClock clock)
{
    private static readonly long DayMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private const string InvitationSelect =
        """
        SELECT i.registration_id, i.session_id, s.title AS session_title, se.title AS series_title, s.starts_utc_ms, s.ends_utc_ms, s.time_zone,
               r.name AS person_name, i.completed_utc_ms
        FROM evaluation_invitations i
        JOIN registrations r ON r.id = i.registration_id
        JOIN sessions s ON s.id = i.session_id
        JOIN series se ON se.id = s.series_id
        """;

    /// <summary>The invitation an emailed token opens; null for an unknown, malformed or tampered token.</summary>
    public async Task<EvaluationInvitationView?> FindByTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > EvaluationTokens.MaxLength)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(
            $"{InvitationSelect} WHERE i.token_hash = @hash", new { hash = EvaluationTokens.Hash(token) }, cancellationToken: cancellationToken));
        return row?.ToView();
    }

    /// <summary>
    /// The invitations of every registration made with this email address, newest session first: a signed-in person
    /// whose account email is the one they registered with reaches their surveys without the emailed link.
    /// </summary>
    public async Task<IReadOnlyList<EvaluationInvitationView>> ForEmailAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InvitationRow>(new CommandDefinition(
            $"{InvitationSelect} WHERE r.email_normalized = @email ORDER BY s.starts_utc_ms DESC, i.registration_id",
            new { email = Applicant.NormalizeEmail(email) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToView()).ToList();
    }

    /// <summary>
    /// Stores the answers of an invitation, marks it completed and tells every observer, in one transaction. A second
    /// submission for the same invitation is refused and changes nothing.
    /// </summary>
    public async Task<EvaluationSubmitOutcome> SubmitAsync(Guid registrationId, EvaluationAnswers answers, bool anonymous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // Held to the commit (FOR UPDATE on PostgreSQL; SQLite's write lock is already ours), so two submissions of the
        // same invitation racing each other are decided one after the other.
        var invitation = await scope.Connection.QuerySingleOrDefaultAsync<LockedInvitation>(new CommandDefinition(
            $"SELECT session_id, completed_utc_ms FROM evaluation_invitations WHERE registration_id = @id{database.LockRowSuffix}",
            new { id = registrationId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (invitation is null)
        {
            return EvaluationSubmitOutcome.UnknownInvitation;
        }

        if (invitation.completed_utc_ms is not null)
        {
            return EvaluationSubmitOutcome.AlreadyCompleted;
        }

        var endsUtcMs = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT ends_utc_ms FROM sessions WHERE id = @id", new { id = invitation.session_id }, scope.Transaction, cancellationToken: cancellationToken));
        if (endsUtcMs > nowMs)
        {
            return EvaluationSubmitOutcome.NotYetOpen;
        }

        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO evaluation_responses (id, session_id, registration_id, rating_overall, rating_content, rating_presenters, rating_relevance,
                                              recommend, most_useful, suggestions, submitted_utc_ms)
            VALUES (@id, @session, @registration, @overall, @content, @presenters, @relevance, @recommend, @mostUseful, @suggestions, @submitted)
            """,
            new
            {
                id = (anonymous ? Guid.NewGuid() : Guid.CreateVersion7(now)).ToString(),
                session = invitation.session_id,
                registration = anonymous ? null : registrationId.ToString(),
                overall = answers.Ratings[RatedQuestion.Overall],
                content = answers.Ratings[RatedQuestion.Content],
                presenters = answers.Ratings[RatedQuestion.Presenters],
                relevance = answers.Ratings[RatedQuestion.Relevance],
                recommend = answers.Recommend.ToWire(),
                mostUseful = answers.MostUseful,
                suggestions = answers.Suggestions,
                submitted = anonymous ? nowMs - (nowMs % DayMs) : nowMs,
            }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE evaluation_invitations SET completed_utc_ms = @now WHERE registration_id = @id",
            new { now = nowMs, id = registrationId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));

        var change = new TrainingRecordChange(Guid.Parse(invitation.session_id), [registrationId], null, now);
        foreach (var observer in observers)
        {
            await observer.TrainingRecordChangedAsync(scope, change, cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        return EvaluationSubmitOutcome.Submitted;
    }

    private sealed class LockedInvitation
    {
        public string session_id { get; set; } = "";
        public long? completed_utc_ms { get; set; }
    }

    private sealed class InvitationRow
    {
        public string registration_id { get; set; } = "";
        public string session_id { get; set; } = "";
        public string session_title { get; set; } = "";
        public string series_title { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string time_zone { get; set; } = "";
        public string person_name { get; set; } = "";
        public long? completed_utc_ms { get; set; }

        public EvaluationInvitationView ToView() => new(Guid.Parse(registration_id), Guid.Parse(session_id), session_title, series_title,
            DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms), DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms), time_zone, person_name,
            completed_utc_ms is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null);
    }
}
