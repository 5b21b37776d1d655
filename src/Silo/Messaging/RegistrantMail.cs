using Dapper;
using LearnHub.Grains;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Time;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Messaging;

/// <summary>Mail to a session's registrants that a change outside the session's own row causes (a recording published).</summary>
internal static class RegistrantMail
{
    /// <summary>Queues one mail per registrant of a session inside the caller's transaction; returns how many.</summary>
    internal static async Task<int> QueueAsync(WriteScope scope, Guid sessionId, bool confirmedOnly, DateTimeOffset now,
        Func<string, Guid, MailIntent> mail, CancellationToken cancellationToken)
    {
        var condition = confirmedOnly ? "status = 'confirmed'" : "status IN ('confirmed', 'waitlisted')";
        var registrants = (await scope.Connection.QueryAsync<(string id, string email_normalized)>(new CommandDefinition(
            $"SELECT id, email_normalized FROM registrations WHERE session_id = @session AND {condition} ORDER BY sequence",
            new { session = sessionId.ToString() }, scope.Transaction, cancellationToken: cancellationToken))).ToList();
        await OutboxWriter.InsertAsync(scope,
            registrants.Select(r => mail(r.email_normalized, Guid.Parse(r.id))).ToList(), now, cancellationToken);
        return registrants.Count;
    }
}
