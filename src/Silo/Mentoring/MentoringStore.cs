using System.Globalization;
using Dapper;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Mentoring;

/// <summary>A mentor's profile: where they work, what they know, and how many mentees they take.</summary>
public sealed record MentorProfile(Guid UserId, string Agency, string Region, IReadOnlyList<string> Specialties, IReadOnlyList<string> Languages,
    string TimeZone, int Capacity, bool Active);

/// <summary>A mentor profile with the mentor's name, email and how many active mentees they have.</summary>
public sealed record MentorProfileView(MentorProfile Profile, string Name, string Email, int ActiveMentees)
{
    /// <summary>The profile as the matcher sees it.</summary>
    public MentorCandidate Candidate => new(Profile.UserId, Name, Profile.Agency, Profile.Region, Profile.Specialties, Profile.Languages,
        Profile.Capacity, ActiveMentees, Profile.Active);
}

/// <summary>A mentorship with the two people's names, for pages.</summary>
public sealed record MentorshipView(Mentorship Mentorship, string MentorName, string MentorEmail, string MenteeName, string MenteeEmail, int FollowUpsLogged);

/// <summary>A logged follow-up; notes and next steps are null where the viewer may not see them.</summary>
public sealed record FollowUpView(Guid Id, DateOnly HeldOn, FollowUpMode Mode, int DurationMinutes, IReadOnlyList<string> Topics, string? Notes, string? NextSteps);

/// <summary>What an assignment came to.</summary>
public enum AssignOutcome
{
    /// <summary>Assigned.</summary>
    Assigned,

    /// <summary>The mentor has no (active) mentor profile.</summary>
    NotAMentor,

    /// <summary>The mentor already has as many mentees as their capacity, and no override was given.</summary>
    OverCapacity,

    /// <summary>The mentee already has an active mentor.</summary>
    MenteeAlreadyMentored,

    /// <summary>Mentor and mentee are the same person.</summary>
    SamePerson,
}

/// <summary>
/// Mentor profiles, mentorships and follow-up logs on LearnHub's storage. Assignment holds the mentor's profile row
/// for its transaction (FOR UPDATE / SQLite's writer), so two coordinators cannot both fill a mentor's last place; the
/// database keeps one active mentorship per mentee. Notes are written only by the mentorship's mentor.
/// </summary>
public sealed partial class MentoringStore(LearnHubDatabase database, LearnHubClock clock, string publicBaseUrl = "http://localhost:5080")
{
    /// <summary>
    /// Creates or replaces a mentor profile; returns the problems (keyed by field) and writes nothing when there are any.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveProfileAsync(MentorProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = MentorProfileRules.Problems(profile.Agency, profile.Region, profile.Specialties, profile.Languages, profile.TimeZone, profile.Capacity);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO mentor_profiles (user_id, agency, region, specialties, languages, time_zone, capacity, active)
            VALUES (@user, @agency, @region, @specialties, @languages, @zone, @capacity, @active)
            ON CONFLICT (user_id) DO UPDATE SET agency = @agency, region = @region, specialties = @specialties, languages = @languages,
                time_zone = @zone, capacity = @capacity, active = @active
            """,
            new
            {
                user = profile.UserId.ToString(), agency = profile.Agency.Trim(), region = profile.Region.Trim(), specialties = string.Join("|", profile.Specialties),
                languages = string.Join("|", profile.Languages), zone = profile.TimeZone, capacity = profile.Capacity, active = profile.Active ? 1 : 0,
            }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return problems;
    }

    /// <summary>
    /// Pauses or resumes a mentor: a paused mentor keeps their mentees but is not offered for new ones. Only the flag
    /// changes, so a pause cannot undo an edit of the profile saved a moment before. False when there is no profile.
    /// </summary>
    public async Task<bool> SetActiveAsync(Guid mentorId, bool active, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mentor_profiles SET active = @active WHERE user_id = @id",
            new { id = mentorId.ToString(), active = active ? 1 : 0 }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return changed == 1;
    }

    /// <summary>The date of each active mentorship's next pending follow-up (where the mentor may have moved it).</summary>
    public async Task<IReadOnlyDictionary<Guid, DateOnly>> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string mentorship_id, string due_on)>(new CommandDefinition(
            """
            SELECT f.mentorship_id, MIN(f.due_on) AS due_on
            FROM follow_ups f JOIN mentorships m ON m.id = f.mentorship_id
            WHERE m.status = 'active' AND f.state = 'pending'
            GROUP BY f.mentorship_id
            """, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => Guid.Parse(r.mentorship_id), r => ParseDay(r.due_on));
    }

    /// <summary>Every mentor profile with the mentor's name and current load, by name.</summary>
    public async Task<IReadOnlyList<MentorProfileView>> ProfilesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProfileListRow>(new CommandDefinition(
            """
            SELECT p.user_id, p.agency, p.region, p.specialties, p.languages, p.time_zone, p.capacity, p.active, u.display_name, u.email,
                   COALESCE(l.load, 0) AS load
            FROM mentor_profiles p JOIN users u ON u.id = p.user_id
            LEFT JOIN (SELECT mentor_id, COUNT(*) AS load FROM mentorships WHERE status = 'active' GROUP BY mentor_id) l ON l.mentor_id = p.user_id
            ORDER BY u.display_name, u.email
            """, cancellationToken: cancellationToken));
        return rows.Select(r => new MentorProfileView(
            new MentorProfile(Guid.Parse(r.user_id), r.agency, r.region, List(r.specialties), List(r.languages), r.time_zone, (int)r.capacity, r.active == 1),
            r.display_name, r.email, (int)r.load)).ToList();
    }

    /// <summary>Assigns a mentee to a mentor from today (in the mentor's zone); nothing is written unless it succeeds.</summary>
    public async Task<(AssignOutcome Outcome, Guid? MentorshipId)> AssignAsync(Guid mentorId, Guid menteeId, bool overrideCapacity, CancellationToken cancellationToken)
    {
        if (mentorId == menteeId)
        {
            return (AssignOutcome.SamePerson, null);
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var mentor = await scope.Connection.QuerySingleOrDefaultAsync<ProfileRow>(new CommandDefinition(
            "SELECT time_zone, capacity, active FROM mentor_profiles WHERE user_id = @id" + database.LockRowSuffix,
            new { id = mentorId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (mentor is not { active: 1 })
        {
            return (AssignOutcome.NotAMentor, null);
        }

        var load = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM mentorships WHERE mentor_id = @id AND status = 'active'", new { id = mentorId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (load >= mentor.capacity && !overrideCapacity)
        {
            return (AssignOutcome.OverCapacity, null);
        }

        var mentored = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM mentorships WHERE mentee_id = @id AND status = 'active'", new { id = menteeId.ToString() }, scope.Transaction, cancellationToken: cancellationToken));
        if (mentored > 0)
        {
            return (AssignOutcome.MenteeAlreadyMentored, null);
        }

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zones.Get(mentor.time_zone)).DateTime);
        var mentorship = new Mentorship(Guid.CreateVersion7(now), mentorId, menteeId, today, mentor.time_zone);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO mentorships (id, mentor_id, mentee_id, assigned_on, mentor_time_zone, status, created_utc_ms)
            VALUES (@id, @mentor, @mentee, @on, @zone, 'active', @now)
            """,
            new { id = mentorship.Id.ToString(), mentor = mentorId.ToString(), mentee = menteeId.ToString(), on = Day(today), zone = mentor.time_zone, now = now.ToUnixTimeMilliseconds() },
            scope.Transaction, cancellationToken: cancellationToken));
        await InsertFollowUpsAsync(scope, [(FollowUp.Plan(mentorship, 1), Zones.Get(mentor.time_zone))], now, cancellationToken);

        // Both people are told, in the assignment's own transaction.
        var people = (await scope.Connection.QueryAsync<(string id, string email, string display_name)>(new CommandDefinition(
            "SELECT id, email_normalized, display_name FROM users WHERE id IN (@mentor, @mentee)",
            new { mentor = mentorId.ToString(), mentee = menteeId.ToString() }, scope.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(p => Guid.Parse(p.id));
        var page = $"{publicBaseUrl.TrimEnd('/')}/mentoring/{mentorship.Id}";
        var (mentorPerson, menteePerson) = (people[mentorId], people[menteeId]);
        await OutboxWriter.InsertAsync(scope,
        [
            new MailIntent(mentorPerson.email, MailPurpose.MenteeAssigned, $"mentorship:{mentorship.Id}", null, null)
                { Link = page, Counterpart = $"{menteePerson.display_name} <{menteePerson.email}>" },
            new MailIntent(menteePerson.email, MailPurpose.MentorAssigned, $"mentorship:{mentorship.Id}", null, null)
                { Link = page, Counterpart = $"{mentorPerson.display_name} <{mentorPerson.email}>" },
        ], now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return (AssignOutcome.Assigned, mentorship.Id);
    }

    /// <summary>A mentorship by id, or null.</summary>
    public async Task<MentorshipView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await ListAsync("m.id = @key", id.ToString(), cancellationToken)).SingleOrDefault();

    /// <summary>The mentorships of a mentor (active first).</summary>
    public Task<IReadOnlyList<MentorshipView>> ForMentorAsync(Guid mentorId, CancellationToken cancellationToken) =>
        ListAsync("m.mentor_id = @key", mentorId.ToString(), cancellationToken);

    /// <summary>The mentorships of a mentee (active first).</summary>
    public Task<IReadOnlyList<MentorshipView>> ForMenteeAsync(Guid menteeId, CancellationToken cancellationToken) =>
        ListAsync("m.mentee_id = @key", menteeId.ToString(), cancellationToken);

    /// <summary>Every mentorship (coordinators).</summary>
    public Task<IReadOnlyList<MentorshipView>> AllAsync(CancellationToken cancellationToken) =>
        ListAsync(null, "", cancellationToken);

    /// <summary>The follow-ups of a mentorship at an access level: notes only at <see cref="NoteAccessLevel.Notes"/>.</summary>
    public async Task<IReadOnlyList<FollowUpView>> FollowUpsAsync(Guid mentorshipId, NoteAccessLevel access, CancellationToken cancellationToken)
    {
        if (access == NoteAccessLevel.None)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string id, string held_on, string mode, long duration_minutes, string topics, string notes, string next_steps)>(
            new CommandDefinition("SELECT id, held_on, mode, duration_minutes, topics, notes, next_steps FROM follow_up_logs WHERE mentorship_id = @id ORDER BY held_on DESC",
                new { id = mentorshipId.ToString() }, cancellationToken: cancellationToken));
        var notes = access == NoteAccessLevel.Notes;
        return rows.Select(r => new FollowUpView(Guid.Parse(r.id), ParseDay(r.held_on), Enum.Parse<FollowUpMode>(r.mode), (int)r.duration_minutes,
            r.topics.Split(',', StringSplitOptions.RemoveEmptyEntries), notes ? r.notes : null, notes ? r.next_steps : null)).ToList();
    }

    private async Task<IReadOnlyList<MentorshipView>> ListAsync(string? where, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT m.id, m.mentor_id, m.mentee_id, m.assigned_on, m.mentor_time_zone, m.status, m.ended_on,
                   a.display_name AS mentor_name, a.email AS mentor_email, b.display_name AS mentee_name, b.email AS mentee_email,
                   (SELECT COUNT(*) FROM follow_up_logs f WHERE f.mentorship_id = m.id) AS logged
            FROM mentorships m JOIN users a ON a.id = m.mentor_id JOIN users b ON b.id = m.mentee_id
            {(where is null ? "" : $"WHERE {where}")}
            ORDER BY CASE WHEN m.status = 'active' THEN 0 ELSE 1 END, m.assigned_on
            """, new { key }, cancellationToken: cancellationToken));
        return rows.Select(r => new MentorshipView(r.ToMentorship(), r.mentor_name, r.mentor_email, r.mentee_name, r.mentee_email, (int)r.logged)).ToList();
    }

    private static IReadOnlyList<string> List(string stored) => stored.Split(['|', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class ProfileRow
    {
        public string time_zone { get; set; } = "";
        public long capacity { get; set; }
        public long active { get; set; }
    }

    private sealed class ProfileListRow
    {
        public string user_id { get; set; } = "";
        public string agency { get; set; } = "";
        public string region { get; set; } = "";
        public string specialties { get; set; } = "";
        public string languages { get; set; } = "";
        public string time_zone { get; set; } = "";
        public long capacity { get; set; }
        public long active { get; set; }
        public string display_name { get; set; } = "";
        public string email { get; set; } = "";
        public long load { get; set; }
    }

    private sealed class Row
    {
        public string id { get; set; } = "";
        public string mentor_id { get; set; } = "";
        public string mentee_id { get; set; } = "";
        public string assigned_on { get; set; } = "";
        public string mentor_time_zone { get; set; } = "";
        public string status { get; set; } = "";
        public string? ended_on { get; set; }
        public string mentor_name { get; set; } = "";
        public string mentor_email { get; set; } = "";
        public string mentee_name { get; set; } = "";
        public string mentee_email { get; set; } = "";
        public long logged { get; set; }

        public Mentorship ToMentorship() => new(Guid.Parse(id), Guid.Parse(mentor_id), Guid.Parse(mentee_id), ParseDay(assigned_on), mentor_time_zone,
            Enum.Parse<MentorshipStatus>(status, ignoreCase: true), ended_on is null ? null : ParseDay(ended_on));
    }
}
