using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Evaluations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium: an attendee follows the emailed evaluation link, sends it without ratings and is shown what is
/// missing, answers from the keyboard alone, and is thanked; the organizer then finds the answer in the session's
/// results and the series dashboard. axe-core scans every page.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class EvaluationJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Attendee = "ann.lee@example.org";
    private const string Organizer = "olu.organizer@example.org";

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
    public async Task AnAttendeeAnswersTheEmailedSurveyFromTheKeyboard_AndTheOrganizerSeesIt()
    {
        var (series, webinar, _) = await _app.SeriesWithWebinarAsync();
        var ann = await Attendees.RegisterAsync(_app, webinar, "Ann Lee", Attendee);
        _app.Clock.Advance(TimeSpan.FromDays(8)); // the webinar (a week from "now") is over: the survey mail is due
        await Attendees.RecordAsync(_app, webinar, (ann, true));
        var link = await _app.EmailedLinkAsync(Attendee, "/evaluations/");
        Assert.StartsWith($"{_baseUrl}/evaluations/", link, StringComparison.Ordinal);

        await using (var context = await browser.Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Equal("Evaluate: Simulation Labs for Child Welfare Education", await page.TextContentAsync("h1"));
            await browser.AssertAccessibleAsync(page, "evaluation survey");

            await page.ClickAsync("text=Send my evaluation");
            Assert.Equal("There is a problem", await page.TextContentAsync("#error-summary-title"));
            Assert.Equal(5, await page.Locator("#error-summary li").CountAsync()); // four ratings and the recommendation
            await browser.AssertAccessibleAsync(page, "evaluation survey (with errors)");

            // Radio groups as the keyboard works them: Tab into a group, arrows to choose, Tab on to the next.
            await page.FocusAsync("#f-overall");
            await PressAsync(page, "ArrowRight", 4); // 5 – Excellent
            await page.Keyboard.PressAsync("Tab");
            await PressAsync(page, "ArrowRight", 3); // 4 – Very good
            await page.Keyboard.PressAsync("Tab");
            await PressAsync(page, "ArrowRight", 4);
            await page.Keyboard.PressAsync("Tab");
            await PressAsync(page, "ArrowRight", 2); // 3 – Good
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Space"); // Yes
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("The role play");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("f-anonymous", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Enter");

            await page.WaitForSelectorAsync("#survey-status");
            Assert.Equal("Thank you", await page.TextContentAsync("h1"));
            await browser.AssertAccessibleAsync(page, "evaluation thank-you");
        }

        Assert.Equal(1, await Attendees.CountAsync(_app,
            "SELECT COUNT(*) FROM evaluation_responses WHERE registration_id = @r AND rating_overall = 5 AND rating_content = 4 AND rating_presenters = 5 AND rating_relevance = 3 AND recommend = 'yes' AND most_useful = 'The role play'",
            new { r = ann.ToString() }));

        await _app.Services.GetRequiredService<AccountStore>().CreateAsync(Organizer, "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        await using (var context = await browser.Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, _baseUrl, Organizer, $"/organizer/sessions/{webinar}");
            await page.ClickAsync("text=Evaluation results");
            Assert.Equal(["1", "1", "100%"], await page.Locator("#response-table tbody td").AllTextContentsAsync());
            Assert.Contains("The role play", await page.TextContentAsync("#comments"), StringComparison.Ordinal);
            await browser.AssertAccessibleAsync(page, "evaluation results");

            await page.GotoAsync($"{_baseUrl}/organizer/series/{series}/dashboard");
            Assert.Equal(["Simulation Labs for Child Welfare Education", "1", "5.0", "100%", "Evaluation of Simulation Labs for Child Welfare Education"],
                await page.Locator("#scores-table tbody tr").First.Locator("th, td").AllTextContentsAsync());
            await browser.AssertAccessibleAsync(page, "series dashboard");
        }
    }

    private static async Task PressAsync(IPage page, string key, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await page.Keyboard.PressAsync(key);
        }
    }
}
