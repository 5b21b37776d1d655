using System.Globalization;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium, with mail delivered to a real SMTP server: a coordinator, with no admin anywhere, invites a mentor
/// and a new staff member; both follow the emailed link and choose a password; the coordinator sets up the mentor's
/// profile (zone picked from the list) and assigns the new staff member to them. Every coordination page passes axe.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class CoordinatorOnboardingJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Coordinator = "cora.coordinator@example.org";
    private const string Mentor = "maya.mentor@example.org";
    private const string Staff = "nia.newhire@example.org";

    private readonly string _dataDirectory = databases.NewDirectory();
    private SmtpSink _smtp = null!;
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory, new Dictionary<string, string>
        {
            ["LearnHub:Mail:Transport"] = "Smtp",
            ["LearnHub:Mail:Smtp:Host"] = "127.0.0.1",
            ["LearnHub:Mail:Smtp:Port"] = _smtp.Port.ToString(CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task ACoordinatorInvitesAMentorAndANewStaffMember_BothAccept_AndTheCoordinatorAssignsThem_WithoutAnAdmin()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync(Coordinator, "Cora Coordinator", LearnHubWebFactory.Password, [Role.Coordinator], default);
        await using var coordinatorContext = await browser.Browser.NewContextAsync();
        var coordinator = await coordinatorContext.NewPageAsync();
        await BrowserFixture.SignInAsync(coordinator, _baseUrl, Coordinator, "/coordination/invite");
        await browser.AssertAccessibleAsync(coordinator, "invite");

        foreach (var (email, name, role) in new[] { (Mentor, "Maya Mentor", "mentor"), (Staff, "Nia Newhire", "learner") })
        {
            await coordinator.FillAsync("#f-email", email);
            await coordinator.FillAsync("#f-displayName", name);
            await coordinator.CheckAsync($"#f-role-{role}");
            await coordinator.ClickAsync("text=Send invitation");
            Assert.StartsWith($"Invited {name} ({email})", await coordinator.TextContentAsync("#notice"), StringComparison.Ordinal);
        }

        // Each follows the link the SMTP server received and chooses a password, which signs them in.
        await using var mentorContext = await browser.Browser.NewContextAsync();
        await using var staffContext = await browser.Browser.NewContextAsync();
        var mentor = await mentorContext.NewPageAsync();
        foreach (var (email, invited) in new[] { (Mentor, mentor), (Staff, await staffContext.NewPageAsync()) })
        {
            await invited.GotoAsync(await InvitationLinkAsync(email));
            await invited.FillAsync("#f-password", "violet kettle harbour lamp");
            await invited.ClickAsync("text=Save and sign in");
            await invited.WaitForURLAsync($"{_baseUrl}/");
        }

        // The mentor has no profile yet: the coordinator sets it up, picking the zone from the list.
        await coordinator.ClickAsync("nav.sub-nav >> text=Mentors");
        await browser.AssertAccessibleAsync(coordinator, "mentors (one without a profile)");
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Set up the profile of Maya Mentor" }).ClickAsync();
        await browser.AssertAccessibleAsync(coordinator, "mentor profile");
        await coordinator.FillAsync("#f-agency", "Illinois DCFS");
        await coordinator.FillAsync("#f-region", "Midwest");
        await coordinator.CheckAsync("#f-specialty-youth");
        await coordinator.SelectOptionAsync("#f-timeZone", "America/Chicago");
        await coordinator.FillAsync("#f-capacity", "3");
        await coordinator.ClickAsync("text=Save profile");
        Assert.Equal("Saved the mentor profile of Maya Mentor.", await coordinator.TextContentAsync("#notice"));
        var row = await coordinator.Locator("#mentors tbody tr", new() { HasText = "Maya Mentor" }).Locator("td").AllTextContentsAsync();
        Assert.Equal(["Illinois DCFS", "Midwest", "America/Chicago", "0", "3", "Active"], row.Take(6));
        await browser.AssertAccessibleAsync(coordinator, "mentors");

        // The new staff member is waiting for a mentor: the coordinator assigns them by hand.
        await coordinator.ClickAsync("nav.sub-nav >> text=Assign");
        await browser.AssertAccessibleAsync(coordinator, "assign");
        await coordinator.SelectOptionAsync("#f-mentee", Staff);
        await coordinator.SelectOptionAsync("#f-mentor", Mentor);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        Assert.Equal($"Assigned {Staff} to {Mentor}; both have been emailed.", await coordinator.TextContentAsync("#notice"));
        var mentorship = await coordinator.Locator("#mentorships tbody tr", new() { HasText = "Nia Newhire" }).Locator("td").AllTextContentsAsync();
        Assert.Equal(["Active", "December 22, 2026"], mentorship.Skip(2).Take(2));
        await browser.AssertAccessibleAsync(coordinator, "mentorships");
        await coordinator.ClickAsync("nav.sub-nav >> text=Overview");
        await browser.AssertAccessibleAsync(coordinator, "overview");

        // The mentor, still signed in from choosing their password, finds their new mentee.
        await mentor.GotoAsync($"{_baseUrl}/mentoring");
        var mentees = mentor.Locator("section[aria-labelledby='mentees-heading'] tbody tr");
        Assert.Equal(["Nia Newhire", Staff], (await mentees.Locator("td").AllTextContentsAsync()).Take(2));
    }

    /// <summary>The choose-a-password link in the invitation the SMTP server received for <paramref name="recipient"/>.</summary>
    private async Task<string> InvitationLinkAsync(string recipient)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var mail in _smtp.Received().Where(m => m.RcptTos.Contains(recipient, StringComparer.OrdinalIgnoreCase)))
            {
                if (PasswordLink().Match(mail.Text ?? "") is { Success: true } found)
                {
                    return found.Value;
                }
            }

            await _smtp.WaitForAsync(_smtp.Received().Count + 1, TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"No invitation reached {recipient} through SMTP within 30 seconds.");
    }

    [GeneratedRegex(@"https?://\S+/account/password/[A-Za-z0-9_\-]+")]
    private static partial Regex PasswordLink();
}
