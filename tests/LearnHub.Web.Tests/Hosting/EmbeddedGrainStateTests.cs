using System.Net;
using System.Net.Http.Json;
using Dapper;
using LearnHub.Grains.Learners;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>
/// The embedded default keeps grain state in its SQLite file through Orleans' ADO.NET persistence: a registration
/// writes the learner's state, and a restart of the web process reads it back.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class EmbeddedGrainStateTests(DatabaseFixture fixture)
{
    [Fact]
    public async Task ARegistration_WritesTheLearnersGrainState_WhichSurvivesARestart()
    {
        var dataDirectory = fixture.NewDirectory();
        await using (var before = new LearnHubWebFactory(dataDirectory))
        {
            var (_, webinar, _) = await before.SeriesWithWebinarAsync();
            var response = await before.CreateClient().PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
            {
                name = "Ana Ortiz", email = "Ana.Ortiz@example.org", agency = "County", jobRole = "Caseworker", timeZone = "America/Denver",
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        // The row the provider wrote, in the embedded default's own file.
        await using (var connection = await new LearnHubDatabase(DatabaseProvider.Sqlite, LearnHubDatabase.DefaultSqliteConnectionString(dataDirectory)).OpenAsync(default))
        {
            var payload = await connection.ExecuteScalarAsync<byte[]>(
                "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'learner' AND GrainIdExtensionString = 'ana.ortiz@example.org'");
            Assert.Contains("America/Denver", System.Text.Encoding.UTF8.GetString(payload!), StringComparison.Ordinal);
        }

        await using var after = new LearnHubWebFactory(dataDirectory);
        after.CreateClient().Dispose(); // starts the app
        var learner = after.Services.GetRequiredService<IGrainFactory>().GetGrain<ILearnerGrain>("ana.ortiz@example.org");

        Assert.Equal(new LearnerPreferences("America/Denver", 0), await learner.PreferencesAsync());
        Assert.Single(await learner.RegistrationsAsync());
    }
}
