using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Sessions;

/// <summary>
/// Two days before a Learning Exchange, queues one mail to each of its confirmed registrants who did not attend its
/// webinar live, with the webinar's recording (a pass for their exchange seat is added at delivery) and a pointer to the
/// handouts on their registration's page (issue 14). Run by the minutely reminder job; the outbox's idempotency key
/// (recipient, purpose, exchange) makes every later run, or a second silo's, queue nothing more. An exchange whose
/// webinar has no published recording yet is looked at again each minute until it has one or the exchange starts.
/// </summary>
public sealed class ExchangePreparationMail(LearnHubDatabase database, LearnHubClock clock, IOptions<MailOptions> mail, ILogger<ExchangePreparationMail> logger)
{
    /// <summary>How long before an exchange its registrants are sent the webinar's materials.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromDays(2);

    /// <summary>Queues the mail of every exchange now within <see cref="Lead"/> of its start; returns how many were queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var due = await scope.Connection.QueryAsync<(string exchange_id, string registration_id, string email_normalized, string webinar_title, string recording_id)>(
            new CommandDefinition(
                """
                SELECT x.id AS exchange_id, g.id AS registration_id, g.email_normalized, w.title AS webinar_title,
                       (SELECT m.id FROM session_media m
                        WHERE m.session_id = w.id AND m.kind = 'recording' AND m.published_utc_ms IS NOT NULL AND m.visibility <> 'staff'
                        ORDER BY m.published_utc_ms, m.id LIMIT 1) AS recording_id
                FROM sessions x
                JOIN sessions w ON w.id = x.webinar_id
                JOIN registrations g ON g.session_id = x.id AND g.status = 'confirmed'
                WHERE x.kind = 'learning-exchange' AND x.status = 'scheduled' AND x.starts_utc_ms > @now AND x.starts_utc_ms <= @until
                  AND EXISTS (SELECT 1 FROM session_media m
                              WHERE m.session_id = w.id AND m.kind = 'recording' AND m.published_utc_ms IS NOT NULL AND m.visibility <> 'staff')
                  AND NOT EXISTS (SELECT 1 FROM registrations r JOIN attendance a ON a.registration_id = r.id
                                  WHERE r.session_id = w.id AND r.email_normalized = g.email_normalized AND a.attended = 1)
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages o
                                  WHERE o.idempotency_key = g.email_normalized || '|exchange-preparation|exchange-preparation:' || x.id)
                ORDER BY x.id, g.id
                """,
                new { now = now.ToUnixTimeMilliseconds(), until = (now + Lead).ToUnixTimeMilliseconds() }, scope.Transaction, cancellationToken: cancellationToken));
        var baseUrl = mail.Value.PublicBaseUrl.TrimEnd('/');
        var mails = due.Select(d => new MailIntent(d.email_normalized, MailPurpose.ExchangePreparation, $"exchange-preparation:{d.exchange_id}",
            Guid.Parse(d.exchange_id), Guid.Parse(d.registration_id))
        {
            Link = $"{baseUrl}/recordings/{d.recording_id}",
            Detail = d.webinar_title,
        }).ToList();
        await OutboxWriter.InsertAsync(scope, mails, now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        if (mails.Count > 0)
        {
            logger.LogInformation("Learning Exchange preparation: {Count} mail(s) queued", mails.Count);
        }

        return mails.Count;
    }
}
