using System.Text;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Testing;
using LearnHub.Web.Tests.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// Acceptance 1 of the organizer workspace, in real Chromium against the app on Kestrel: an organizer creates and
/// publishes a session, uploads a handout and a recording with captions (registrants only) and publishes the
/// recording; a registrant sees both and plays the video with its captions showing; an anonymous visitor and a
/// signed-in non-registrant are refused the media URLs themselves.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class OrganizerMediaJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("/organizer/sessions/([0-9a-f-]{36})$")]
    private static partial Regex SessionUrl();

    [Fact]
    public async Task AnOrganizerPublishesMedia_ARegistrantPlaysItWithCaptions_AndOthersAreRefusedTheFiles()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        await accounts.CreateAsync("olu.organizer@example.org", "Olu Organizer", LearnHubWebFactory.Password, [Role.Organizer], default);
        await accounts.CreateAsync("rae.registrant@example.org", "Rae Registrant", LearnHubWebFactory.Password, [Role.Learner], default);
        await accounts.CreateAsync("nico.other@example.org", "Nico Other", LearnHubWebFactory.Password, [Role.Learner], default);
        await _app.SeriesWithWebinarAsync();

        await using var organizerContext = await browser.Browser.NewContextAsync();
        var organizer = await organizerContext.NewPageAsync();
        var video = await RecordWebmAsync(organizer);
        await BrowserFixture.SignInAsync(organizer, _baseUrl, "olu.organizer@example.org");

        // A new session, created as a draft and then published.
        await organizer.GotoAsync($"{_baseUrl}/organizer/series");
        await organizer.ClickAsync("a[href^='/organizer/sessions/edit?series=']");
        await organizer.SelectOptionAsync("#f-kind", "national-webinar");
        await organizer.FillAsync("#f-title", "Caption Access in Court Settings");
        await organizer.FillAsync("#f-description", "## What we cover\n\nInterpreters and **captions** in court.");
        await organizer.SelectOptionAsync("#f-timeZone", "America/Chicago");
        await organizer.FillAsync("#f-starts", "2026-12-10T10:00");
        await organizer.FillAsync("#f-ends", "2026-12-10T11:30");
        await organizer.FillAsync("#f-capacity", "30");
        await organizer.FillAsync("#f-presenter0-name", "Dana Ruiz");
        await browser.AssertAccessibleAsync(organizer, "new session");
        await organizer.ClickAsync("text=Create draft session");
        await organizer.WaitForURLAsync(SessionUrl());
        var session = Guid.Parse(SessionUrl().Match(organizer.Url).Groups[1].Value);
        await organizer.ClickAsync("form button:has-text('Publish')");
        await organizer.Locator("#session-status").Filter(new LocatorFilterOptions { HasText = "Published" }).WaitForAsync();

        // Rae holds a seat; Nico does not.
        await RegisterAsync(session, "rae.registrant@example.org");

        // A handout and a recording with captions, both registrants only (the forms' default), uploaded with the
        // progress-bar script in charge.
        await organizer.ClickAsync("text=Add a handout or recording");
        await browser.AssertAccessibleAsync(organizer, "upload");
        await organizer.FillAsync("#f-handout-title", "Slides");
        await organizer.SetInputFilesAsync("#f-handout-file", new FilePayload { Name = "Slides.pdf", MimeType = "application/pdf", Buffer = MediaUploadTests.Pdf });
        await organizer.ClickAsync("text=Upload handout");
        await organizer.WaitForURLAsync(SessionUrl());
        Assert.Contains("Added the handout", await organizer.TextContentAsync("#notice"), StringComparison.Ordinal);

        await organizer.ClickAsync("text=Add a handout or recording");
        await organizer.FillAsync("#f-recording-title", "Session recording");
        await organizer.SetInputFilesAsync("#f-recording-video", new FilePayload { Name = "session.webm", MimeType = "video/webm", Buffer = video });
        await organizer.SetInputFilesAsync("#f-recording-captions", new FilePayload { Name = "captions.vtt", MimeType = "text/vtt", Buffer = Encoding.UTF8.GetBytes(MediaUploadTests.Captions) });
        await organizer.ClickAsync("text=Upload recording");
        await organizer.WaitForURLAsync(SessionUrl());
        await organizer.ClickAsync("#media button:has-text('and email registrants')");
        await organizer.Locator("#notice").Filter(new LocatorFilterOptions { HasText = "1 registrant(s) are being emailed" }).WaitForAsync();
        await browser.AssertAccessibleAsync(organizer, "organizer session");
        var handoutUrl = await organizer.GetAttributeAsync("#media a[href^='/media/']", "href");
        var recordingPage = await organizer.GetAttributeAsync("#media a[href^='/recordings/']", "href");
        var recording = recordingPage!.Split('/')[^1];
        string[] mediaUrls = [handoutUrl!, $"/media/{recording}", $"/media/{recording}/captions.vtt"];

        // Rae sees both on the session page and plays the recording with its captions showing.
        await using var registrantContext = await browser.Browser.NewContextAsync();
        var registrant = await registrantContext.NewPageAsync();
        await BrowserFixture.SignInAsync(registrant, _baseUrl, "rae.registrant@example.org");
        await registrant.GotoAsync($"{_baseUrl}/sessions/{session}");
        Assert.Equal(2, await registrant.Locator("#materials-list li").CountAsync());
        await registrant.ClickAsync("#materials-list >> text=Recording: Session recording");
        await registrant.WaitForURLAsync($"**/recordings/{recording}");
        await browser.AssertAccessibleAsync(registrant, "recording");
        await registrant.EvaluateAsync("async () => { const v = document.getElementById('player'); v.muted = true; await v.play(); }");
        await registrant.WaitForFunctionAsync(
            "() => { const v = document.getElementById('player'); const t = v.textTracks[0];" +
            " return v.currentTime > 0.2 && t.mode === 'showing' && t.activeCues && t.activeCues.length > 0; }");
        Assert.Equal("<v Dana>Welcome to the session.", await registrant.EvaluateAsync<string>("() => document.getElementById('player').textTracks[0].activeCues[0].text"));
        foreach (var url in mediaUrls)
        {
            Assert.Equal(200, (await registrantContext.APIRequest.GetAsync(_baseUrl + url)).Status);
        }

        // Neither an anonymous visitor nor a signed-in non-registrant gets the files, whatever URL they hold.
        await using var anonymousContext = await browser.Browser.NewContextAsync();
        await using var otherContext = await browser.Browser.NewContextAsync();
        await BrowserFixture.SignInAsync(await otherContext.NewPageAsync(), _baseUrl, "nico.other@example.org");
        foreach (var url in mediaUrls)
        {
            Assert.Equal(404, (await anonymousContext.APIRequest.GetAsync(_baseUrl + url)).Status);
            Assert.Equal(404, (await otherContext.APIRequest.GetAsync(_baseUrl + url)).Status);
        }

        var otherPage = await otherContext.NewPageAsync();
        await otherPage.GotoAsync($"{_baseUrl}/sessions/{session}");
        Assert.Equal(0, await otherPage.Locator("#materials-list").CountAsync());
    }

    // A real, playable WebM made by Chromium itself: a canvas recorded for three seconds with MediaRecorder.
    private static async Task<byte[]> RecordWebmAsync(IPage page)
    {
        var base64 = await page.EvaluateAsync<string>(
            """
            async () => {
              const canvas = document.createElement('canvas');
              canvas.width = 160; canvas.height = 120; document.body.appendChild(canvas);
              const g = canvas.getContext('2d');
              const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' });
              const chunks = [];
              recorder.ondataavailable = e => chunks.push(e.data);
              const stopped = new Promise(r => recorder.onstop = r);
              let frame = 0;
              const timer = setInterval(() => { g.fillStyle = frame++ % 2 ? '#204080' : '#f0c020'; g.fillRect(0, 0, 160, 120); }, 40);
              recorder.start(100);
              await new Promise(r => setTimeout(r, 3000));
              recorder.stop(); clearInterval(timer); await stopped;
              const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
              let text = ''; for (const b of bytes) text += String.fromCharCode(b);
              return btoa(text);
            }
            """);
        return Convert.FromBase64String(base64);
    }

    private async Task RegisterAsync(Guid session, string email)
    {
        using var client = _app.CreateClient();
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, $"/api/sessions/{session}/registrations", new
        {
            name = "Rae Registrant", email, agency = "County DHHS", jobRole = "Caseworker", timeZone = "America/Chicago",
        });
        response.EnsureSuccessStatusCode();
    }
}
