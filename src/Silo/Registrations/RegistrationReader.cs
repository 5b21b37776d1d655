using System.Data.Common;
using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Registrations;

/// <summary>A registration as its owner sees it through the manage link.</summary>
public sealed record RegistrationView(
    Guid Id,
    Guid GroupId,
    Guid SessionId,
    string SessionTitle,
    SessionKind SessionKind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string SessionTimeZone,
    string Name,
    string Email,
    string Agency,
    string JobRole,
    string TimeZone,
    string Accommodations,
    RegistrationStatus Status,
    int? WaitlistPosition,
    DateTimeOffset RegisteredAt)
{
    /// <summary>When the registrant last changed their details through the manage link (null: never, or not read here).</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>Their answer about appearing in the recording: true consents, false does not, null was not asked.</summary>
    public bool? RecordingConsent { get; init; }

    /// <summary>The session is recorded.</summary>
    public bool SessionRecorded { get; init; }

    /// <summary>The session asks its registrants for consent to appear in the recording.</summary>
    public bool SessionAsksRecordingConsent { get; init; }

    /// <summary>Where the accommodation request stands (none when there is none).</summary>
    public AccommodationState AccommodationState { get; init; }

    /// <summary>The organizer's note about the accommodation, which the registrant reads.</summary>
    public string AccommodationNote { get; init; } = "";
    /// <summary>Answers to the series' registration questions, each with the label and words it was given under.</summary>
    public IReadOnlyList<RegistrationAnswer> Answers { get; init; } = [];
}

/// <summary>The registrations behind one manage link, with the group's secret to check the link against.</summary>
public sealed record RegistrationGroupView(Guid GroupId, string Secret, IReadOnlyList<RegistrationView> Registrations);

/// <summary>Reads registrations for their owners and for tests; all changes go through the session grain.</summary>
public sealed class RegistrationReader(LearnHubDatabase database)
{
    /// <summary>A group by id, or null when it has no registrations.</summary>
    public async Task<RegistrationGroupView?> FindGroupAsync(Guid groupId, CancellationToken cancellationToken)
    {
        var rows = await ListRowsAsync("r.group_id = @key", groupId.ToString(), cancellationToken, "s.starts_utc_ms");
        return rows.Count == 0 ? null : new RegistrationGroupView(groupId, rows[0].group_secret, rows.Select(r => r.ToView()).ToList());
    }

    private async Task<IReadOnlyList<RegistrationView>> ListAsync(string where, string key, CancellationToken cancellationToken, string order = "s.starts_utc_ms") =>
        (await ListRowsAsync(where, key, cancellationToken, order)).Select(r => r.ToView()).ToList();

    private async Task<List<Row>> ListRowsAsync(string where, string key, CancellationToken cancellationToken, string order)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListRowsAsync(connection, where, key, cancellationToken, order);
    }

    private static async Task<List<Row>> ListRowsAsync(DbConnection connection, string where, string key, CancellationToken cancellationToken, string order,
        int? take = null, int skip = 0)
    {
        var window = take is null ? "" : "LIMIT @take OFFSET @skip";
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT r.id, r.group_id, r.group_secret, r.session_id, s.title AS session_title, s.kind AS session_kind,
                   s.starts_utc_ms, s.ends_utc_ms, s.time_zone AS session_time_zone, r.name, r.email, r.agency, r.job_role,
                   r.time_zone, r.accommodations, r.status, r.registered_utc_ms, r.edited_utc_ms, r.recording_consent, r.accommodation_state, r.accommodation_note, r.answers,
                   s.recorded AS session_recorded, s.recording_consent_required AS session_asks_consent,
                   CASE WHEN r.status = 'waitlisted' THEN
                       (SELECT COUNT(*) FROM registrations w WHERE w.session_id = r.session_id AND w.status = 'waitlisted' AND w.sequence <= r.sequence)
                   END AS waitlist_position
            FROM registrations r JOIN sessions s ON s.id = r.session_id
            WHERE {where}
            ORDER BY {order}
            {window}
            """, new { key, take, skip }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Every registration of one person (by normalized email), soonest session first: "My learning".</summary>
    public async Task<IReadOnlyList<RegistrationView>> ForEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        await ListAsync("r.email_normalized = @key", normalizedEmail, cancellationToken);

    /// <summary>One registration by id (an organizer's registrant page), or null.</summary>
    public async Task<RegistrationView?> FindAsync(Guid registrationId, CancellationToken cancellationToken) =>
        (await ListAsync("r.id = @key", registrationId.ToString(), cancellationToken)).SingleOrDefault();

    /// <summary>Every registration of a session, in arrival order (organizers' registrant list).</summary>
    public async Task<IReadOnlyList<RegistrationView>> ForSessionAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await ListAsync("r.session_id = @key", sessionId.ToString(), cancellationToken, "r.sequence");

    /// <summary>The live registrations of a session that ask for an accommodation, in arrival order (however long the registrant list).</summary>
    public async Task<IReadOnlyList<RegistrationView>> AccommodationsForSessionAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await ListAsync("r.session_id = @key AND r.accommodation_state IS NOT NULL AND r.status <> 'cancelled'", sessionId.ToString(), cancellationToken, "r.sequence");

    /// <summary>
    /// One page of a session's registrations in arrival order, and how many there are in all: a national webinar's list
    /// runs to thousands, which the organizer's page shows a page at a time. A page past the end (the list shrank, or a
    /// hand-typed number) gives the last page; the page given is returned.
    /// </summary>
    public async Task<RegistrationPage> PageForSessionAsync(Guid sessionId, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM registrations WHERE session_id = @id", new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        var pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pages);
        var rows = await ListRowsAsync(connection, "r.session_id = @key", sessionId.ToString(), cancellationToken, "r.sequence", pageSize, (page - 1) * pageSize);
        return new RegistrationPage(rows.Select(r => r.ToView()).ToList(), page, pages, total);
    }

    /// <summary>Counts of a session's registrations by status (tests and operators).</summary>
    public async Task<IReadOnlyDictionary<RegistrationStatus, int>> CountByStatusAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string status, long count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM registrations WHERE session_id = @id GROUP BY status",
            new { id = sessionId.ToString() }, cancellationToken: cancellationToken));
        var counts = Enum.GetValues<RegistrationStatus>().ToDictionary(s => s, _ => 0);
        foreach (var (status, count) in rows)
        {
            counts[RegistrationRow.StatusFromWire(status)] = (int)count;
        }

        return counts;
    }

    /// <summary>The emails of a session's waitlist, first in line first (tests and operators).</summary>
    public async Task<IReadOnlyList<string>> WaitlistAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT email_normalized FROM registrations WHERE session_id = @id AND status = 'waitlisted' ORDER BY sequence",
            new { id = sessionId.ToString() }, cancellationToken: cancellationToken))).ToList();
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string group_id { get; set; } = "";
        public string group_secret { get; set; } = "";
        public string session_id { get; set; } = "";
        public string session_title { get; set; } = "";
        public string session_kind { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long ends_utc_ms { get; set; }
        public string session_time_zone { get; set; } = "";
        public string name { get; set; } = "";
        public string email { get; set; } = "";
        public string agency { get; set; } = "";
        public string job_role { get; set; } = "";
        public string time_zone { get; set; } = "";
        public string accommodations { get; set; } = "";
        public string status { get; set; } = "";
        public long registered_utc_ms { get; set; }
        public long? waitlist_position { get; set; }
        public long? edited_utc_ms { get; set; }
        public long? recording_consent { get; set; }
        public string? accommodation_state { get; set; }
        public string accommodation_note { get; set; } = "";
        public long session_recorded { get; set; }
        public long session_asks_consent { get; set; }
        public string? answers { get; set; }

        public RegistrationView ToView() => new(
            Guid.Parse(id), Guid.Parse(group_id), Guid.Parse(session_id), session_title, SessionKinds.FromWire(session_kind),
            DateTimeOffset.FromUnixTimeMilliseconds(starts_utc_ms), DateTimeOffset.FromUnixTimeMilliseconds(ends_utc_ms),
            session_time_zone, name, email, agency, job_role, time_zone, accommodations, RegistrationRow.StatusFromWire(status),
            waitlist_position is { } p ? (int)p : null, DateTimeOffset.FromUnixTimeMilliseconds(registered_utc_ms))
        {
            EditedAt = edited_utc_ms is { } edited ? DateTimeOffset.FromUnixTimeMilliseconds(edited) : null,
            RecordingConsent = recording_consent is { } consent ? consent != 0 : null,
            SessionRecorded = session_recorded != 0,
            SessionAsksRecordingConsent = session_asks_consent != 0,
            AccommodationState = Accommodation.FromWire(accommodation_state),
            AccommodationNote = accommodation_note,
            Answers = QuestionsJson.ParseAnswers(answers),
        };
    }
}

/// <summary>One page of a registration list: its rows, which page it is (from 1), how many pages and rows there are.</summary>
public sealed record RegistrationPage(IReadOnlyList<RegistrationView> Registrations, int Page, int PageCount, int Total);
