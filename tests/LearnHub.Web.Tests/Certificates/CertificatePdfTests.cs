using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Branding;
using LearnHub.Silo.Branding;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace LearnHub.Web.Tests.Certificates;

/// <summary>The certificate PDF on SQLite, the embedded default.</summary>
public sealed class SqliteCertificatePdfTests(DatabaseFixture fixture) : CertificatePdfTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same on PostgreSQL.</summary>
public sealed class PostgresCertificatePdfTests(DatabaseFixture fixture) : CertificatePdfTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>
/// The downloadable certificate, read back as a stranger would read it: PdfPig extracts its pages and text, ZXing.Net
/// decodes the QR code drawn on it. The PDF follows the page's own access rule.
/// </summary>
[Collection(DatabaseCollection.Name)]
public abstract class CertificatePdfTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        _app = new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task BrandAsync()
    {
        var branding = _app.Services.GetRequiredService<BrandingStore>();
        var admin = new BrandActor(null, "admin@example.org", null);
        await branding.SaveDetailsAsync(new BrandDetails("Northern Workforce Academy", "Approved provider #4821, State Board of Social Work", "Dr. Alex Rivera", "Director of Training"), admin, default);
        await branding.SetImageAsync(BrandImageKind.Logo, BrandRules.Inspect(TestImages.Png(240, 80)).Image, admin, default);
        await branding.SetImageAsync(BrandImageKind.Signature, BrandRules.Inspect(TestImages.Png(300, 90)).Image, admin, default);
    }

    /// <summary>What ZXing reads from the largest square image on the page (the QR code), or null.</summary>
    private static string? DecodeQr(PdfDocument document)
    {
        var qr = document.GetPage(1).GetImages().Where(i => i.WidthInSamples == i.HeightInSamples).MaxBy(i => i.WidthInSamples)
            ?? throw new InvalidOperationException("The page has no square image.");
        Assert.True(qr.TryGetBytesAsMemory(out var memory), "PdfPig could not decode the QR image.");
        var (width, height, bytes) = (qr.WidthInSamples, qr.HeightInSamples, memory.ToArray());
        var gray = new byte[width * height];
        if (bytes.Length == width * height * 3)
        {
            for (var i = 0; i < gray.Length; i++)
            {
                gray[i] = (byte)((bytes[i * 3] + bytes[(i * 3) + 1] + bytes[(i * 3) + 2]) / 3);
            }
        }
        else if (bytes.Length == width * height)
        {
            gray = bytes;
        }
        else
        {
            // One bit per sample, each row padded to a whole byte.
            var stride = (width + 7) / 8;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    gray[(y * width) + x] = (bytes[(y * stride) + (x / 8)] & (0x80 >> (x % 8))) != 0 ? (byte)255 : (byte)0;
                }
            }
        }

        return QrCodes.Read(gray, width, height);
    }

    [Fact]
    public async Task ThePdf_IsOneLandscapePage_WithTheCodeAndEverythingItCertifies_AndItsQrCodeDecodesToTheVerificationAddress()
    {
        await BrandAsync();
        var learner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs for Child Welfare Education", 150,
            "This program is approved by the State Board of Social Work for 1.5 continuing-education hours.");
        await CertificateSetup.AttendAsync(_app, session, learner, "Robin Diaz");
        var certificate = await CertificateSetup.CertificateAsync(_app, learner, session);

        var response = await (await _app.SignedInClientAsync(learner)).GetAsync($"/certificates/{certificate.Id}/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, pdf.NumberOfPages);
        var page = pdf.GetPage(1);
        Assert.True(page.Width > page.Height, $"the page is {page.Width} × {page.Height} points, not landscape");
        Assert.Equal(792, page.Width, 1); // US Letter
        var text = string.Join(' ', page.GetWords().Select(w => w.Text));
        foreach (var expected in new[] { certificate.Code, "Robin", "Diaz", "Simulation", "Labs", "1.50", "#4821", "Rivera", "NORTHERN", "ACADEMY", "Attendance" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Equal($"http://localhost:5080/verify/{certificate.Code}", DecodeQr(pdf));
    }

    [Fact]
    public async Task AChineseReader_GetsTheCertificateInChinese_AndAChineseName_IsDrawnWithACjkFont()
    {
        var learner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs for Child Welfare Education", 150, "");
        await CertificateSetup.AttendAsync(_app, session, learner, "李伟");
        var certificate = await CertificateSetup.CertificateAsync(_app, learner, session);
        var client = await _app.SignedInClientAsync(learner);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/certificates/{certificate.Id}/pdf");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        using var chinese = PdfDocument.Open(await (await client.SendAsync(request)).Content.ReadAsByteArrayAsync());
        using var english = PdfDocument.Open(await client.GetByteArrayAsync($"/certificates/{certificate.Id}/pdf"));

        var page = chinese.GetPage(1);
        var text = string.Concat(page.Letters.Select(l => l.Value));
        foreach (var expected in new[] { "出勤证书", "兹证明", "李伟", "已参加以下培训", "继续教育学时", "验证码", "Simulation" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Contains(page.Letters, l => l.Value == "李" && (l.FontName ?? "").Contains("Noto Serif SC", StringComparison.Ordinal));
        // In English the labels are English; the name is still drawn, with the CJK face, not as empty boxes.
        var englishPage = english.GetPage(1);
        Assert.Contains("Attendance", string.Join(' ', englishPage.GetWords().Select(w => w.Text)), StringComparison.Ordinal);
        Assert.Contains(englishPage.Letters, l => l.Value == "伟" && (l.FontName ?? "").Contains("Noto Serif SC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALongNameTitleAndStatement_StillFitOnePage_AndA4IsOffered()
    {
        var learner = await _app.AccountAsync(Role.Learner);
        var title = string.Join(' ', Enumerable.Repeat("Transforming Child Welfare Decision-making through Modern Technology and Data Analytics", 3));
        var session = await CertificateSetup.PastSessionAsync(_app, title, 1250, string.Join(' ', Enumerable.Repeat("This program is approved by the State Board of Social Work.", 30)));
        await CertificateSetup.AttendAsync(_app, session, learner, "Maria Guadalupe Fernández-Castellanos de la Torre y Villanueva-Ortiz");
        var certificate = await CertificateSetup.CertificateAsync(_app, learner, session);

        var a4 = await (await _app.SignedInClientAsync(learner)).GetByteArrayAsync($"/certificates/{certificate.Id}/pdf?paper=a4");

        using var pdf = PdfDocument.Open(a4);
        Assert.Equal(1, pdf.NumberOfPages);
        Assert.Equal(842, pdf.GetPage(1).Width, 1); // A4 landscape
        Assert.Contains(certificate.Code, string.Join(' ', pdf.GetPage(1).GetWords().Select(w => w.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePdf_FollowsThePagesRule_TheEmailedKeyOpensIt_OthersGetNotFound_StrangersMustSignIn()
    {
        var owner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 100);
        await CertificateSetup.AttendAsync(_app, session, owner, "Robin Diaz");
        var certificate = await CertificateSetup.CertificateAsync(_app, owner, session);
        var emailed = new Uri(System.Text.RegularExpressions.Regex.Match((await _app.EmailAsync(owner, "Your certificate")).TextBody ?? "", @"https?://\S+/certificates/\S+").Value);
        var anonymous = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var keyed = await anonymous.GetAsync($"{emailed.AbsolutePath}/pdf{emailed.Query}");
        var stranger = await anonymous.GetAsync($"/certificates/{certificate.Id}/pdf");
        var otherLearner = await (await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner))).GetAsync($"/certificates/{certificate.Id}/pdf");

        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal("application/pdf", keyed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
        Assert.StartsWith("/signin", stranger.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherLearner.StatusCode);
    }
}
