using System.Text;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Media;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Media;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Tests.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// The organizer's later edits, in real Chromium and from the keyboard, with axe on every new page and error state:
/// seats refused below the confirmed count and then raised (the waitlist promoted), captions corrected in the
/// textarea after a line-numbered refusal, a handout deleted after confirmation; and a registrant opening the
/// registrants-only recording from the private manage link without an account.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class OrganizerEditingJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> RegisterAsync(Guid session, string email)
    {
        using var client = _app.CreateClient();
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, $"/api/sessions/{session}/registrations", new
        {
            name = "Rae Registrant", email, agency = "County DHHS", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).EnsureSuccessStatusCode();
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        var (group, secret) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT group_id, group_secret FROM registrations WHERE email_normalized = @email", new { email });
        return _app.Services.GetRequiredService<ManageLinks>().TokenFor(new RegistrationGroup(Guid.Parse(group), secret));
    }

    private async Task<(Guid Handout, Guid Recording)> MediaAsync(Guid session)
    {
        var files = _app.Services.GetRequiredService<MediaFiles>();
        var media = _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(session);
        var pdf = await files.StoreTextAsync(Encoding.ASCII.GetString(MediaUploadTests.Pdf), default);
        var video = await files.StoreTextAsync(Encoding.Latin1.GetString(MediaUploadTests.Mp4), default);
        var captions = await files.StoreTextAsync(MediaUploadTests.Captions, default);
        var handout = (await media.AddAsync(new MediaDraft(session, MediaKind.Handout, "Slides", MediaVisibility.Registrants, "Slides.pdf", "application/pdf", pdf, 64))).MediaId!.Value;
        var recording = (await media.AddAsync(new MediaDraft(session, MediaKind.Recording, "Session recording", MediaVisibility.Registrants, "r.mp4", "video/mp4",
            video, 4000, CaptionsSha256: captions))).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        return (handout, recording);
    }

    [Fact]
    public async Task AnOrganizerEditsSeatsCaptionsAndMedia_AndARegistrantOpensTheRecordingFromTheManageLink()
    {
        await _app.Services.GetRequiredService<AccountStore>().CreateAsync("olu.organizer@example.org", "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        var (_, session, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        await RegisterAsync(session, "first@example.org");
        var waitingToken = await RegisterAsync(session, "second@example.org");
        var (handout, recording) = await MediaAsync(session);

        await using var organizerContext = await browser.Browser.NewContextAsync();
        var page = await organizerContext.NewPageAsync();
        await page.GotoAsync($"{_baseUrl}/signin");
        await page.FillAsync("#f-email", "olu.organizer@example.org");
        await page.FillAsync("#f-password", LearnHubWebFactory.Password);
        await page.PressAsync("#f-password", "Enter");
        await page.WaitForURLAsync($"{_baseUrl}/");

        // Seats: fewer than are confirmed is refused in the error summary; then a raise promotes the waiting registrant.
        await page.GotoAsync($"{_baseUrl}/organizer/sessions/edit/{session}");
        await browser.AssertAccessibleAsync(page, "edit session");
        await page.FillAsync("#f-capacity", "0");
        await page.PressAsync("#f-capacity", "Enter");
        await page.Locator("#error-summary").WaitForAsync();
        Assert.Contains("1 people already hold a confirmed seat", await page.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(page, "edit session with an error");
        await page.FillAsync("#f-capacity", "2");
        await page.PressAsync("#f-capacity", "Enter");
        await page.Locator("#notice").WaitForAsync();
        Assert.Contains("1 waiting registrant(s) now hold a seat", await page.TextContentAsync("#notice"), StringComparison.Ordinal);

        // Captions: a cue that ends before it starts is refused with its line; the corrected text is saved.
        await page.ClickAsync("text=Correct captions");
        await browser.AssertAccessibleAsync(page, "captions editor");
        await page.FillAsync("#f-text", "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome.\n\n00:05.000 --> 00:03.000\nBackwards.\n");
        await page.FocusAsync("text=Save captions");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#error-summary").WaitForAsync();
        Assert.Contains("Line 6", await page.TextContentAsync("#error-summary"), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(page, "captions editor with errors");
        await page.FillAsync("#f-text", "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome, everyone.\n");
        await page.FocusAsync("text=Save captions");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#notice").WaitForAsync();

        // A handout deleted after confirming with the keyboard.
        await page.GotoAsync($"{_baseUrl}/organizer/sessions/{session}/media/{handout}/delete");
        await browser.AssertAccessibleAsync(page, "delete handout");
        await page.FocusAsync("#f-confirm");
        await page.Keyboard.PressAsync("Space");
        await page.FocusAsync("button:has-text('Delete handout')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#notice").WaitForAsync();
        Assert.Contains("Deleted “Slides”", await page.TextContentAsync("#notice"), StringComparison.Ordinal);

        // The promoted registrant opens the recording from the manage link, signed in nowhere, and sees the new captions.
        await using var anonymousContext = await browser.Browser.NewContextAsync();
        var registrant = await anonymousContext.NewPageAsync();
        await registrant.GotoAsync($"{_baseUrl}/registrations/{waitingToken}");
        await browser.AssertAccessibleAsync(registrant, "manage registration with media");
        Assert.Equal(0, await registrant.Locator($"a[href^='/media/{handout}']").CountAsync());
        await registrant.ClickAsync("text=Session recording");
        await registrant.Locator("#player").WaitForAsync();
        await browser.AssertAccessibleAsync(registrant, "recording from the manage link");
        var captions = await registrant.EvaluateAsync<string>("async () => (await fetch(document.querySelector('track').src)).text()");
        Assert.Contains("Welcome, everyone.", captions, StringComparison.Ordinal);
        var bare = await registrant.EvaluateAsync<int>($"async () => (await fetch('/media/{recording}')).status");
        Assert.Equal(404, bare);
    }
}
