using System.Net;
using System.Net.Http.Headers;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Branding;
using LearnHub.Silo.Branding;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Admin;

/// <summary>
/// The admin's page for the organisation: details and the two images, each upload checked as an image from its bytes
/// (and by the PDF writer) before anything is stored; the logo is then served to anyone, the signature to no one.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class BrandingPageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<Brand> BrandAsync() => _app.Services.GetRequiredService<BrandingStore>().CurrentAsync(default);

    private async Task<HttpResponseMessage> UploadAsync(string kind, string fileName, byte[] content)
    {
        var token = Forms.AntiforgeryToken(await _admin.GetStringAsync("/admin/branding"));
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent(kind), "kind" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png"); // what a browser claims; the bytes decide
        form.Add(file, "file", fileName);
        return await _admin.PostAsync("/admin/branding?handler=Image", form);
    }

    [Fact]
    public async Task AnAdmin_SavesTheDetails_AndThePagesAndHeaderUseTheName()
    {
        var response = await Forms.PostAsync(_admin, "/admin/branding", "/admin/branding?handler=Details", new()
        {
            ["OrganisationName"] = "Northern Workforce Academy", ["ProviderNumber"] = "Approved provider #4821", ["SignatoryName"] = "Dr. Alex Rivera", ["SignatoryTitle"] = "",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(("Northern Workforce Academy", "Approved provider #4821"), ((await BrandAsync()).OrganisationName, (await BrandAsync()).ProviderNumber));
        Assert.Contains("<span class=\"brand-name\">Northern Workforce Academy</span>", await _app.CreateClient().GetStringAsync("/signin"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("logo.png", "GIF89a-not-a-png", "Upload a PNG or JPEG image")]
    [InlineData("signature.png", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "Upload a PNG or JPEG image")]
    public async Task AFileThatIsNotAPngOrJpeg_IsRefusedWithItsReason_AndNothingIsStored(string fileName, string content, string reason)
    {
        var response = await UploadAsync(fileName.StartsWith("logo", StringComparison.Ordinal) ? "logo" : "signature", fileName, System.Text.Encoding.UTF8.GetBytes(content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Brand.Default, await BrandAsync());
    }

    [Fact]
    public async Task APngTheWriterCannotDecode_IsRefused_ThoughItsHeaderIsFine()
    {
        var png = TestImages.Png(64, 32);
        png[^20] ^= 0xFF; // the compressed pixels (IDAT) damaged; the header still reads 64×32

        var response = await UploadAsync("logo", "logo.png", png);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await BrandAsync()).Logo);
    }

    [Fact]
    public async Task AValidLogo_IsStoredAndServedToAnyone_AndTheSignatureHasNoAddressOfItsOwn()
    {
        var logo = TestImages.Png(240, 80);
        var signature = TestImages.Png(300, 90);

        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync("logo", "logo.png", logo)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync("signature", "signature.png", signature)).StatusCode);

        var brand = await BrandAsync();
        var anonymous = _app.CreateClient();
        var served = await anonymous.GetAsync(Branding.BrandingEndpoints.LogoUrl(brand.Logo!));
        Assert.Equal(logo, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/branding/signature")).StatusCode);
        Assert.Equal(signature, brand.Signature!.Content);
    }

    [Fact]
    public async Task OnlyAdmins_MayOpenOrPostThePage()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));

        Assert.Equal(HttpStatusCode.Redirect, (await organizer.GetAsync("/admin/branding")).StatusCode);
        Assert.Equal("/denied", (await organizer.GetAsync("/admin/branding")).Headers.Location?.AbsolutePath);
    }
}
