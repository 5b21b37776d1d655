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

    [Fact]
    public async Task AMentorProfile_KeepsSpecialtiesAndLanguages_AndABadOneIsExplainedFieldByField_SavingNothing()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentor = await _app.AccountAsync(Role.Mentor);

        var bad = await PostAsync(coordinator, "Profile", new()
        {
            ["email"] = mentor, ["agency"] = "DCF", ["region"] = "", ["specialties"] = "astrology", ["languages"] = "English, <b>", ["timeZone"] = "Mars/Olympus", ["capacity"] = "lots",
        });
        var badHtml = await bad.Content.ReadAsStringAsync();
        var good = await PostAsync(coordinator, "Profile", new()
        {
            ["email"] = mentor, ["agency"] = "DCF", ["region"] = "North", ["specialties"] = "Deaf and hard of hearing", ["languages"] = "English, American Sign Language",
            ["timeZone"] = "America/Chicago", ["capacity"] = "3",
        });
        var page = await coordinator.GetStringAsync("/coordination");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"err-profile-capacity\">Enter how many mentees at once", badHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Contains("<td>Deaf and hard of hearing</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>English, American Sign Language</td>", page, StringComparison.Ordinal);

        var worse = await PostAsync(coordinator, "Profile", new()
        {
            ["email"] = mentor, ["agency"] = "DCF", ["region"] = "", ["specialties"] = "astrology", ["languages"] = "English, <b>", ["timeZone"] = "Mars/Olympus", ["capacity"] = "3",
        });
        var worseHtml = await worse.Content.ReadAsStringAsync();
        foreach (var field in new[] { "region", "specialties", "languages", "timeZone" })
        {
            Assert.Contains($"id=\"err-profile-{field}\"", worseHtml, StringComparison.Ordinal);
        }

        Assert.Contains("<td>Deaf and hard of hearing</td>", await coordinator.GetStringAsync("/coordination"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggestions_RankMentorsForANewStaffMember_WithTheReasons_AndLeaveOutFullOnesUnlessAsked()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var (near, far, full) = (await _app.AccountAsync(Role.Mentor), await _app.AccountAsync(Role.Mentor), await _app.AccountAsync(Role.Mentor));
        var mentee = await _app.AccountAsync(Role.Learner);
        await PostAsync(coordinator, "Profile", new() { ["email"] = far, ["agency"] = "Other", ["region"] = "South", ["timeZone"] = "UTC", ["capacity"] = "5" });
        await PostAsync(coordinator, "Profile", new() { ["email"] = near, ["agency"] = "DCF", ["region"] = "North", ["specialties"] = "youth", ["languages"] = "Spanish", ["timeZone"] = "UTC", ["capacity"] = "5" });
        await PostAsync(coordinator, "Profile", new() { ["email"] = full, ["agency"] = "DCF", ["region"] = "North", ["timeZone"] = "UTC", ["capacity"] = "0" });

        var query = $"/coordination?menteeEmail={Uri.EscapeDataString(mentee)}&menteeAgency=DCF&menteeRegion=North&needs=youth&menteeLanguages=Spanish";
        var ranked = await coordinator.GetStringAsync(query);
        var withFull = await coordinator.GetStringAsync(query + "&includeUnavailable=true");
        var unknown = await coordinator.GetAsync("/coordination?menteeEmail=nobody%40example.org");

        Assert.True(ranked.IndexOf(near, StringComparison.Ordinal) < ranked.IndexOf(far, StringComparison.Ordinal), "The better fit is not first.");
        foreach (var reason in new[] { "Same region (North)", "Same agency (DCF)", "Specialty: youth", "Speaks Spanish", "5 of 5 places free" })
        {
            Assert.Contains($"<li>{reason}</li>", ranked, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(full, ranked.Split("id=\"suggestions\"")[1].Split("</table>")[0], StringComparison.Ordinal);
        Assert.Contains("Full: 0 of 0 places taken", withFull, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("id=\"err-suggest-menteeEmail\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
