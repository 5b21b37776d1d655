using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// An organizer runs a session's registrants without an admin, in real Chromium with axe on every page and state
/// touched: they add a required question from the keyboard; a registrant on a phone is refused without an answer (the
/// summary naming the question), then registers with one and an accommodation request; the organizer sees both, marks
/// the accommodation arranged with a note the registrant reads on their manage page and in a mail; then the organizer
/// moves that registrant to the encore (the first waiting takes the freed seat) and promotes the next waiting one, first
/// refused without the override box, then seated with it. (axe needs script, so these browsers have it on; the forms'
/// plain posts without script are specified in the page tests.)
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class OrganizerProgrammeJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Organizer = "olu.organizer@example.org";
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnOrganizerAsksAQuestion_ArrangesAnAccommodation_MovesThatRegistrant_AndPromotesAWaitingOne()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync(Organizer, "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        var (series, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 2);
        var starts = _app.Clock.GetUtcNow().AddDays(21);
        var encore = await new GrainCatalog(_app.Services, _app.Clock).CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs (encore)",
            "The same webinar again.", starts, starts.AddMinutes(90), "America/New_York", 5, []), default);
        await RegisterAsync(webinar, "Bo Li", "bo.li@example.org");

        // The organizer adds a required single-choice question to the series, from the keyboard.
        await using var organizerContext = await browser.Browser.NewContextAsync();
        var organizer = await organizerContext.NewPageAsync();
        await BrowserFixture.SignInAsync(organizer, _baseUrl, Organizer);
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

        // A registrant on a phone: no answer is refused, naming the question; then they register with an answer and a request.
        await using var registrantContext = await browser.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 }, TimezoneId = "America/Chicago", Locale = "en-US",
        });
        var registrant = await registrantContext.NewPageAsync();
        await registrant.GotoAsync($"{_baseUrl}/sessions/{webinar}");
        Assert.Equal("Which track are you in? (required)", (await registrant.TextContentAsync("fieldset:has(input[name^='answers']) legend"))!.Trim());
        await browser.AssertAccessibleAsync(registrant, "registration form with a question");
        await registrant.FillAsync("#f-name", "Robin Ellis");
        await registrant.FillAsync("#f-email", "robin.ellis@example.org");
        await registrant.FillAsync("#f-agency", "Waupaca County DHHS");
        await registrant.FillAsync("#f-jobRole", "Caseworker");
        await registrant.FillAsync("#f-accommodations", "An ASL interpreter, please.");
        await registrant.ClickAsync(".register-form button[type=submit]");
        await registrant.Locator("#error-summary").WaitForAsync();
        Assert.Contains("Answer “Which track are you in?”: choose one option.", await registrant.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(registrant, "registration form with a missing answer");
        Assert.Equal("An ASL interpreter, please.", await registrant.InputValueAsync("#f-accommodations"));
        await registrant.ClickAsync("label:has-text('Older adults')");
        await registrant.ClickAsync(".register-form button[type=submit]");
        await registrant.WaitForURLAsync("**/confirmation");
        await registrant.ClickAsync("#manage-link");
        await registrant.WaitForURLAsync(url => !url.EndsWith("/confirmation", StringComparison.Ordinal));
        var manage = registrant.Url;
        Assert.Contains("requested, not answered yet", await registrant.TextContentAsync(".accommodation"), StringComparison.Ordinal);

        // The session is full now: two more wait.
        await RegisterAsync(webinar, "Cy Moe", "cy.moe@example.org");
        await RegisterAsync(webinar, "Di Park", "di.park@example.org");
        Assert.Equal((2L, 2L, 2L), await SeatsAsync(webinar));

        // The organizer sees the answer and the open request, and arranges it with a note.
        await organizer.GotoAsync($"{_baseUrl}/organizer/sessions/{webinar}");
        var robin = organizer.Locator("#registrants tbody tr", new() { HasText = "Robin Ellis" });
        await robin.Locator("details.answers summary").ClickAsync();
        Assert.Equal("Older adults", (await robin.Locator("details.answers dd").TextContentAsync())!.Trim());
        Assert.Equal("1 request: 1 open.", await organizer.TextContentAsync("#accommodation-summary"));
        await browser.AssertAccessibleAsync(organizer, "session with an answer and an open request");
        var request = organizer.Locator("#accommodation-list li").Filter(new LocatorFilterOptions { HasText = "Robin Ellis" });
        await request.GetByLabel("Arranged", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await request.GetByLabel("Note to the registrant (optional)").FillAsync("An interpreter is booked; they will be on screen throughout.");
        await request.Locator("button[type=submit]").ClickAsync();
        await organizer.WaitForSelectorAsync("#notice");
        Assert.Equal("1 request: 1 arranged.", await organizer.TextContentAsync("#accommodation-summary"));
        Assert.Contains("Arranged", await organizer.TextContentAsync("#registrants"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(organizer, "session with the request arranged");

        // The registrant reads the answer on their manage page and in a mail.
        await registrant.GotoAsync(manage);
        var answer = await registrant.TextContentAsync(".accommodation");
        Assert.Contains("arranged", answer, StringComparison.Ordinal);
        Assert.Contains("An interpreter is booked; they will be on screen throughout.", answer, StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(registrant, "manage page with the request arranged");
        var arranged = await _app.EmailAsync("robin.ellis@example.org", "Accommodation arranged: Simulation Labs for Child Welfare Education");
        Assert.Contains("An interpreter is booked", arranged.TextBody, StringComparison.Ordinal);

        // Move: from the registrant list to Robin's page, by keyboard, to the encore; Cy takes the freed seat.
        await organizer.FocusAsync("#registrants a:has-text('Robin Ellis')");
        await organizer.Keyboard.PressAsync("Enter");
        await organizer.Locator("#registrant-status").WaitForAsync();
        await browser.AssertAccessibleAsync(organizer, "registrant holding a seat");
        await organizer.SelectOptionAsync("#f-targetId", encore.ToString());
        await organizer.FocusAsync("button:has-text('Move Robin Ellis')");
        await organizer.Keyboard.PressAsync("Enter");
        await organizer.Locator("#notice").WaitForAsync();
        Assert.Contains("Moved Robin Ellis to Simulation Labs (encore) — Robin Ellis holds a seat there", await organizer.TextContentAsync("#notice"), StringComparison.Ordinal);
        Assert.Contains("Cy Moe took the freed seat", await organizer.TextContentAsync("#notice"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(organizer, "moved registrant with the notice");
        Assert.Equal((2L, 2L, 1L), await SeatsAsync(webinar));
        Assert.Equal((5L, 1L, 0L), await SeatsAsync(encore));
        var moved = await _app.EmailAsync("robin.ellis@example.org", "Moved: Simulation Labs (encore)");
        Assert.Contains("Your seat here is confirmed", moved.TextBody, StringComparison.Ordinal);

        // Promote: Di waits for the full webinar; without the override box the page says why, with it Di gets a seat.
        await organizer.GotoAsync($"{_baseUrl}/organizer/sessions/{webinar}");
        await organizer.FocusAsync("#registrants a:has-text('Di Park')");
        await organizer.Keyboard.PressAsync("Enter");
        await organizer.Locator("#f-override").WaitForAsync();
        await browser.AssertAccessibleAsync(organizer, "waitlisted registrant");
        await organizer.FocusAsync("button:has-text('Promote to a seat')");
        await organizer.Keyboard.PressAsync("Enter");
        await organizer.Locator("#error-summary").WaitForAsync();
        Assert.Contains("Every seat is taken", await organizer.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(organizer, "promotion refused without the override");
        Assert.Equal((2L, 2L, 1L), await SeatsAsync(webinar));
        await organizer.FocusAsync("#f-override");
        await organizer.Keyboard.PressAsync("Space");
        await organizer.FocusAsync("button:has-text('Promote to a seat')");
        await organizer.Keyboard.PressAsync("Enter");
        await organizer.Locator("#notice").WaitForAsync();
        Assert.Contains("Promoted Di Park over capacity: the session now has 3 seats", await organizer.TextContentAsync("#notice"), StringComparison.Ordinal);
        Assert.Equal((3L, 3L, 0L), await SeatsAsync(webinar));
    }

    // Registers through the public API, answering each single-choice question the series asks with its first option.
    private async Task RegisterAsync(Guid session, string name, string email)
    {
        using var client = _app.CreateClient();
        var described = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
        var answers = described.TryGetProperty("questions", out var questions)
            ? questions.EnumerateArray().Where(q => q.GetProperty("kind").GetString() == "single-choice")
                .ToDictionary(q => q.GetProperty("id").GetString()!, q => q.GetProperty("options")[0].GetProperty("id").GetString()!)
            : new Dictionary<string, string>();
        (await client.PostAsJsonAsync($"/api/sessions/{session}/registrations", new
        {
            name, email, agency = "County DHHS", jobRole = "Caseworker", timeZone = "America/Chicago", answers,
        })).EnsureSuccessStatusCode();
    }

    private async Task<(long Capacity, long Confirmed, long Waitlisted)> SeatsAsync(Guid session)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT capacity, confirmed_count, waitlisted_count FROM sessions WHERE id = @id", new { id = session.ToString() });
    }
}
