using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Api;

/// <summary>Exports of personal data answer only for sessions that exist, and only those are on the record.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class OrganizerExportsTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RegistrantsCsv_AnswersNotFound_AndWritesNoAuditEntry_ForASessionThatDoesNotExist(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var organizer = await app.SignedInClientAsync(await app.AccountAsync(Role.Organizer));

        var response = await organizer.GetAsync($"/organizer/sessions/{Guid.NewGuid()}/registrants.csv");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await app.Services.GetRequiredService<AuditLog>().ListAsync("registrants.exported", null, 10, default));
    }
}
