using Dapper;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Learners;

/// <summary>Reads a learner's registrations from their rows, for the learner grain's index (by the email index).</summary>
public sealed class SqlLearnerStore(LearnHubDatabase database) : ILearnerStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<LearnerRegistration>> RegistrationsAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RegistrationRow>(new CommandDefinition(
            $"SELECT {SqlSessionStore.RegistrationColumns} FROM registrations WHERE email_normalized = @email ORDER BY registered_utc_ms, id",
            new { email = normalizedEmail }, cancellationToken: cancellationToken));
        return rows.Select(r => LearnerRegistration.From(r.ToRegistration())).ToList();
    }

    /// <summary>The normalized email behind a registration group (one manage link), or null when it has no registrations.</summary>
    public async Task<string?> EmailOfGroupAsync(Guid groupId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT email_normalized FROM registrations WHERE group_id = @id LIMIT 1", new { id = groupId.ToString() }, cancellationToken: cancellationToken));
    }
}
