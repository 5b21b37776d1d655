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
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var queued = await QueueAsync(scope, sessionId, confirmedOnly: false, clock.GetUtcNow(),
            (email, registration) => new MailIntent(email, MailPurpose.OrganizerMessage, subject, sessionId, registration) { Message = message }, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return queued;
    }

    /// <summary>Queues one mail per registrant of a session inside the caller's transaction; returns how many.</summary>
    internal static async Task<int> QueueAsync(WriteScope scope, Guid sessionId, bool confirmedOnly, DateTimeOffset now,
        Func<string, Guid, MailIntent> mail, CancellationToken cancellationToken)
    {
        var condition = confirmedOnly ? "status = 'confirmed'" : "status IN ('confirmed', 'waitlisted')";
        var registrants = (await scope.Connection.QueryAsync<(string id, string email_normalized)>(new CommandDefinition(
            $"SELECT id, email_normalized FROM registrations WHERE session_id = @session AND {condition} ORDER BY sequence",
            new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        await OutboxWriter.InsertAsync(scope.Connection, scope.Transaction,
            registrants.Select(r => mail(r.email_normalized, Guid.Parse(r.id))).ToList(), now, cancellationToken);
        return registrants.Count;
    }
}
