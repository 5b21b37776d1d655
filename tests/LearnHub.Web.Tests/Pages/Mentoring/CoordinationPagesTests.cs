using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Mentoring;

/// <summary>
/// The coordination area, page by page: Mentors (edit, pause, resume), Assign (suggestions and by hand), Mentorships,
/// Invite (Mentor and Learner only), the old /coordination address, and human labels on every page of mentoring.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class CoordinationPagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private AccountStore Accounts => _app.Services.GetRequiredService<AccountStore>();

    private async Task<Account> PersonAsync(string name, params Role[] roles)
    {
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        return (await Accounts.CreateAsync(email, name, LearnHubWebFactory.Password, roles, default)).Account!;
    }

    private static Task<HttpResponseMessage> SaveProfileAsync(HttpClient client, Guid mentor, Dictionary<string, string> fields) =>
        Forms.PostAsync(client, $"/coordination/mentors/{mentor}", $"/coordination/mentors/{mentor}", fields);

    private static Dictionary<string, string> Profile(string capacity = "5", string zone = "America/Chicago", string region = "North", string agency = "DCF") =>
        new() { ["agency"] = agency, ["region"] = region, ["timeZone"] = zone, ["capacity"] = capacity };

    private static Task<HttpResponseMessage> AssignAsync(HttpClient client, Dictionary<string, string> fields) =>
        Forms.PostAsync(client, "/coordination/assign", "/coordination/assign?handler=Assign", fields);

    private static Task<HttpResponseMessage> InviteAsync(HttpClient client, Dictionary<string, string> fields) =>
        Forms.PostAsync(client, "/coordination/invite", "/coordination/invite", fields);

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string action) =>
        await _app.Services.GetRequiredService<AuditLog>().ListAsync(action, null, 50, default);

    [Fact]
    public async Task TheOldCoordinationAddress_LeadsToTheMentorsPage_AndASuggestionLinkToTheAssignPage()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));

        var bare = await coordinator.GetAsync("/coordination");
        var suggestion = await coordinator.GetAsync("/coordination?menteeEmail=nia%40example.org&needs=youth");

        Assert.Equal("/coordination/mentors", bare.Headers.Location!.OriginalString);
        Assert.Equal("/coordination/assign?menteeEmail=nia%40example.org&needs=youth", suggestion.Headers.Location!.OriginalString);
        var page = await coordinator.GetStringAsync("/coordination/mentors");
        Assert.Contains("<a href=\"/coordination/mentors\" aria-current=\"page\">Mentors</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMentorWithoutAProfile_IsListed_ThenSetUp_ListedWithAgencyRegionZoneCapacityAndMentees_AndAuditedByName()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentor = await PersonAsync("Maya Mentor", Role.Mentor);

        var before = await coordinator.GetStringAsync("/coordination/mentors");
        var form = await coordinator.GetStringAsync($"/coordination/mentors/{mentor.Id}");
        var saved = await SaveProfileAsync(coordinator, mentor.Id, new(Profile(capacity: "3")) { ["specialties"] = "youth", ["languages"] = "English, Spanish" });
        var after = await coordinator.GetStringAsync("/coordination/mentors");

        Assert.Contains($"href=\"/coordination/mentors/{mentor.Id}\">Set up the profile", before, StringComparison.Ordinal);
        Assert.Contains("<option value=\"\" selected=\"selected\">Choose…</option>", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"America/Chicago\">", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("<td>DCF</td><td>North</td><td>America/Chicago</td>", after, StringComparison.Ordinal);
        Assert.Contains("<td>0</td><td>3</td><td>Active</td>", after, StringComparison.Ordinal);
        Assert.Contains("Saved the mentor profile of Maya Mentor.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Set up the profile", after, StringComparison.Ordinal);
        Assert.Contains("<option value=\"America/Chicago\" selected=\"selected\">", await coordinator.GetStringAsync($"/coordination/mentors/{mentor.Id}"), StringComparison.Ordinal);
        var entry = Assert.Single(await AuditAsync("mentor.profile.saved"));
        Assert.Equal("Maya Mentor", entry.ObjectTitle);
    }

    [Fact]
    public async Task EditingAProfile_WithAnUnknownZone_IsRefusedFieldByField_AndChangesNothing()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentor = await PersonAsync("Maya Mentor", Role.Mentor);
        await SaveProfileAsync(coordinator, mentor.Id, new(Profile()) { ["specialties"] = "Deaf and hard of hearing" });

        var bad = await SaveProfileAsync(coordinator, mentor.Id, new()
        {
            ["agency"] = "Elsewhere", ["region"] = "", ["specialties"] = "astrology", ["languages"] = "English, <b>", ["timeZone"] = "Mars/Olympus", ["capacity"] = "lots",
        });
        var html = await bad.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"err-timeZone\">Choose the mentor&#x27;s time zone from the list", html, StringComparison.Ordinal);
        foreach (var field in new[] { "region", "specialties", "languages", "timeZone", "capacity" })
        {
            Assert.Contains($"<a href=\"#f-{field}\">", html, StringComparison.Ordinal);
            Assert.Contains($"id=\"err-{field}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<option value=\"\" selected=\"selected\">Choose…</option>", html, StringComparison.Ordinal);
        var profile = Assert.Single(await _app.Services.GetRequiredService<MentoringStore>().ProfilesAsync(default)).Profile;
        Assert.Equal(("DCF", "America/Chicago", 5), (profile.Agency, profile.TimeZone, profile.Capacity));
    }

    [Fact]
    public async Task PausingAMentor_KeepsThemOffAssignments_UntilResumed_AndBothAreAuditedByName()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentor = await PersonAsync("Maya Mentor", Role.Mentor);
        var mentee = await PersonAsync("Nia Newhire", Role.Learner);
        await SaveProfileAsync(coordinator, mentor.Id, Profile());

        var paused = await Forms.PostAsync(coordinator, "/coordination/mentors", "/coordination/mentors?handler=Active", new() { ["id"] = mentor.Id.ToString(), ["active"] = "false" });
        var listPaused = await coordinator.GetStringAsync("/coordination/mentors");
        var refused = await AssignAsync(coordinator, new() { ["mentorEmail"] = mentor.Email, ["menteeEmail"] = mentee.Email });
        var resumed = await Forms.PostAsync(coordinator, "/coordination/mentors", "/coordination/mentors?handler=Active", new() { ["id"] = mentor.Id.ToString(), ["active"] = "true" });
        var listResumed = await coordinator.GetStringAsync("/coordination/mentors");
        var assigned = await AssignAsync(coordinator, new() { ["mentorEmail"] = mentor.Email, ["menteeEmail"] = mentee.Email });

        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        Assert.Contains("<td>Paused</td>", listPaused, StringComparison.Ordinal);
        Assert.Contains("Resume<span class=\"visually-hidden\"> Maya Mentor</span>", listPaused, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"err-mentor\">Maya Mentor has no active mentor profile", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        Assert.Contains("<td>Active</td>", listResumed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal("Maya Mentor", Assert.Single(await AuditAsync("mentor.paused")).ObjectTitle);
        Assert.Equal("Maya Mentor", Assert.Single(await AuditAsync("mentor.resumed")).ObjectTitle);
        Assert.Equal("Nia Newhire", Assert.Single(await AuditAsync("mentorship.assigned")).ObjectTitle);
    }

    [Fact]
    public async Task ACoordinator_AssignsWithinCapacity_AndIsToldWhyBeyondIt_WithTheFieldNamed()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentor = await PersonAsync("Maya Mentor", Role.Mentor);
        var (first, second) = (await PersonAsync("Nia Newhire", Role.Learner), await PersonAsync("Sam Second", Role.Learner));
        await SaveProfileAsync(coordinator, mentor.Id, Profile(capacity: "1"));

        var form = await coordinator.GetStringAsync("/coordination/assign");
        var assigned = await AssignAsync(coordinator, new() { ["mentorEmail"] = mentor.Email, ["menteeEmail"] = first.Email });
        var full = await AssignAsync(coordinator, new() { ["mentorEmail"] = mentor.Email, ["menteeEmail"] = second.Email });
        var again = await AssignAsync(coordinator, new() { ["mentorEmail"] = mentor.Email, ["menteeEmail"] = first.Email, ["overrideCapacity"] = "true" });
        var nobody = await AssignAsync(coordinator, new() { ["mentorEmail"] = "", ["menteeEmail"] = "" });

        Assert.Contains($"<option value=\"{first.Email}\">Nia Newhire ({first.Email})</option>", form, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{mentor.Email}\">Maya Mentor: 0 of 1 mentees</option>", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal("/coordination/mentorships", assigned.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, full.StatusCode);
        Assert.Contains("id=\"err-mentor\">Maya Mentor is at capacity. Tick the override to assign anyway.", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("id=\"err-mentee\">Nia Newhire already has a mentor", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var nobodyHtml = await nobody.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#f-mentor\">Choose a mentor from the list.</a>", nobodyHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-mentee\">", nobodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain($"<option value=\"{first.Email}\"", await coordinator.GetStringAsync("/coordination/assign"), StringComparison.Ordinal);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mentorships"));
    }

    [Fact]
    public async Task Suggestions_RankMentorsForANewStaffMember_WithTheReasons_AndLeaveOutFullOnesUnlessAsked()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var (near, far, full) = (await PersonAsync("Nora Near", Role.Mentor), await PersonAsync("Fred Far", Role.Mentor), await PersonAsync("Fay Full", Role.Mentor));
        var mentee = await PersonAsync("Nia Newhire", Role.Learner);
        await SaveProfileAsync(coordinator, far.Id, Profile(agency: "Other", region: "South", zone: "UTC"));
        await SaveProfileAsync(coordinator, near.Id, new(Profile(zone: "UTC")) { ["specialties"] = "youth", ["languages"] = "Spanish" });
        await SaveProfileAsync(coordinator, full.Id, Profile(capacity: "0", zone: "UTC"));

        var query = $"/coordination/assign?menteeEmail={Uri.EscapeDataString(mentee.Email)}&menteeAgency=DCF&menteeRegion=North&needs=youth&menteeLanguages=Spanish";
        var ranked = await coordinator.GetStringAsync(query);
        var withFull = await coordinator.GetStringAsync(query + "&includeUnavailable=true");
        var unknown = await coordinator.GetAsync("/coordination/assign?menteeEmail=nobody%40example.org");

        Assert.True(ranked.IndexOf("Nora Near", StringComparison.Ordinal) < ranked.IndexOf("Fred Far", StringComparison.Ordinal), "The better fit is not first.");
        foreach (var reason in new[] { "Same region (North)", "Same agency (DCF)", "Specialty: youth", "Speaks Spanish", "5 of 5 places free" })
        {
            Assert.Contains($"<li>{reason}</li>", ranked, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Fay Full", ranked.Split("id=\"suggestions\"")[1].Split("</table>")[0], StringComparison.Ordinal);
        Assert.Contains("Full: 0 of 0 places taken", withFull, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("id=\"err-suggest-menteeEmail\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACoordinator_InvitesAMentorAndANewStaffMember_WithoutAnAdmin_AndEachIsAuditedByName()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));

        var mentor = await InviteAsync(coordinator, new() { ["Email"] = "maya.mentor@example.org", ["DisplayName"] = "Maya Mentor", ["Roles"] = "mentor" });
        var staff = await InviteAsync(coordinator, new() { ["Email"] = "nia.newhire@example.org", ["DisplayName"] = "Nia Newhire", ["Roles"] = "learner" });
        var page = await coordinator.GetStringAsync("/coordination/invite");

        Assert.Equal(HttpStatusCode.Redirect, mentor.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, staff.StatusCode);
        Assert.Contains("Invited Nia Newhire (nia.newhire@example.org) as a learner", page, StringComparison.Ordinal);
        Assert.Equal(new[] { Role.Mentor }, (await Accounts.FindAsync("maya.mentor@example.org", default))!.Roles.ToArray());
        Assert.Equal(new[] { Role.Learner }, (await Accounts.FindAsync("nia.newhire@example.org", default))!.Roles.ToArray());
        Assert.Equal(new[] { "Maya Mentor", "Nia Newhire" }, (await AuditAsync("user.invited")).Select(e => e.ObjectTitle).Order().ToArray());
        Assert.Contains("/account/password/", (await _app.EmailAsync("maya.mentor@example.org", "")).TextBody, StringComparison.Ordinal);
        Assert.Contains("Set up the profile", await coordinator.GetStringAsync("/coordination/mentors"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("organizer")]
    [InlineData("coordinator")]
    public async Task AForgedInvitation_AskingForMoreThanMentorOrLearner_IsRefusedWithAClearError_AndInvitesNobody(string role)
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));

        var forged = await InviteAsync(coordinator, new() { ["Email"] = "eve@example.org", ["DisplayName"] = "Eve Forger", ["Roles"] = role });
        var html = await forged.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains($"id=\"err-roles\">You cannot give the {Enum.Parse<Role>(role, ignoreCase: true)} role: you invite people as Learner or Mentor only.", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-roles\">", html, StringComparison.Ordinal);
        Assert.Null(await Accounts.FindAsync("eve@example.org", default));
        Assert.Empty(await AuditAsync("user.invited"));
    }

    [Fact]
    public async Task AnAdminOnTheCoordinationInvitePage_IsHeldToMentorAndLearner_AndNoRoleOrANonsenseRoleIsNamed()
    {
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));

        var forged = await InviteAsync(admin, new() { ["Email"] = "eve@example.org", ["DisplayName"] = "Eve Forger", ["Roles"] = "admin" });
        var none = await InviteAsync(admin, new() { ["Email"] = "eve@example.org", ["DisplayName"] = "Eve Forger" });
        var nonsense = await InviteAsync(admin, new() { ["Email"] = "eve@example.org", ["DisplayName"] = "Eve Forger", ["Roles"] = "overlord" });
        var badEmail = await InviteAsync(admin, new() { ["Email"] = "not an email", ["DisplayName"] = "Eve Forger", ["Roles"] = "learner" });

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("id=\"err-roles\">Choose a role: Mentor or Learner.", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("id=\"err-roles\">Choose Mentor or New staff member", await nonsense.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("id=\"err-email\">", await badEmail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await Accounts.FindAsync("eve@example.org", default));
    }

    [Fact]
    public async Task TheMentorshipsPage_ListsEachWithItsStateAndNextFollowUp_AndEndingOneIsAuditedByName()
    {
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var (mentor, mentee) = (await PersonAsync("Maya Mentor", Role.Mentor), await PersonAsync("Nia Newhire", Role.Learner));
        await SaveProfileAsync(coordinator, mentor.Id, Profile(zone: "UTC"));
        await AssignAsync(coordinator, new() { ["mentorEmail"] = mentor.Email, ["menteeEmail"] = mentee.Email });
        var id = Assert.Single(await _app.Services.GetRequiredService<MentoringStore>().AllAsync(default)).Mentorship.Id;

        var active = await coordinator.GetStringAsync("/coordination/mentorships");
        var ended = await Forms.PostAsync(coordinator, $"/coordination/mentorships/{id}/end", $"/coordination/mentorships/{id}/end",
            new() { ["how"] = "Withdrawn", ["reason"] = "Left the agency" });
        var after = await coordinator.GetStringAsync("/coordination/mentorships");

        Assert.Contains("<td>Active</td>\n                <td>December 22, 2026</td>", active, StringComparison.Ordinal);
        Assert.Contains("Assigned " + mentee.Email, active, StringComparison.Ordinal);
        Assert.Equal("/coordination/mentorships", ended.Headers.Location!.OriginalString);
        Assert.Contains("<td>Withdrawn on November 22, 2026</td>\n                <td>None</td>", after, StringComparison.Ordinal);
        Assert.Contains("Ended the mentorship of Nia Newhire with Maya Mentor (withdrawn)", after, StringComparison.Ordinal);
        Assert.Equal("Nia Newhire", Assert.Single(await AuditAsync("mentorship.ended")).ObjectTitle);
    }

    [Fact]
    public async Task NoPageOfMentoring_NorTheCsv_PrintsAnEnumName()
    {
        var coordinatorEmail = await _app.AccountAsync(Role.Coordinator);
        var coordinator = await _app.SignedInClientAsync(coordinatorEmail);
        var mentor = await PersonAsync("Maya Mentor", Role.Mentor);
        var (kept, moved) = (await PersonAsync("Nia Newhire", Role.Learner), await PersonAsync("Sam Second", Role.Learner));
        await SaveProfileAsync(coordinator, mentor.Id, Profile(zone: "UTC"));
        var mentoring = _app.Services.GetRequiredService<MentoringStore>();
        var (_, keptId) = await mentoring.AssignAsync(mentor.Id, kept.Id, false, default);
        var (_, movedId) = await mentoring.AssignAsync(mentor.Id, moved.Id, false, default);
        _app.Clock.Advance(TimeSpan.FromDays(30)); // December 22, the first follow-up's date
        await _app.Services.GetRequiredService<FollowUpScheduler>().RunAsync(default);
        Assert.Empty(await mentoring.LogAsync(keptId!.Value, mentor.Id, new FollowUpLog(new DateOnly(2026, 12, 22), FollowUpMode.InPerson, 45, ["workload"], "Notes", "Next"), default));
        Assert.Empty(await mentoring.EndAsync(movedId!.Value, MentorshipStatus.Reassigned, "Moved to another team", default));
        var mentorClient = await _app.SignedInClientAsync(mentor.Email);
        coordinator = await _app.SignedInClientAsync(coordinatorEmail); // a month on, the first sign-in has expired

        var pages = new Dictionary<string, string>();
        foreach (var path in new[] { "/coordination/mentors", $"/coordination/mentors/{mentor.Id}", "/coordination/assign", "/coordination/mentorships", "/coordination/invite",
                     "/coordination/overview", $"/coordination/mentorships/{keptId}/end", $"/coordination/mentorships/{movedId}/end", $"/mentoring/{keptId}", "/coordination/follow-ups.csv" })
        {
            pages[path] = await coordinator.GetStringAsync(path);
        }

        foreach (var path in new[] { "/mentoring", $"/mentoring/{keptId}", $"/mentoring/{movedId}" })
        {
            pages["mentor " + path] = await mentorClient.GetStringAsync(path);
        }

        Assert.Contains("In person", pages[$"mentor /mentoring/{keptId}"], StringComparison.Ordinal);
        Assert.Contains(",Logged,,2026-12-22,In person,45", pages["/coordination/follow-ups.csv"], StringComparison.Ordinal);
        Assert.Contains("Reassigned to another mentor", pages["/coordination/mentorships"], StringComparison.Ordinal);
        // An enum name made of two words ("InPerson", "NotAMentor") is never English; one-word names are their own labels.
        var enumNames = typeof(FollowUpMode).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace == typeof(FollowUpMode).Namespace).Append(typeof(AssignOutcome))
            .SelectMany(Enum.GetNames).Where(n => TwoWords().IsMatch(n)).ToList();
        Assert.Contains("InPerson", enumNames);
        foreach (var (path, html) in pages)
        {
            var text = Tags().Replace(html, " ");
            foreach (var name in enumNames)
            {
                Assert.False(text.Contains(name, StringComparison.Ordinal), $"{path} prints the enum name {name}.");
            }
        }
    }

    [GeneratedRegex("[a-z][A-Z]")]
    private static partial Regex TwoWords();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
