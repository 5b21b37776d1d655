using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Mentoring;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium, a month of peer mentoring: a coordinator assigns a new staff member to the mentor the ranked
/// suggestions put first; the mentor is emailed (read from the pickup directory, as the embedded default delivers it);
/// the test host's clock moves to the first follow-up's due instant and the follow-up job runs; the mentor follows the
/// "due" email to the dashboard, logs the follow-up from the keyboard, and the coordinator's overview counts it.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class MentoringJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Coordinator = "cora.coordinator@example.org";
    private const string Mentor = "maya.mentor@example.org";
    private const string OtherMentor = "otto.mentor@example.org";
    private const string Mentee = "nia.newhire@example.org";
    private const string Notes = "Carrying three court reports at once; talked through asking for a cover week.";

    /// <summary>The clock starts at 2026-11-22 15:00 UTC, 09:00 in the mentor's Chicago: the first follow-up is due 2026-12-22 at 09:00 there.</summary>
    private static readonly DateTimeOffset FirstFollowUpDue = new(2026, 12, 22, 15, 0, 0, TimeSpan.Zero);

    private readonly string _dataDirectory = databases.NewDirectory();
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ACoordinatorAssignsAMentee_TheMentorLogsTheDueFollowUp_AndTheOverviewCountsIt()
    {
        await PeopleAsync();

        // The coordinator asks for suggestions for the new hire and assigns the first one.
        await using (var coordinatorContext = await browser.Browser.NewContextAsync())
        {
            var coordinator = await coordinatorContext.NewPageAsync();
            await SignInAsync(coordinator, Coordinator, $"{_baseUrl}/coordination/assign");
            await coordinator.SelectOptionAsync("#f-suggest-menteeEmail", Mentee);
            await coordinator.FillAsync("#f-suggest-region", "Midwest");
            await coordinator.CheckAsync("#f-need-youth");
            await coordinator.ClickAsync("text=Suggest mentors");
            var first = coordinator.Locator("#suggestions tbody tr").First;
            Assert.Equal("Maya Mentor", await first.Locator("td").Nth(1).TextContentAsync());
            var reasons = await first.Locator(".reasons li").AllTextContentsAsync();
            Assert.Contains("Same region (Midwest)", reasons);
            Assert.Contains("Specialty: youth", reasons);
            Assert.Equal(2, await coordinator.Locator("#suggestions tbody tr").CountAsync());
            await browser.AssertAccessibleAsync(coordinator, "assign (with suggestions)");
            await first.GetByRole(AriaRole.Button, new() { Name = "Assign to Maya Mentor" }).ClickAsync();
            Assert.Equal($"Assigned {Mentee} to {Mentor}; both have been emailed.", await coordinator.TextContentAsync("#notice"));
        }

        var mentorshipPage = await _app.EmailedLinkAsync(Mentor, "/mentoring/");
        var assigned = await _app.EmailAsync(Mentor, "You have a new mentee");
        Assert.Contains("Nia Newhire", assigned.TextBody, StringComparison.Ordinal);
        Assert.StartsWith($"{_baseUrl}/mentoring/", mentorshipPage, StringComparison.Ordinal);

        // A month later the follow-up job (Hangfire's, run here directly) tells the mentor it is due.
        _app.Clock.SetUtcNow(FirstFollowUpDue);
        await _app.Services.GetRequiredService<FollowUpScheduler>().RunAsync(default);
        var due = await _app.EmailAsync(Mentor, "Follow-up due: Nia Newhire");
        Assert.Contains("is due on Tuesday, December 22, 2026", due.TextBody, StringComparison.Ordinal);
        var dashboardLink = System.Text.RegularExpressions.Regex.Match(due.TextBody ?? "", @"https?://\S+/mentoring\b").Value;
        Assert.Equal($"{_baseUrl}/mentoring", dashboardLink);

        // The mentor follows the link (signing in on the way), finds it due today and logs it.
        await using (var mentorContext = await browser.Browser.NewContextAsync())
        {
            var mentor = await mentorContext.NewPageAsync();
            await mentor.GotoAsync(dashboardLink);
            await mentor.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
            await SignInAsync(mentor, Mentor, dashboardLink, alreadyThere: true);
            Assert.Equal("Due today (1)", await mentor.TextContentAsync("#due-heading"));
            Assert.Equal("Overdue follow-ups (0)", await mentor.TextContentAsync("#overdue-heading"));
            Assert.Contains("Tuesday, December 22, 2026", await mentor.TextContentAsync("#due tbody tr"), StringComparison.Ordinal);
            await browser.AssertAccessibleAsync(mentor, "mentor dashboard");
            await mentor.Locator("#due").GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Log, move or skip") }).ClickAsync();
            Assert.Equal("Follow-up with Nia Newhire", await mentor.TextContentAsync("h1"));
            Assert.Equal("2026-12-22", await mentor.InputValueAsync("#f-heldOn")); // today in the mentor's zone
            await browser.AssertAccessibleAsync(mentor, "follow-up form");

            await mentor.FocusAsync("#f-heldOn");
            await TabToAsync(mentor, "f-mode");
            await mentor.Keyboard.PressAsync("ArrowDown"); // Phone → Video
            Assert.Equal("Video", await mentor.InputValueAsync("#f-mode"));
            await TabToAsync(mentor, "f-durationMinutes");
            await mentor.Keyboard.TypeAsync("45");
            await TabToAsync(mentor, "f-topic-workload");
            await mentor.Keyboard.PressAsync("Space");
            await TabToAsync(mentor, "f-topic-self-care");
            await mentor.Keyboard.PressAsync("Space");
            await TabToAsync(mentor, "f-notes");
            await mentor.Keyboard.TypeAsync(Notes);
            await TabToAsync(mentor, "f-nextSteps");
            await mentor.Keyboard.TypeAsync("Ask the supervisor about a cover week.");
            await mentor.Keyboard.PressAsync("Tab");
            Assert.Equal("Log follow-up", await mentor.EvaluateAsync<string>("() => document.activeElement.textContent"));
            await mentor.Keyboard.PressAsync("Enter");

            await mentor.WaitForURLAsync(dashboardLink);
            Assert.Equal("Logged the follow-up with Nia Newhire.", await mentor.TextContentAsync("#notice"));
            Assert.Equal("Due today (0)", await mentor.TextContentAsync("#due-heading"));
            Assert.Contains("Friday, January 22, 2027", await mentor.TextContentAsync("#upcoming"), StringComparison.Ordinal); // the next month is planned

            // The mentor, and only the mentor, reads the notes back on the mentorship page.
            await mentor.GotoAsync(mentorshipPage);
            Assert.Contains(Notes, await mentor.ContentAsync(), StringComparison.Ordinal);
        }

        // The coordinator's overview counts it: December's one follow-up fell due and was logged.
        await using (var coordinatorContext = await browser.Browser.NewContextAsync())
        {
            var coordinator = await coordinatorContext.NewPageAsync();
            await SignInAsync(coordinator, Coordinator, $"{_baseUrl}/coordination/overview");
            var december = await coordinator.Locator("#completion-table tbody tr", new() { HasText = "Dec 2026" }).Locator("th, td").AllTextContentsAsync();
            Assert.Equal(["Dec 2026", "1", "1", "0", "0", "0", "100%"], december);
            Assert.Equal("Overdue follow-ups (0)", await coordinator.TextContentAsync("#overdue-heading"));
            Assert.DoesNotContain(Notes, await coordinator.ContentAsync(), StringComparison.Ordinal);
            await browser.AssertAccessibleAsync(coordinator, "mentoring overview");
        }
    }

    /// <summary>
    /// A coordinator, the new hire, and two mentors in Chicago: Maya (Midwest, youth) fits the new hire better than
    /// Otto (Northeast, forensic).
    /// </summary>
    private async Task PeopleAsync()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        var mentoring = _app.Services.GetRequiredService<MentoringStore>();
        await accounts.CreateAsync(Coordinator, "Cora Coordinator", LearnHubWebFactory.Password, [Role.Coordinator], default);
        await accounts.CreateAsync(Mentee, "Nia Newhire", LearnHubWebFactory.Password, [Role.Learner], default);
        foreach (var (email, name, region, specialty) in new[] { (Mentor, "Maya Mentor", "Midwest", "youth"), (OtherMentor, "Otto Mentor", "Northeast", "forensic") })
        {
            var created = await accounts.CreateAsync(email, name, LearnHubWebFactory.Password, [Role.Mentor], default);
            Assert.Empty(await mentoring.SaveProfileAsync(
                new MentorProfile(created.Account!.Id, "Illinois DCFS", region, [specialty], ["English"], "America/Chicago", 4, true), default));
        }
    }

    /// <summary>Presses Tab until the element with <paramref name="id"/> has the focus (failing after 12 presses).</summary>
    private static async Task TabToAsync(IPage page, string id)
    {
        for (var presses = 0; presses < 12; presses++)
        {
            if (await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''") == id)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached #{id}.");
    }

    private async Task SignInAsync(IPage page, string email, string then, bool alreadyThere = false)
    {
        if (!alreadyThere)
        {
            await page.GotoAsync($"{_baseUrl}/signin?ReturnUrl={Uri.EscapeDataString(new Uri(then).PathAndQuery)}");
        }

        await page.FillAsync("#f-email", email);
        await page.FillAsync("#f-password", LearnHubWebFactory.Password);
        await page.ClickAsync("form:not([action*='Link']) >> text=Sign in");
        await page.WaitForURLAsync(then);
    }
}
