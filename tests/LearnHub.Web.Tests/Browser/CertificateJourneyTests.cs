using LearnHub.Grains.Accounts;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium: an attendee opens their certificate from the transcript, the page prints to exactly one page
/// without the site's chrome, the public verifies its code by typing it from the keyboard, and every page passes axe.
/// (The attendance import and evaluation steps of the full journey belong to the writers built alongside.)
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class CertificateJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
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
    public async Task AnAttendeeFindsTheCertificateOnTheTranscript_PrintsItOnOnePage_AndTheCodeVerifies()
    {
        var learner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs for Child Welfare Education", 150,
            "This program is approved by the State Board of Social Work for 1.5 continuing-education hours. Provider #1234.");
        await CertificateSetup.AttendAsync(_app, session, learner, "Robin Diaz");
        var absent = await _app.AccountAsync(Role.Learner);
        await CertificateSetup.AttendAsync(_app, session, absent, "Sam Absent", attended: false);

        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, _baseUrl, learner, "/my-learning");

        await page.ClickAsync("#transcript-link");
        Assert.Equal("1.50", await page.Locator("#total strong").TextContentAsync());
        await browser.AssertAccessibleAsync(page, "transcript");

        await page.ClickAsync("text=Simulation Labs for Child Welfare Education");
        Assert.Equal("Robin Diaz", await page.Locator("#certificate-person").TextContentAsync());
        var code = await page.Locator("#certificate-code").TextContentAsync();
        Assert.True(await page.Locator("#print-certificate").IsVisibleAsync(), "the print button shows where script runs");
        await browser.AssertAccessibleAsync(page, "certificate");

        // The QR code as the page shows it decodes to the certificate's public verification address. The page may be
        // read before the image has arrived: its decode() settles when it has.
        var qr = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            """
            async () => {
              const img = document.getElementById('certificate-qr');
              await img.decode();
              const canvas = document.createElement('canvas');
              canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
              const context = canvas.getContext('2d');
              context.drawImage(img, 0, 0);
              const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
              return { width: canvas.width, height: canvas.height, gray: Array.from({ length: rgba.length / 4 }, (_, i) => rgba[i * 4]) };
            }
            """);
        var gray = qr.GetProperty("gray").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        var decoded = Certificates.QrCodes.Read(gray, qr.GetProperty("width").GetInt32(), qr.GetProperty("height").GetInt32());
        Assert.Equal($"{_baseUrl}/verify/{code}", decoded);

        // The download is the one-page PDF.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#certificate-pdf"));
        await using (var stream = await download.CreateReadStreamAsync())
        using (var copy = new MemoryStream())
        {
            await stream.CopyToAsync(copy);
            using var document = UglyToad.PdfPig.PdfDocument.Open(copy.ToArray());
            Assert.Equal(1, document.NumberOfPages);
        }

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Print });
        Assert.False(await page.Locator(".site-header").IsVisibleAsync());
        Assert.False(await page.Locator("#print-certificate").IsVisibleAsync());
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        var pages = System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?!s)").Count;
        Assert.True(pages == 1, $"the certificate printed on {pages} pages");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Microsoft.Playwright.Media.Screen });

        // The public, without an account, types the code from the keyboard in lower case.
        await using var publicContext = await browser.Browser.NewContextAsync();
        var visitor = await publicContext.NewPageAsync();
        await visitor.GotoAsync($"{_baseUrl}/verify");
        await browser.AssertAccessibleAsync(visitor, "verify (empty)");
        await visitor.FocusAsync("#f-code");
        await visitor.Keyboard.TypeAsync(code!.ToLowerInvariant());
        await visitor.Keyboard.PressAsync("Enter");
        await visitor.WaitForURLAsync($"{_baseUrl}/verify/{code}");
        Assert.Equal("valid", await visitor.Locator("#verification").GetAttributeAsync("data-outcome"));
        Assert.DoesNotContain(learner, await visitor.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        await browser.AssertAccessibleAsync(visitor, "verify (valid)");

        await visitor.FillAsync("#f-code", code[..^1] + (code[^1] == 'Z' ? 'Y' : 'Z'));
        await visitor.ClickAsync("button:has-text('Verify')");
        Assert.Equal("malformed", await visitor.Locator("#verification").GetAttributeAsync("data-outcome"));
        await browser.AssertAccessibleAsync(visitor, "verify (malformed)");

        // The registrant who did not attend has nothing.
        Assert.Empty(await _app.Services.GetRequiredService<Silo.Certificates.CertificateStore>().ForPersonAsync(absent, default));
    }

    [Fact]
    public async Task TheOrganizerCoursePages_PassAxe()
    {
        var organizer = await _app.AccountAsync(Role.Organizer);
        var session = await CertificateSetup.PastSessionAsync(_app, "Week 1", 150);
        await CertificateSetup.AttendAsync(_app, session, "pat@example.org", "Pat Okafor");

        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, _baseUrl, organizer, "/organizer/courses/new");
        await browser.AssertAccessibleAsync(page, "new course");

        await page.FillAsync("#f-title", "Certified Peer Specialist");
        await page.FillAsync("#f-ceHours", "1.5");
        await page.CheckAsync($"#f-session-{session}");
        await page.ClickAsync("button:has-text('Create course')");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/organizer/courses/[0-9a-f-]{36}$"));
        Assert.Contains("1 of 1", await page.Locator("table").TextContentAsync(), StringComparison.Ordinal);
        await browser.AssertAccessibleAsync(page, "course progress");

        await page.ClickAsync("text=Edit course");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/organizer/courses/[0-9a-f-]{36}/edit$"));
        Assert.True(await page.IsCheckedAsync($"#f-session-{session}"));
        await browser.AssertAccessibleAsync(page, "course edit");
        await page.FillAsync("#f-title", "");
        await page.ClickAsync("button:has-text('Save course')");
        await page.Locator("#error-summary").WaitForAsync();
        await browser.AssertAccessibleAsync(page, "course edit (with errors)");
        await page.FillAsync("#f-title", "Certified Peer Specialist II");
        await page.ClickAsync("button:has-text('Save course')");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/organizer/courses/[0-9a-f-]{36}$"));
        Assert.Equal("Certified Peer Specialist II", await page.Locator("h1").TextContentAsync());

        await page.GotoAsync($"{_baseUrl}/organizer/sessions/edit/{session}");
        await browser.AssertAccessibleAsync(page, "session edit (with CE hours)");
    }
}
