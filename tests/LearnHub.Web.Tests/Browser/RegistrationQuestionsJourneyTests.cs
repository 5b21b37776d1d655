using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// A series' own registration question end to end, in real Chromium with axe on every page and error state: an
/// organizer adds a single-choice question from the keyboard, a registrant on a phone is refused without an answer (the
/// summary naming the question) and then registers with one, and the organizer sees it. (axe needs script in the page,
/// so this registrant has it on; the form's plain posts without script are specified in RegistrationQuestionsTests.)
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RegistrationQuestionsJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnOrganizerAddsASingleChoiceQuestion_ARegistrantAnswersIt_AndTheOrganizerSeesTheAnswer()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync("olu.organizer@example.org", "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        var (series, session, _) = await _app.SeriesWithWebinarAsync();

        await using var organizerContext = await browser.Browser.NewContextAsync();
        var organizer = await organizerContext.NewPageAsync();
        await BrowserFixture.SignInAsync(organizer, _baseUrl, "olu.organizer@example.org");

        // The organizer reaches the editor from the series list and adds the question.
        await organizer.GotoAsync($"{_baseUrl}/organizer/series");
        await organizer.ClickAsync($"a[href='/organizer/series/{series}/questions']");
        await organizer.Locator("#no-questions").WaitForAsync();
        await browser.AssertAccessibleAsync(organizer, "registration questions");
        await organizer.FillAsync("#f-label", "Which track are you in?");
        await organizer.FocusAsync("#f-kind-single-choice");
        await organizer.Keyboard.PressAsync("Space");
        await organizer.FillAsync("#f-options", "Youth\nOlder adults\nForensic");
        await organizer.FocusAsync("#f-required");
        await organizer.Keyboard.PressAsync("Space");
        await organizer.FocusAsync("button:has-text('Add the question')");
        await organizer.Keyboard.PressAsync("Enter");
        await organizer.Locator("#notice").WaitForAsync();
        Assert.Contains("Added the question “Which track are you in?”", await organizer.TextContentAsync("#notice"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(organizer, "registration questions with one question");

        // A registrant on a phone: no answer is refused, naming the question; then one registers.
        await using var registrantContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var registrant = await registrantContext.NewPageAsync();
        await registrant.GotoAsync($"{_baseUrl}/sessions/{session}");
        Assert.Equal("Which track are you in? (required)", (await registrant.TextContentAsync("fieldset:has(input[name^='answers']) legend"))!.Trim());
        await browser.AssertAccessibleAsync(registrant, "registration form with a question");
        await registrant.FillAsync("#f-name", "Rae Registrant");
        await registrant.FillAsync("#f-email", "rae@example.org");
        await registrant.FillAsync("#f-agency", "County DHHS");
        await registrant.FillAsync("#f-jobRole", "Caseworker");
        await registrant.ClickAsync("button.primary");
        await registrant.Locator("#error-summary").WaitForAsync();
        Assert.Contains("Answer “Which track are you in?”: choose one option.", await registrant.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(registrant, "registration form with a missing answer");
        await registrant.ClickAsync("label:has-text('Older adults')");
        await registrant.ClickAsync("button.primary");
        await registrant.WaitForURLAsync(url => url.Contains("/confirmation", StringComparison.Ordinal));

        // The organizer sees the answer in the registrant list.
        await organizer.GotoAsync($"{_baseUrl}/organizer/sessions/{session}");
        await browser.AssertAccessibleAsync(organizer, "session with answers");
        await organizer.ClickAsync("#registrants details.answers summary");
        Assert.Equal("Older adults", (await organizer.TextContentAsync("#registrants details.answers dd"))!.Trim());
    }
}
