using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Data.Sqlite;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>
/// Someone holding a copy of the database (a backup, a dump) but not LearnHub:DataProtection:Key cannot use what the
/// data-protection keys in it protect: a manage link opens nothing for them.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class DatabaseCopyTests(DatabaseFixture fixture)
{
    private static Dictionary<string, string> Key(string key) => new() { ["LearnHub:DataProtection:Key"] = key };

    /// <summary>A consistent copy of the app's database (its WAL included), in a data directory of its own.</summary>
    private async Task<(string Directory, string? ConnectionString)> CopyAsync(DatabaseProvider provider, string directory, string? connectionString)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            return (fixture.NewDirectory(), await fixture.Postgres.CopyDatabaseAsync(connectionString!));
        }

        var copy = fixture.NewDirectory();
        await using var connection = new SqliteConnection(LearnHubDatabase.DefaultSqliteConnectionString(directory));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $path";
        command.Parameters.AddWithValue("$path", Path.Combine(copy, "learnhub.db"));
        await command.ExecuteNonQueryAsync();
        return (copy, null);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ADatabaseCopyWithoutTheKey_CannotOpenAManageLink_WhileWithTheKeyItCan(DatabaseProvider provider)
    {
        var directory = fixture.NewDirectory();
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        string manage;
        await using (var app = new LearnHubWebFactory(directory, provider, connectionString, Key(TestKeys.DataProtection)))
        {
            var (_, webinar, _) = await app.SeriesWithWebinarAsync();
            var registered = await (await app.CreateClient().PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
            {
                name = "Pat Doe", email = "pat@example.org", agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
            })).Content.ReadFromJsonAsync<JsonElement>();
            manage = new Uri(registered.GetProperty("manageUrl").GetString()!).AbsolutePath;
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync(manage)).StatusCode);
        }

        SqliteConnection.ClearAllPools();
        var (copyDirectory, copyConnectionString) = await CopyAsync(provider, directory, connectionString);

        HttpStatusCode withoutTheKey, withTheKey;
        await using (var thief = new LearnHubWebFactory(copyDirectory, provider, copyConnectionString, Key(TestKeys.Other)))
        {
            withoutTheKey = (await thief.CreateClient().GetAsync(manage)).StatusCode;
        }

        SqliteConnection.ClearAllPools();
        await using (var restored = new LearnHubWebFactory(copyDirectory, provider, copyConnectionString, Key(TestKeys.DataProtection)))
        {
            withTheKey = (await restored.CreateClient().GetAsync(manage)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, withoutTheKey);
        Assert.Equal(HttpStatusCode.OK, withTheKey);
    }
}
