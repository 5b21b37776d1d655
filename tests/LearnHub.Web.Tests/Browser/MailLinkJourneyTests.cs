using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Media;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Media;
using LearnHub.Silo.Registrations;
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

    /// <summary>
    /// Self-study credit (issue 14): Kim missed the live session; from the "you missed it" mail, without an account, Kim
    /// plays the whole recording, fails the knowledge check once (no certificate), passes it, and finds the self-study
    /// certificate on the manage page; /verify names its credit. Lee skips to the end and is offered no check.
    /// </summary>
    [Fact]
    public async Task ARegistrantWhoMissedTheSession_EarnsSelfStudyCredit_FromTheRecordingAndTheCheck_AndSkippingEarnsNone()
    {
        const string Kim = "kim.nguyen@example.org", Lee = "lee.park@example.org";
        var past = await CertificateSetup.PastSessionAsync(_app, "Motivational Interviewing", 150, selfStudy: new SelfStudyRule(Enabled: true, CeHoursCenti: 125));
        var kim = await CertificateSetup.AttendAsync(_app, past, Kim, "Kim Nguyen", attended: false);
        await CertificateSetup.AttendAsync(_app, past, Lee, "Lee Park", attended: false);
        var grains = _app.Services.GetRequiredService<Orleans.IGrainFactory>();
        Assert.Empty(await grains.GetGrain<IKnowledgeCheckGrain>(past).SaveAsync(new KnowledgeCheckDraft([
            new("stage", "Which process comes first?", ["Engaging", "Evoking", "Planning"], 0),
            new("reflect", "A complex reflection…", ["asks a closed question", "guesses at the meaning beneath the words"], 1),
            new("talk", "Whose words is change talk?", ["The practitioner's", "The client's"], 1),
        ], PassPercent: 100, MaxAttempts: 2), null));
        var files = _app.Services.GetRequiredService<MediaFiles>();
        var video = TestVideos.PlayableWebM(TimeSpan.FromSeconds(8));
        using var staged = await files.StageAsync(new MemoryStream(video), video.Length, default);
        files.Commit(staged);
        var media = grains.GetGrain<ISessionMediaGrain>(past);
        var recording = (await media.AddAsync(new MediaDraft(past, MediaKind.Recording, "MI in practice", MediaVisibility.Registrants,
            "mi.webm", staged.Type!.ContentType, staged.Sha256, staged.Size) { LengthSeconds = 8 })).MediaId!.Value;
        await media.PublishRecordingAsync(recording);

        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();

        // Lee jumps to the last second and lets it play out: a second of eight is not the share, so there is no check.
        await page.GotoAsync(await LinkAsync("You missed it", "/recordings/", Lee));
        await page.EvaluateAsync("async () => { const v = document.getElementById('player'); v.muted = true; v.currentTime = 7; await v.play(); }");
        await page.WaitForFunctionAsync("() => document.getElementById('player').ended");
        await page.WaitForFunctionAsync("() => document.getElementById('progress-share').textContent.includes('%')");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#self-study")).ToContainTextAsync("play at least 90%");
        await Assertions.Expect(page.Locator("#take-check")).ToHaveTextAsync("About the knowledge check");
        await page.Locator("#take-check").ClickAsync();
        await Assertions.Expect(page.Locator("#check-not-yet")).ToContainTextAsync("Play at least 90% of the recording first");
        Assert.Equal(0, await page.Locator("#check-form").CountAsync());

        // Kim plays all of it (at double speed, as a learner may), and is offered the check.
        var watch = await LinkAsync("You missed it", "/recordings/", Kim);
        await page.GotoAsync(watch);
        await page.EvaluateAsync("async () => { const v = document.getElementById('player'); v.muted = true; v.playbackRate = 2; await v.play(); }");
        await page.WaitForFunctionAsync("() => document.getElementById('player').ended");
        await page.WaitForFunctionAsync("() => document.getElementById('progress-share').textContent.includes('100')");
        await page.ReloadAsync();
        await page.Locator("#take-check").ClickAsync();
        await Assertions.Expect(page.Locator("#check-rules")).ToContainTextAsync("This is attempt 1 of 2.");
        await browser.AssertAccessibleAsync(page, "knowledge check");

        // A wrong answer fails (the pass mark is 100%): no certificate, one attempt left. Then every answer right passes.
        await AnswerAsync(page, wrong: true);
        await Assertions.Expect(page.Locator("#check-result")).ToContainTextAsync("Attempts left: 1.");
        Assert.Equal(0, await page.Locator("#check-certificate").CountAsync());
        Assert.Empty(await _app.Services.GetRequiredService<CertificateStore>().ForPersonAsync(Kim, default));
        await AnswerAsync(page, wrong: false);
        await Assertions.Expect(page.Locator("#check-result")).ToContainTextAsync("You passed with 100%");
        await Assertions.Expect(page.Locator("#check-certificate")).ToContainTextAsync("1.25 CE hours");

        // The manage page (the link in Kim's confirmation) shows the certificate and its credit; /verify names it.
        string group;
        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            group = await connection.ExecuteScalarAsync<string>("SELECT group_id FROM registrations WHERE id = @id", new { id = kim.ToString() }) ?? "";
        }

        var token = _app.Services.GetRequiredService<ManageLinks>().TokenFor(new RegistrationGroup(Guid.Parse(group), "secret"));
        await page.GotoAsync(ManageLinks.Url(_baseUrl, token));
        await Assertions.Expect(page.Locator($"#credit-{kim}")).ToHaveTextAsync("Self-study (recording)");
        var certificate = (await _app.Services.GetRequiredService<CertificateStore>().LiveForRegistrationAsync(kim, default))!;
        Assert.Equal((CreditType.SelfStudy, 125), (certificate.Credit, certificate.CeHoursCenti));
        await page.GotoAsync($"{_baseUrl}/verify/{certificate.Code}");
        await Assertions.Expect(page.Locator("#verify-credit")).ToHaveTextAsync("Self-study (recording)");
        Assert.Empty(await _app.Services.GetRequiredService<CertificateStore>().ForPersonAsync(Lee, default));
    }

    // Answers the check on the page: every question right, or the first one shown wrong.
    private static async Task AnswerAsync(IPage page, bool wrong)
    {
        var right = new Dictionary<string, string> { ["stage"] = "0", ["reflect"] = "1", ["talk"] = "1" };
        var first = true;
        foreach (var fieldset in await page.Locator("#check-form fieldset").AllAsync())
        {
            var name = (await fieldset.Locator("input[type=radio]").First.GetAttributeAsync("name"))!;
            var answer = right[name[2..]];
            await fieldset.Locator($"input[value='{(wrong && first ? (answer == "0" ? "1" : "0") : answer)}']").CheckAsync();
            first = false;
        }

        await page.Locator("#check-submit").ClickAsync();
    }

    // The link (with its query: the pass or the key) in the mail with this subject to Robin, or to whom it names.
    private async Task<string> LinkAsync(string subject, string pathPart, string to = Robin)
    {
        using var mail = await _app.EmailAsync(to, subject);
        return System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", $@"https?://[^\s""<>]+{System.Text.RegularExpressions.Regex.Escape(pathPart)}[^\s""<>]+").Value;
    }
}
