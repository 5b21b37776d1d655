using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium: an admin signs in and invites an organizer; the organizer follows the emailed link (read from the
/// pickup directory, as the embedded default delivers it), chooses a password and reaches the organizer area; a
/// learner is turned away from it.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AdminInvitationJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
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
    public async Task AnAdminInvitesAnOrganizer_WhoSignsInThroughTheEmailedLink_AndALearnerCannotFollow()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        await accounts.CreateAsync("ada.admin@example.org", "Ada Admin", LearnHubWebFactory.Password, [Role.Admin], default);
        await accounts.CreateAsync("lee.learner@example.org", "Lee Learner", LearnHubWebFactory.Password, [Role.Learner], default);

        await using var adminContext = await browser.Browser.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await SignInAsync(admin, "ada.admin@example.org");
        await admin.GotoAsync($"{_baseUrl}/admin/people");
        await browser.AssertAccessibleAsync(admin, "people");
        await admin.FillAsync("#f-invite-email", "olu.organizer@example.org");
        await admin.FillAsync("#f-invite-displayName", "Olu Organizer");
        await admin.CheckAsync("#f-role-organizer");
        await admin.ClickAsync("text=Send invitation");
        Assert.Contains("Invited olu.organizer@example.org", await admin.TextContentAsync("#notice"), StringComparison.Ordinal);

        var link = await _app.EmailedLinkAsync("olu.organizer@example.org", "/account/password/");
        await using var organizerContext = await browser.Browser.NewContextAsync();
        var organizer = await organizerContext.NewPageAsync();
        await organizer.GotoAsync(link);
        await organizer.FillAsync("#f-password", "short");
        await organizer.ClickAsync("text=Save and sign in");
        Assert.Contains("at least 12 characters", await organizer.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await organizer.FillAsync("#f-password", "violet kettle harbour lamp");
        await organizer.ClickAsync("text=Save and sign in");
        await organizer.WaitForURLAsync($"{_baseUrl}/");
        await organizer.ClickAsync("nav >> text=Organizer");
        Assert.Equal("Organizer", await organizer.TextContentAsync("h1"));

        await using var learnerContext = await browser.Browser.NewContextAsync();
        var learner = await learnerContext.NewPageAsync();
        await SignInAsync(learner, "lee.learner@example.org");
        var refused = await learner.GotoAsync($"{_baseUrl}/organizer");
        Assert.Equal(403, refused!.Status);
        Assert.Equal("Not allowed", await learner.TextContentAsync("h1"));
    }

    private async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync($"{_baseUrl}/signin");
        await browser.AssertAccessibleAsync(page, "sign-in");
        await page.FillAsync("#f-email", email);
        await page.FillAsync("#f-password", LearnHubWebFactory.Password);
        await page.ClickAsync("form:not([action*='Link']) >> text=Sign in");
        await page.WaitForURLAsync($"{_baseUrl}/");
    }
}
