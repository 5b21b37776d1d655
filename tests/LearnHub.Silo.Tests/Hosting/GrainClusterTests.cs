using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Hosting;

/// <summary>
/// Orleans' ADO.NET clustering on LearnHub's PostgreSQL: real silo processes sharing one database find each other
/// through the membership table, and the survivors declare a killed one dead.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class GrainClusterTests(DatabaseFixture fixture)
{
    // Orleans' SiloStatus values as stored in the membership table.
    private const int Active = 3;
    private const int Dead = 6;

    private Dictionary<string, string> Settings(string connectionString) => new()
    {
        ["LearnHub__Database__Provider"] = "PostgreSql",
        ["LearnHub__Database__ConnectionString"] = connectionString,
        ["LearnHub__DataDirectory"] = fixture.NewDirectory(),
    };

    private static async Task<List<(string Address, int Port, int Status, string Cluster)>> MembersAsync(LearnHubDatabase database)
    {
        await using var connection = await database.OpenAsync(default);
        return (await connection.QueryAsync<(string, int, int, string)>(
            "SELECT address, port, status, deploymentid FROM orleansmembershiptable ORDER BY port")).ToList();
    }
    [Fact]
    public async Task ThreeProcessesOnOneDatabase_FormOneCluster_AndTheSurvivorsDeclareAKilledOneDead()
    {
        var (database, connectionString) = await fixture.NewDatabaseAsync(DatabaseProvider.PostgreSql);
        await using var first = LearnHubProcess.Start(Settings(connectionString));
        await using var second = LearnHubProcess.Start(Settings(connectionString));
        await using var third = LearnHubProcess.Start(Settings(connectionString));

        var joined = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(90), async () => (await MembersAsync(database)).Count(m => m.Status == Active) == 3);
        Assert.True(joined, $"Members: {string.Join(", ", await MembersAsync(database))}\n{first.Output}\n{second.Output}\n{third.Output}");
        var members = await MembersAsync(database);
        Assert.All(members, m => Assert.Equal(("127.0.0.1", "learnhub"), (m.Address, m.Cluster)));
        Assert.Equal(3, members.Select(m => m.Port).Distinct().Count());

        await third.KillAsync();

        var declared = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(120), async () => (await MembersAsync(database)) is var now && now.Count(m => m.Status == Dead) == 1 && now.Count(m => m.Status == Active) == 2);
        Assert.True(declared, $"Members: {string.Join(", ", await MembersAsync(database))}\n{first.Output}\n{second.Output}");
        Assert.True(first.IsRunning && second.IsRunning, $"{first.Output}\n{second.Output}");
    }
}
