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

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RegistrantsCsv_AndTheRegistrantList_CarryEachAnswerAboutTheRecording(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var organizer = await app.SignedInClientAsync(await app.AccountAsync(Role.Organizer));
        var (_, webinar, _) = await app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);
        var desk = app.Services.GetRequiredService<LearnHub.Web.Registrations.RegistrationDesk>();
        foreach (var (email, consent) in new[] { ("yes@example.org", true), ("no@example.org", false) })
        {
            await desk.RegisterAsync(webinar, new("Pat Doe", email, "County DCF", "Caseworker", "America/Chicago", "", RecordingConsent: consent), default);
        }

        var csv = System.Text.Encoding.UTF8.GetString(await organizer.GetByteArrayAsync($"/organizer/sessions/{webinar}/registrants.csv")).TrimStart('\uFEFF');
        var page = WebUtility.HtmlDecode(await organizer.GetStringAsync($"/organizer/sessions/{webinar}"));

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",recording_consent,accommodation_state,accommodation_note", lines[0], StringComparison.Ordinal);
        Assert.Equal(["yes", "no"], lines.Skip(1).Select(l => l.Split(',')[^3]));
        Assert.Contains("<th scope=\"col\">Recording consent</th>", page, StringComparison.Ordinal);
        Assert.Contains("Does not consent to appearing in the recording (camera and microphone off)", page, StringComparison.Ordinal);
    }
}
