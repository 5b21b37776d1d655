using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Messaging;

/// <summary>
/// Mail an organizer sends to a session's registrants: queued in the outbox in one transaction, one row per person, so
/// a second click of the same message (same subject) queues nothing new.
/// </summary>
public sealed class RegistrantMail(LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>Queues the message to everyone holding or waiting for a seat; returns how many were queued.</summary>
    public async Task<int> MessageAllAsync(Guid sessionId, RegistrantMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Problems().Count > 0)
        {
            throw new DomainException(string.Join(" ", message.Problems().Values));
        }

        // Keyed by the subject line: resending the same announcement is a no-op, a corrected subject is a new mail.
        var subject = $"message:{sessionId}:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message.Subject)))[..32]}";
        return await QueueAsync(sessionId, "status IN ('confirmed', 'waitlisted')",
            (email, registration) => new MailIntent(email, MailPurpose.OrganizerMessage, subject, sessionId, registration) { Message = message }, cancellationToken);
    }

    /// <summary>
    /// Tells every confirmed registrant that a recording is ready, with its link. Until attendance is recorded there is
    /// no telling who missed the session, so all confirmed registrants get the same mail.
    /// </summary>
    public Task<int> AnnounceRecordingAsync(Guid sessionId, Guid recordingId, string link, CancellationToken cancellationToken) =>
        QueueAsync(sessionId, "status = 'confirmed'",
            (email, registration) => new MailIntent(email, MailPurpose.RecordingReady, $"recording:{recordingId}", sessionId, registration) { Link = link }, cancellationToken);

    private async Task<int> QueueAsync(Guid sessionId, string condition, Func<string, Guid, MailIntent> mail, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var registrants = (await scope.Connection.QueryAsync<(string id, string email_normalized)>(new CommandDefinition(
            $"SELECT id, email_normalized FROM registrations WHERE session_id = @session AND {condition} ORDER BY sequence",
            new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        await OutboxWriter.InsertAsync(scope.Connection, scope.Transaction,
            registrants.Select(r => mail(r.email_normalized, Guid.Parse(r.id))).ToList(), clock.GetUtcNow(), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return registrants.Count;
    }
}
