using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// An organizer manages registrants in real Chromium, from the keyboard, with axe on the registrant page in each of its
/// states: a seated registrant is moved to another session of the series (the first waiting takes the freed seat), and
/// a waitlisted one is promoted into the full session, refused without the override box, then given a seat with it.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RegistrantManagementJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task RegisterAsync(Guid session, string name, string email)
    {
        using var client = _app.CreateClient();
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, $"/api/sessions/{session}/registrations", new
        {
            name, email, agency = "County DHHS", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).EnsureSuccessStatusCode();
    }

    private async Task<(long Capacity, long Confirmed, long Waitlisted)> SeatsAsync(Guid session)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT capacity, confirmed_count, waitlisted_count FROM sessions WHERE id = @id", new { id = session.ToString() });
    }

    [Fact]
    public async Task AnOrganizerMovesARegistrant_AndPromotesAWaitingOneOverCapacity()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync("olu.organizer@example.org", "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        var (series, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        var starts = _app.Clock.GetUtcNow().AddDays(21);
        var encore = await new GrainCatalog(_app.Services, _app.Clock).CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs (encore)",
            "The same webinar again.", starts, starts.AddMinutes(90), "America/New_York", 5, []), default);
        await RegisterAsync(webinar, "Ana Ruiz", "ana.ruiz@example.org");
        await RegisterAsync(webinar, "Bo Li", "bo.li@example.org");
        await RegisterAsync(webinar, "Cy Moe", "cy.moe@example.org");

        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_baseUrl}/signin");
        await page.FillAsync("#f-email", "olu.organizer@example.org");
        await page.FillAsync("#f-password", LearnHubWebFactory.Password);
        await page.PressAsync("#f-password", "Enter");
        await page.WaitForURLAsync($"{_baseUrl}/");

        // Move: from the registrant list to Ana's page, choose the encore, and go.
        await page.GotoAsync($"{_baseUrl}/organizer/sessions/{webinar}");
        await page.FocusAsync("#registrants a:has-text('Ana Ruiz')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#registrant-status").WaitForAsync();
        await browser.AssertAccessibleAsync(page, "registrant holding a seat");
        await page.SelectOptionAsync("#f-targetId", encore.ToString());
        await page.FocusAsync("button:has-text('Move Ana Ruiz')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#notice").WaitForAsync();
        Assert.Contains("Moved Ana Ruiz to Simulation Labs (encore) — Ana Ruiz holds a seat there", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        Assert.Contains("Bo Li took the freed seat", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        Assert.Equal("Holds a seat", await page.TextContentAsync("#registrant-status"));
        await browser.AssertAccessibleAsync(page, "moved registrant with the notice");
        Assert.Equal((1L, 1L, 1L), await SeatsAsync(webinar));
        Assert.Equal((5L, 1L, 0L), await SeatsAsync(encore));

        // Promote: Cy waits for the full webinar; without the override box the page says why, with it Cy gets a seat.
        await page.GotoAsync($"{_baseUrl}/organizer/sessions/{webinar}");
        await page.FocusAsync("#registrants a:has-text('Cy Moe')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#f-override").WaitForAsync();
        await browser.AssertAccessibleAsync(page, "waitlisted registrant");
        await page.FocusAsync("button:has-text('Promote to a seat')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#error-summary").WaitForAsync();
        Assert.Contains("Every seat is taken", await page.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(page, "promotion refused without the override");
        await page.FocusAsync("#f-override");
        await page.Keyboard.PressAsync("Space");
        await page.FocusAsync("button:has-text('Promote to a seat')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#notice").WaitForAsync();
        Assert.Contains("Promoted Cy Moe over capacity: the session now has 2 seats", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        Assert.Equal((2L, 2L, 0L), await SeatsAsync(webinar));
    }
}
