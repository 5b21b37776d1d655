using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Registrations;

/// <summary>
/// "Email me my registrations": queues, through the outbox, the mail that lists an address's registrations with their
/// manage links (composed at delivery, so the row holds no link). An address without registrations gets nothing, and
/// callers answer the same either way. One mail per address and <see cref="MailIntent.ResendWindow"/>: requests within
/// it share the outbox key, so a flood for one address sends one message.
/// </summary>
public sealed class RegistrationLists(LearnHubDatabase database, LearnHubClock clock)
{
    /// <summary>Queues the list for <paramref name="email"/> if it has registrations; true when a mail was queued or already was in this window.</summary>
    public async Task<bool> RequestAsync(string? email, CancellationToken cancellationToken)
    {
        var typed = (email ?? "").Trim();
        if (!Applicant.IsValidEmail(typed))
        {
            return false;
        }

        var normalized = Applicant.NormalizeEmail(typed);
        var now = clock.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var any = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT 1 FROM registrations WHERE email_normalized = @email LIMIT 1) AS one",
            new { email = normalized }, scope.Transaction, cancellationToken: cancellationToken));
        if (any == 0)
        {
            return false;
        }

        await OutboxWriter.InsertAsync(scope,
            [new MailIntent(normalized, MailPurpose.RegistrationList, $"list:{MailIntent.ResendWindowOf(now)}", null, null)], now, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return true;
    }
}
