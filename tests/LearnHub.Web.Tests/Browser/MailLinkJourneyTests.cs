using LearnHub.Grains.Media;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// A registrant without an account, in real Chromium, from the mails in the pickup directory: "the recording is
/// ready" opens the recording and "your certificate" opens the certificate, each without a sign-in and axe clean.
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

    // The link (with its query: the pass or the key) in Robin's mail with this subject.
    private async Task<string> LinkAsync(string subject, string pathPart)
    {
        using var mail = await _app.EmailAsync(Robin, subject);
        return System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", $@"https?://[^\s""<>]+{System.Text.RegularExpressions.Regex.Escape(pathPart)}[^\s""<>]+").Value;
    }
}
