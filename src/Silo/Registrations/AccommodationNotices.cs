using System.Globalization;
using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Registrations;

/// <summary>What a run of the accommodation notices sent: organizers mailed in a digest, sessions reminded about.</summary>
public sealed record AccommodationNoticeRun(int DigestRecipients, int DigestRequests, int RemindedSessions);

/// <summary>
/// Tells the organizers about accommodation requests. LearnHub has no per-series ownership, so "the organizers of the
/// series" are every account with the Organizer role. Two mails, both through the outbox and both written in the
/// transaction that records them as sent:
/// <list type="bullet">
/// <item>a digest of the requests made (or changed) since the previous one, at most one per hour: each digest is a row
/// keyed by its hour, and covers requests up to the instant it records, where the next one starts;</item>
/// <item>a reminder about a session's requests still open, once, within 7 days before it starts: one row per session.</item>
/// </list>
/// The rows' keys make a second silo's run in the same hour (or for the same session) write nothing, and the outbox
/// keys make a second enqueue a no-op. Nothing here writes registrations: their only writer is the session grain.
/// </summary>
public sealed class AccommodationNotices(LearnHubDatabase database, LearnHubClock clock, IOptions<MailOptions> mail, ILogger<AccommodationNotices> logger)
{
    /// <summary>How long before a session the organizers are reminded of its open requests.</summary>
    public static readonly TimeSpan ReminderLead = TimeSpan.FromDays(7);

    /// <summary>The shortest time between two digests to one organizer.</summary>
    public static readonly TimeSpan DigestInterval = TimeSpan.FromHours(1);

    // A request is stamped with its turn's clock before that turn commits: a digest covering up to "now" could pass over
    // one still committing. Covering up to a minute ago leaves it to the next digest instead of losing it.
    private static readonly TimeSpan CommitGrace = TimeSpan.FromMinutes(1);

    // Before the first digest there is no "previous one": requests older than this are not news any more.
    private static readonly TimeSpan FirstDigestReach = TimeSpan.FromDays(1);

    /// <summary>The Hangfire job: the digest when one is due, then the 7-day reminders.</summary>
    public async Task<AccommodationNoticeRun> RunAsync(CancellationToken cancellationToken)
    {
        var (recipients, requests) = await SendDigestAsync(cancellationToken);
        var reminded = await SendRemindersAsync(cancellationToken);
        if (recipients + reminded > 0)
        {
            logger.LogInformation("Accommodations: {Requests} new request(s) mailed to {Recipients} organizer(s); {Sessions} session(s) reminded about",
                requests, recipients, reminded);
        }

        return new AccommodationNoticeRun(recipients, requests, reminded);
    }

    private async Task<(int Recipients, int Requests)> SendDigestAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hour = now.ToUnixTimeMilliseconds() / (long)DigestInterval.TotalMilliseconds;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await SerializeAsync(scope, "learnhub-accommodation-digest", cancellationToken);
        var previous = (await scope.Connection.QueryAsync<(long hour_bucket, long covered_to_utc_ms)>(new CommandDefinition(
            "SELECT hour_bucket, covered_to_utc_ms FROM accommodation_digests ORDER BY hour_bucket DESC LIMIT 1",
            transaction: scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (previous.Count == 1 && previous[0].hour_bucket >= hour)
        {
            return (0, 0);
        }

        var from = previous.Count == 1 ? previous[0].covered_to_utc_ms : (now - FirstDigestReach).ToUnixTimeMilliseconds();
        var upTo = (now - CommitGrace).ToUnixTimeMilliseconds();
        var sessions = (await scope.Connection.QueryAsync<(string id, string title, long requests)>(new CommandDefinition(
            """
            SELECT s.id, s.title, COUNT(*) AS requests
            FROM registrations r JOIN sessions s ON s.id = r.session_id
            WHERE r.accommodation_state = 'requested' AND r.status <> 'cancelled' AND s.status = 'scheduled'
              AND r.accommodation_requested_utc_ms > @from AND r.accommodation_requested_utc_ms <= @upTo
            GROUP BY s.id, s.title, s.starts_utc_ms
            ORDER BY s.starts_utc_ms, s.id
            """, new { from, upTo }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (sessions.Count == 0)
        {
            // No digest row: the hour stays free, so a request made later this hour is mailed without waiting for the next.
            return (0, 0);
        }

        var total = (int)sessions.Sum(s => s.requests);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO accommodation_digests (hour_bucket, covered_to_utc_ms, request_count) VALUES (@hour, @upTo, @total)",
            new { hour, upTo, total }, scope.Transaction, cancellationToken: cancellationToken));
        var detail = string.Join("; ", sessions.Select(s => $"{s.title} ({Requests(s.requests)})"));
        var organizers = await OrganizersAsync(scope, cancellationToken);
        var baseUrl = mail.Value.PublicBaseUrl.TrimEnd('/');
        await OutboxWriter.InsertAsync(scope, organizers.Select(o =>
            new MailIntent(o, MailPurpose.AccommodationRequestsDigest, $"accommodations:digest:{hour}", null, null)
            {
                Link = sessions.Count == 1 ? $"{baseUrl}/organizer/sessions/{sessions[0].id}#accommodations" : $"{baseUrl}/organizer",
                Detail = detail,
                Counterpart = Requests(total),
            }).ToList(), now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return (organizers.Count, total);
    }

    private async Task<int> SendRemindersAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await SerializeAsync(scope, "learnhub-accommodation-reminders", cancellationToken);
        var due = (await scope.Connection.QueryAsync<(string id, string title, long starts_utc_ms, string time_zone, long open)>(new CommandDefinition(
            """
            SELECT s.id, s.title, s.starts_utc_ms, s.time_zone, COUNT(*) AS open
            FROM sessions s JOIN registrations r ON r.session_id = s.id
            WHERE s.status = 'scheduled' AND s.starts_utc_ms > @now AND s.starts_utc_ms <= @horizon
              AND r.accommodation_state = 'requested' AND r.status <> 'cancelled'
              AND NOT EXISTS (SELECT 1 FROM accommodation_reminders a WHERE a.session_id = s.id)
            GROUP BY s.id, s.title, s.starts_utc_ms, s.time_zone
            ORDER BY s.starts_utc_ms, s.id
            """, new { now = now.ToUnixTimeMilliseconds(), horizon = (now + ReminderLead).ToUnixTimeMilliseconds() },
            scope.Transaction, cancellationToken: cancellationToken))).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var organizers = await OrganizersAsync(scope, cancellationToken);
        var baseUrl = mail.Value.PublicBaseUrl.TrimEnd('/');
        var intents = new List<MailIntent>();
        foreach (var session in due)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO accommodation_reminders (session_id, sent_utc_ms, open_count) VALUES (@id, @now, @open)",
                new { session.id, now = now.ToUnixTimeMilliseconds(), session.open }, scope.Transaction, cancellationToken: cancellationToken));
            var starts = ZonedTime.Start(DateTimeOffset.FromUnixTimeMilliseconds(session.starts_utc_ms), session.time_zone);
            intents.AddRange(organizers.Select(o => new MailIntent(o, MailPurpose.AccommodationRequestsOpen, $"accommodations:open:{session.id}", null, null)
            {
                Link = $"{baseUrl}/organizer/sessions/{session.id}#accommodations",
                Counterpart = session.title,
                Detail = $"{Requests(session.open)} still open; it starts {starts}",
            }));
        }

        await OutboxWriter.InsertAsync(scope, intents, now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return due.Count;
    }

    // Two silos run the job at the same minute: on PostgreSQL the second waits here for the first to commit, then sees
    // its row and sends nothing. SQLite's write transaction is exclusive already.
    private async Task SerializeAsync(WriteScope scope, string name, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtext(@name))", new { name }, scope.Transaction, cancellationToken: cancellationToken));
        }
    }

    private static async Task<List<string>> OrganizersAsync(WriteScope scope, CancellationToken cancellationToken) =>
        (await scope.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT u.email_normalized FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'organizer' ORDER BY u.email_normalized",
            transaction: scope.Transaction, cancellationToken: cancellationToken))).ToList();

    private static string Requests(long count) => count == 1 ? "1 request" : string.Create(CultureInfo.InvariantCulture, $"{count} requests");
}
