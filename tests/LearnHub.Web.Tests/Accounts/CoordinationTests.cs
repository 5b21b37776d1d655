using System.Net;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

[Collection(DatabaseCollection.Name)]
public sealed class CoordinationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();


    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields) =>
        Forms.PostAsync(client, "/coordination", $"/coordination?handler={handler}", fields);

    [Fact]
    public async Task ACoordinator_AssignsWithinCapacity_AndIsToldWhyBeyondIt_WithoutAnOverride()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentor = await _app.AccountAsync(Role.Mentor);
        var (first, second) = (await _app.AccountAsync(Role.Learner), await _app.AccountAsync(Role.Learner));
        await PostAsync(coordinator, "Profile", new() { ["email"] = mentor, ["agency"] = "DCF", ["region"] = "North", ["timeZone"] = "America/Chicago", ["capacity"] = "1" });

        var assigned = await PostAsync(coordinator, "Assign", new() { ["mentorEmail"] = mentor, ["menteeEmail"] = first });
        var full = await PostAsync(coordinator, "Assign", new() { ["mentorEmail"] = mentor, ["menteeEmail"] = second });
        var again = await PostAsync(coordinator, "Assign", new() { ["mentorEmail"] = mentor, ["menteeEmail"] = first, ["overrideCapacity"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, full.StatusCode);
        Assert.Contains("is at capacity. Tick the override to assign anyway.", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already has a mentor", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mentorships"));
    }
}
