using Dapper;
using LearnHub.Grains.Messaging;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Messaging;

/// <summary>
/// Writes mail intents to the outbox inside the caller's transaction. A row whose idempotency key exists already is
/// skipped by the database (ON CONFLICT DO NOTHING), so enqueueing the same mail twice is a no-op on both engines. A
/// mail with a <see cref="MailIntent.NotBefore"/> still to come is queued with its first attempt then, which is all the
/// dispatcher's due query looks at.
/// </summary>
public static class OutboxWriter
{
    private const int Chunk = 64;

    /// <summary>Inserts the mails; those whose key exists already are skipped.</summary>
    public static async Task InsertAsync(WriteScope scope, IReadOnlyList<MailIntent> mails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(mails);
        scope.MailQueued += mails.Count;
        foreach (var chunk in mails.Chunk(Chunk))
        {
            var parameters = new DynamicParameters();
            parameters.Add("now", now.ToUnixTimeMilliseconds());
            var rows = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var mail = chunk[i];
                rows.Add($"(@id{i}, @key{i}, @mid{i}, @to{i}, @purpose{i}, @subject{i}, @session{i}, @registration{i}, @data{i}, @due{i}, @now)");
                parameters.Add($"id{i}", Guid.CreateVersion7(now).ToString());
                parameters.Add($"key{i}", mail.IdempotencyKey);
                parameters.Add($"due{i}", (mail.NotBefore is { } notBefore && notBefore > now ? notBefore : now).ToUnixTimeMilliseconds());
                parameters.Add($"mid{i}", Guid.NewGuid().ToString("N"));
                parameters.Add($"to{i}", mail.Recipient);
                parameters.Add($"purpose{i}", mail.Purpose.ToWire());
                parameters.Add($"subject{i}", mail.SubjectRef);
                parameters.Add($"session{i}", mail.SessionId?.ToString());
                parameters.Add($"registration{i}", mail.RegistrationId?.ToString());
                parameters.Add($"data{i}", OutboxData.Serialize(new OutboxData(mail.WaitlistPosition, null)
                {
                    Link = mail.Link, Counterpart = mail.Counterpart, Detail = mail.Detail, MessageSubject = mail.Message?.Subject, MessageBody = mail.Message?.Body,
                }));
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO outbox_messages (id, idempotency_key, message_id, recipient, purpose, subject_ref, session_id, registration_id, data,
                                             next_attempt_utc_ms, created_utc_ms)
                VALUES {string.Join(", ", rows)}
                ON CONFLICT (idempotency_key) DO NOTHING
                """, parameters, scope.Transaction, cancellationToken: cancellationToken));
        }
    }
}

/// <summary>What a mail needs that the database will not know at delivery time: the facts as they were when it was queued.</summary>
internal sealed record OutboxData(int? WaitlistPosition, int? ReminderOffsetMinutes)
{
    public string? Link { get; init; }

    public string? Counterpart { get; init; }

    public string? Detail { get; init; }

    public string? MessageSubject { get; init; }

    public string? MessageBody { get; init; }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static string Serialize(OutboxData data) => System.Text.Json.JsonSerializer.Serialize(data, Json);

    public static OutboxData Parse(string json) => System.Text.Json.JsonSerializer.Deserialize<OutboxData>(json, Json) ?? new OutboxData(null, null);
}
