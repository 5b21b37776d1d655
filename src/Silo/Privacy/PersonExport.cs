using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Privacy;

/// <summary>
/// "What do you hold about me": everything LearnHub keeps about one email as one JSON document. Each kind of record
/// is an array of rows named by their columns (times as ISO 8601 UTC instead of milliseconds), so a new column shows up
/// in the export without anyone remembering to add it. Other people's confidential notes are left out: a mentoring
/// follow-up the person did not log shows its date, mode and length, not its notes.
/// </summary>
public sealed class PersonExport(LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>The kinds of record an export lists, in order: every document has each, empty when there is none.</summary>
    public static readonly IReadOnlyList<string> Sections =
        ["account", "registrations", "attendance", "recordingViews", "exchangePreparations", "knowledgeCheckAttempts", "evaluations", "certificates", "mentorships",
            "followUps", "auditEntries"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The export as indented JSON text.</summary>
    public async Task<string> ExportJsonAsync(string email, CancellationToken cancellationToken) =>
        (await ExportAsync(email, cancellationToken)).ToJsonString(Indented);

    /// <summary>
    /// The export. An email LearnHub knows nothing about gives the same document with every section empty (and no
    /// account): the answer to "what do you hold about me" is then "nothing".
    /// </summary>
    public async Task<JsonObject> ExportAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var normalized = Applicant.NormalizeEmail(email);
        await using var connection = await database.OpenAsync(cancellationToken);
        var account = (await RowsAsync(connection, "SELECT id, email, display_name, created_utc_ms FROM users WHERE email_normalized = @email",
            new { email = normalized }, cancellationToken)).FirstOrDefault();
        var userId = account?["id"]?.GetValue<string>();
        if (account is not null)
        {
            account["roles"] = new JsonArray((await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT role FROM user_roles WHERE user_id = @userId ORDER BY role", new { userId }, cancellationToken: cancellationToken)))
                .Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
        }

        var person = new { email = normalized, userId = userId ?? "" };
        const string Mine = "SELECT id FROM registrations WHERE email_normalized = @email";
        const string TheirMentorships = "SELECT id FROM mentorships WHERE mentor_id = @userId OR mentee_id = @userId";
        return new JsonObject
        {
            ["email"] = normalized,
            ["exportedAtUtc"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["account"] = account,
            // The answer about appearing in a recording reads as words, the same on both engines (null: never asked).
            ["registrations"] = WithReadableAnswers(await ArrayAsync(connection,
                """
                SELECT r.id, r.session_id, s.title AS session_title, s.starts_utc_ms AS session_starts_utc_ms, r.group_id, r.name, r.email,
                       r.agency, r.job_role, r.time_zone, r.accommodations, r.status, r.registered_utc_ms, r.promoted_utc_ms, r.cancelled_utc_ms,
                       CASE r.recording_consent WHEN 1 THEN 'consents' WHEN 0 THEN 'does not consent' END AS recording_consent, r.answers
                FROM registrations r JOIN sessions s ON s.id = r.session_id
                WHERE r.email_normalized = @email ORDER BY r.registered_utc_ms, r.id
                """, person, cancellationToken)),
            ["attendance"] = await ArrayAsync(connection,
                $"SELECT registration_id, session_id, minutes, attended, source, recorded_utc_ms FROM attendance WHERE registration_id IN ({Mine}) ORDER BY recorded_utc_ms",
                person, cancellationToken),
            // What they played of recordings, as a registrant or signed in (spans in seconds, JSON).
            ["recordingViews"] = await ArrayAsync(connection,
                $"SELECT media_id, registration_id, spans, covered_ms, position_ms, length_ms, first_utc_ms, updated_utc_ms FROM recording_views WHERE registration_id IN ({Mine}) OR email = @email ORDER BY first_utc_ms",
                person, cancellationToken),
            // The questions or cases they brought to a Learning Exchange, and their knowledge-check attempts (answers as JSON).
            ["exchangePreparations"] = await ArrayAsync(connection,
                $"SELECT registration_id, session_id, text, submitted_utc_ms, updated_utc_ms FROM exchange_preparations WHERE registration_id IN ({Mine}) ORDER BY submitted_utc_ms",
                person, cancellationToken),
            ["knowledgeCheckAttempts"] = await ArrayAsync(connection,
                $"SELECT registration_id, session_id, attempt, answers, score_percent, passed, submitted_utc_ms FROM knowledge_check_attempts WHERE registration_id IN ({Mine}) ORDER BY submitted_utc_ms",
                person, cancellationToken),
            // Anonymous answers carry no registration and so are not the person's any more; named ones are.
            ["evaluations"] = await ArrayAsync(connection,
                $"""
                SELECT id, session_id, registration_id, rating_overall, rating_content, rating_presenters, rating_relevance, recommend,
                       most_useful, suggestions, submitted_utc_ms
                FROM evaluation_responses WHERE registration_id IN ({Mine}) ORDER BY submitted_utc_ms
                """, person, cancellationToken),
            ["certificates"] = await ArrayAsync(connection,
                """
                SELECT id, code, kind, session_id, course_id, person_name, training_title, training_date, ce_hours_centi, issued_utc_ms,
                       revoked_utc_ms, revoked_reason
                FROM certificates WHERE email_normalized = @email ORDER BY issued_utc_ms
                """, person, cancellationToken),
            ["mentorships"] = await ArrayAsync(connection,
                """
                SELECT m.id, CASE WHEN m.mentee_id = @userId THEN 'mentee' ELSE 'mentor' END AS my_role,
                       CASE WHEN m.mentee_id = @userId THEN mentor.display_name ELSE mentee.display_name END AS other_person,
                       m.assigned_on, m.status, m.ended_on, m.end_reason
                FROM mentorships m JOIN users mentor ON mentor.id = m.mentor_id JOIN users mentee ON mentee.id = m.mentee_id
                WHERE m.mentor_id = @userId OR m.mentee_id = @userId ORDER BY m.assigned_on
                """, person, cancellationToken),
            // The notes of a follow-up are the person's only when they logged it themselves.
            ["followUps"] = await ArrayAsync(connection,
                $"""
                SELECT f.mentorship_id, f.number, f.due_on, f.state, l.held_on, l.mode, l.duration_minutes,
                       CASE WHEN l.logged_by = @userId THEN l.topics END AS topics,
                       CASE WHEN l.logged_by = @userId THEN l.notes END AS notes,
                       CASE WHEN l.logged_by = @userId THEN l.next_steps END AS next_steps
                FROM follow_ups f LEFT JOIN follow_up_logs l ON l.id = f.log_id
                WHERE f.mentorship_id IN ({TheirMentorships}) ORDER BY f.mentorship_id, f.number
                """, person, cancellationToken),
            ["auditEntries"] = await ArrayAsync(connection,
                """
                SELECT at_utc_ms, actor_email, action, object_type, object_id, detail FROM audit_log
                WHERE actor_id = @userId OR LOWER(actor_email) = @email OR (object_type = 'user' AND object_id = @userId)
                ORDER BY at_utc_ms, id
                """, person, cancellationToken),
        };
    }

    // Answers to the series' questions are stored as JSON; the export gives each as the question and the answer in the
    // words it was given under, which is what the person told the organizer.
    private static JsonArray WithReadableAnswers(JsonArray registrations)
    {
        foreach (var registration in registrations.OfType<JsonObject>())
        {
            var stored = registration["answers"]?.GetValue<string>();
            registration["answers"] = new JsonArray(Storage.QuestionsJson.ParseAnswers(stored)
                .Select(a => (JsonNode?)new JsonObject { ["question"] = a.Label, ["answer"] = a.Display }).ToArray());
        }

        return registrations;
    }

    private static async Task<JsonArray> ArrayAsync(DbConnection connection, string sql, object parameters, CancellationToken cancellationToken) =>
        new((await RowsAsync(connection, sql, parameters, cancellationToken)).Select(r => (JsonNode?)r).ToArray());

    private static async Task<List<JsonObject>> RowsAsync(DbConnection connection, string sql, object parameters, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Cast<IDictionary<string, object?>>().Select(ToJson).ToList();
    }

    private static JsonObject ToJson(IDictionary<string, object?> row)
    {
        var json = new JsonObject();
        foreach (var (column, value) in row)
        {
            if (column.EndsWith("_utc_ms", StringComparison.Ordinal))
            {
                json[column[..^3]] = value is null ? null
                    : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture)).ToString("O", CultureInfo.InvariantCulture);
                continue;
            }

            json[column] = value switch
            {
                null or DBNull => null,
                string text => text,
                long number => number,
                int number => number,
                bool flag => flag,
                double number => number,
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }

        return json;
    }
}
