using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// An accommodation from request to answer, in real Chromium: a registrant asks for an ASL interpreter on the session
/// page, the organizer sees it open on the session's page and marks it arranged with a note, and the registrant reads
/// the state and the note on their manage page. axe-core scans each page touched.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AccommodationJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Organizer = "olu.organizer@example.org";
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync() => (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ARegistrantsRequest_IsArrangedByTheOrganizer_AndTheRegistrantReadsTheNote()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync(Organizer, "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await using var registrantContext = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { TimezoneId = "America/Chicago", Locale = "en-US" });
        var registrant = await registrantContext.NewPageAsync();

        await registrant.GotoAsync($"{_baseUrl}/sessions/{webinar}");
        await registrant.FillAsync("#f-name", "Robin Ellis");
        await registrant.FillAsync("#f-email", "robin.ellis@example.org");
        await registrant.FillAsync("#f-agency", "Waupaca County DHHS");
        await registrant.FillAsync("#f-jobRole", "Caseworker");
        await registrant.FillAsync("#f-accommodations", "An ASL interpreter, please.");
        await registrant.ClickAsync(".register-form button[type=submit]");
        await registrant.WaitForURLAsync("**/confirmation");
        await registrant.ClickAsync("#manage-link");
        await registrant.WaitForURLAsync(url => !url.EndsWith("/confirmation", StringComparison.Ordinal));
        var manage = registrant.Url;
        Assert.Contains("requested, not answered yet", await registrant.TextContentAsync(".accommodation"), StringComparison.Ordinal);

        await using var organizerContext = await browser.Browser.NewContextAsync();
        var organizer = await organizerContext.NewPageAsync();
        await BrowserFixture.SignInAsync(organizer, _baseUrl, Organizer, $"/organizer/sessions/{webinar}");
        Assert.Equal("1 request: 1 open.", await organizer.TextContentAsync("#accommodation-summary"));
        await browser.AssertAccessibleAsync(organizer, "organizer-accommodations-open");
        var request = organizer.Locator("#accommodation-list li").Filter(new LocatorFilterOptions { HasText = "Robin Ellis" });
        await request.GetByLabel("Arranged", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await request.GetByLabel("Note to the registrant (optional)").FillAsync("An interpreter is booked; they will be on screen throughout.");
        await request.Locator("button[type=submit]").ClickAsync();
        await organizer.WaitForSelectorAsync("#notice");
        Assert.Equal("1 request: 1 arranged.", await organizer.TextContentAsync("#accommodation-summary"));
        Assert.Contains("Arranged", await organizer.TextContentAsync("#registrants"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(organizer, "organizer-accommodations-arranged");

        await registrant.GotoAsync(manage);
        var answer = await registrant.TextContentAsync(".accommodation");
        Assert.Contains("arranged", answer, StringComparison.Ordinal);
        Assert.Contains("An interpreter is booked; they will be on screen throughout.", answer, StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(registrant, "manage-accommodation-arranged");
        var mail = await _app.EmailAsync("robin.ellis@example.org", "Accommodation arranged: Simulation Labs for Child Welfare Education");
        Assert.Contains("An interpreter is booked", mail.TextBody, StringComparison.Ordinal);
    }
}
