using System.Security.Cryptography;
using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Silo.Training;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Evaluations;

/// <summary>
/// The private survey link of an evaluation invitation. It carries 256 random bits; only their SHA-256 is stored, so
/// the database (or a backup of it) cannot be used to answer in someone's name.
/// </summary>
public static class EvaluationTokens
{
    /// <summary>The longest token accepted from a request (a real one is 43 characters).</summary>
    public const int MaxLength = 128;

    /// <summary>A new random token.</summary>
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is stored for a token: hashed as account links are.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Accounts.AccountLinks.Hash(token);
    }

    /// <summary>The survey's absolute URL under the public base URL.</summary>
    public static string Url(string baseUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}/evaluations/{token}";
    }
}

/// <summary>
/// Invites each newly attended person to evaluate the session: an invitation row with a hashed token and the mail that
/// carries the token, both in the transaction that recorded the attendance. The mail is due when the session has ended:
/// the survey asks about the whole session, so someone checked in at the door is not sent it while the session runs
/// (the invitation itself exists at once, so the survey page already knows them). A registration invited once is never
/// invited again (the invitation's primary key and the outbox key both say so), whatever the writer reports twice.
/// </summary>
public sealed class EvaluationInviter(IOptions<MailOptions> mail) : ITrainingRecordObserver
{
    /// <inheritdoc />
    public async Task TrainingRecordChangedAsync(WriteScope scope, TrainingRecordChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(change);
        if (change.RegistrationIds.Count == 0)
        {
            return;
        }

        var (inList, parameters) = SqlLists.Parameters("r", change.RegistrationIds.Select(id => id.ToString()).ToList());
        var due = await scope.Connection.QueryAsync<(string RegistrationId, string SessionId, string Email, long EndsUtcMs)>(new CommandDefinition(
            $"""
            SELECT a.registration_id, a.session_id, r.email_normalized, s.ends_utc_ms
            FROM attendance a
            JOIN registrations r ON r.id = a.registration_id
            JOIN sessions s ON s.id = a.session_id
            LEFT JOIN evaluation_invitations i ON i.registration_id = a.registration_id
            WHERE a.registration_id IN ({inList}) AND a.attended = 1 AND i.registration_id IS NULL
            ORDER BY a.registration_id
            """, parameters, scope.Transaction, cancellationToken: cancellationToken));

        var mails = new List<MailIntent>();
        foreach (var (registrationId, sessionId, email, endsUtcMs) in due)
        {
            var token = EvaluationTokens.New();
            // ON CONFLICT: a concurrent writer may have invited the same person since the SELECT; then it sent the mail.
            var inserted = await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO evaluation_invitations (registration_id, session_id, token_hash, invited_utc_ms)
                VALUES (@registrationId, @sessionId, @hash, @now)
                ON CONFLICT (registration_id) DO NOTHING
                """,
                new { registrationId, sessionId, hash = EvaluationTokens.Hash(token), now = change.At.ToUnixTimeMilliseconds() },
                scope.Transaction, cancellationToken: cancellationToken));
            if (inserted == 1)
            {
                mails.Add(new MailIntent(email, MailPurpose.EvaluationRequested, $"evaluation:{registrationId}", Guid.Parse(sessionId), Guid.Parse(registrationId))
                {
                    Link = EvaluationTokens.Url(mail.Value.PublicBaseUrl, token),
                    NotBefore = DateTimeOffset.FromUnixTimeMilliseconds(endsUtcMs),
                });
            }
        }

        await OutboxWriter.InsertAsync(scope, mails, change.At, cancellationToken);
    }
}
