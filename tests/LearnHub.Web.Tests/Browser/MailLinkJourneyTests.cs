using Dapper;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// A registrant without an account, in real Chromium, from the mails in the pickup directory: "the recording is
/// ready" opens the recording and "your certificate" opens the certificate, each without a sign-in and axe clean; "you
/// missed it" opens a recording whose watching is counted.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class MailLinkJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Robin = "robin.diaz@example.org";

    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ARegistrantWithoutAnAccount_OpensTheRecordingAndTheCertificate_FromTheirMail()
    {
        // Robin attended a session three days ago (no account, as most registrants); its recording is then published.
        var past = await CertificateSetup.PastSessionAsync(_app, "Trauma-Informed Supervision", 150);
        await CertificateSetup.AttendAsync(_app, past, Robin, "Robin Diaz");
        var media = _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(past);
        var recording = (await media.AddAsync(new MediaDraft(past, MediaKind.Recording, "Supervision in practice", MediaVisibility.Registrants,
            ExternalUrl: "https://video.example.org/watch/123"))).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        var watch = await LinkAsync("Recording ready:", "/recordings/");
        var certificate = await LinkAsync("Your certificate:", "/certificates/");

        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(watch);
        Assert.StartsWith(_baseUrl + "/recordings/", page.Url, StringComparison.Ordinal); // not sent to sign in
        Assert.Equal("Supervision in practice", await page.TextContentAsync("h1"));
        Assert.Equal("https://video.example.org/watch/123", await page.GetAttributeAsync("a:has-text('Watch the recording')", "href"));
        await browser.AssertAccessibleAsync(page, "recording from mail");

        await page.GotoAsync(certificate);
        Assert.StartsWith(_baseUrl + "/certificates/", page.Url, StringComparison.Ordinal);
        await page.GetByText("Robin Diaz").First.WaitForAsync();
        Assert.True(await page.Locator("#certificate-pdf").IsVisibleAsync());
        await browser.AssertAccessibleAsync(page, "certificate from mail");
    }

    /// <summary>
    /// Watch progress (issue 14): Robin missed the session, opens the "you missed it" link, plays the recording (a real,
    /// playable file) and what was played is counted; coming back, playback continues where Robin stopped.
    /// </summary>
    [Fact]
    public async Task ARegistrantWhoMissedTheSession_WatchesFromTheirMail_AndWhatTheyPlayedIsCounted()
    {
        var past = await CertificateSetup.PastSessionAsync(_app, "Trauma-Informed Supervision", 150);
        var registration = await CertificateSetup.AttendAsync(_app, past, Robin, "Robin Diaz", attended: false);
        var files = _app.Services.GetRequiredService<MediaFiles>();
        var video = TestVideos.PlayableWebM(TimeSpan.FromSeconds(30));
        using var staged = await files.StageAsync(new MemoryStream(video), video.Length, default);
        var length = MediaLength.Seconds(staged.Path, staged.Type!.ContentType);
        Assert.Equal(30, length);
        files.Commit(staged);
        var media = _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(past);
        var recording = (await media.AddAsync(new MediaDraft(past, MediaKind.Recording, "Supervision in practice", MediaVisibility.Registrants,
            "supervision.webm", staged.Type.ContentType, staged.Sha256, staged.Size) { LengthSeconds = length })).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        var watch = await LinkAsync("You missed it", "/recordings/");

        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(watch);
        await Assertions.Expect(page.Locator("#progress-share")).ToHaveTextAsync("Your progress is saved as you watch.");
        await browser.AssertAccessibleAsync(page, "recording with progress");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The watch page scrolls sideways at 390 px.");

        // Played (muted, as a test must) for a few seconds, then paused: the player reports at the pause.
        await page.EvaluateAsync("async () => { const v = document.getElementById('player'); v.muted = true; await v.play(); }");
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 3");
        await page.EvaluateAsync("() => document.getElementById('player').pause()");
        await Assertions.Expect(page.Locator("#progress-share")).ToContainTextAsync("You have watched 1");

        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            var covered = await connection.QuerySingleAsync<long>("SELECT covered_ms FROM recording_views WHERE registration_id = @id", new { id = registration.ToString() });
            Assert.InRange(covered, 3000, 10_000);
        }

        // Coming back through the same link: playback continues where Robin stopped, and can start over.
        await page.GotoAsync(watch);
        await Assertions.Expect(page.Locator("#progress-status")).ToContainTextAsync("Playback continues where you left off (0:0");
        Assert.Matches(@"#t=\d+$", await page.GetAttributeAsync("#player", "src") ?? "");
        await page.GetByRole(AriaRole.Link, new() { Name = "Start from the beginning" }).ClickAsync();
        Assert.DoesNotContain("#t=", await page.GetAttributeAsync("#player", "src") ?? "", StringComparison.Ordinal);
    }

    // The link (with its query: the pass or the key) in Robin's mail with this subject.
    private async Task<string> LinkAsync(string subject, string pathPart)
    {
        using var mail = await _app.EmailAsync(Robin, subject);
        return System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", $@"https?://[^\s""<>]+{System.Text.RegularExpressions.Regex.Escape(pathPart)}[^\s""<>]+").Value;
    }
}
