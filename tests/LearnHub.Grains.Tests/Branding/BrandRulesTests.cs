using LearnHub.Grains.Branding;
using LearnHub.Grains.Catalog;
using LearnHub.Testing;

namespace LearnHub.Grains.Tests.Branding;

/// <summary>What an admin may upload as the logo or signature, judged from the bytes, and the details' limits.</summary>
public sealed class BrandRulesTests
{
    // The smallest JPEG header that names a size: SOI, an APP0 segment, then SOF0 with height 90 and width 300.
    private static readonly byte[] Jpeg =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x5A, 0x01, 0x2C, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9,
    ];

    [Fact]
    public void APng_IsRecognisedWithItsPixelSize()
    {
        var (image, problem) = BrandRules.Inspect(TestImages.Png(240, 80));

        Assert.Null(problem);
        Assert.Equal(("image/png", 240, 80), (image!.ContentType, image.Width, image.Height));
        Assert.Equal(64, image.Sha256.Length);
    }

    [Fact]
    public void AJpeg_IsRecognisedFromItsStartOfFrame()
    {
        var (image, problem) = BrandRules.Inspect(Jpeg);

        Assert.Null(problem);
        Assert.Equal(("image/jpeg", 300, 90), (image!.ContentType, image.Width, image.Height));
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000", "PNG or JPEG")]
    [InlineData("%PDF-1.4 not an image at all", "PNG or JPEG")]
    [InlineData("<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG or JPEG")]
    public void OtherFiles_AreRefused_WhateverTheyAreCalled(string content, string expected)
    {
        var (image, problem) = BrandRules.Inspect(System.Text.Encoding.Latin1.GetBytes(content));

        Assert.Null(image);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AJpegWithoutAFrameHeader_IsRefusedAsDamaged()
    {
        var (image, problem) = BrandRules.Inspect(Jpeg[..20]);

        Assert.Null(image);
        Assert.Contains("damaged", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 80)]
    [InlineData(240, 8)]
    public void ATinyImage_IsRefused(int width, int height)
    {
        var (image, problem) = BrandRules.Inspect(TestImages.Png(width, height));

        Assert.Null(image);
        Assert.Contains($"{width}×{height} pixels", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImageClaimingHugeDimensions_IsRefusedBeforeAnyDecoderSeesIt()
    {
        var png = TestImages.Png(20, 20);
        // The IHDR width, rewritten to 60,000 pixels: a decompression bomb's header.
        png[16] = 0; png[17] = 0; png[18] = 0xEA; png[19] = 0x60;

        var (image, problem) = BrandRules.Inspect(png);

        Assert.Null(image);
        Assert.Contains("60000×20 pixels", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOverTheLimit_IsRefusedBeforeItIsRead()
    {
        var (image, problem) = BrandRules.Inspect(new byte[BrandRules.MaxImageBytes + 1]);

        Assert.Null(image);
        Assert.Contains("the limit is 512 KB", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDetails_NeedAName_AndOneLineOfLimitedTextEach()
    {
        Assert.Empty(BrandRules.Problems(new BrandDetails("Northern Workforce Academy", null, null, null)));
        var problems = BrandRules.Problems(new BrandDetails(" ", new string('x', 121), "Dr. Rivera\nDirector", null));

        Assert.Equal(["organisationName", "providerNumber", "signatoryName"], problems.Keys.Order());
    }

    [Fact]
    public void AMapLink_SearchesOpenStreetMapForTheAddressAndCity()
    {
        Assert.Equal("https://www.openstreetmap.org/search?query=1202%20Northport%20Dr%2C%20Madison%2C%20WI",
            VenueAddresses.MapUrl("Dane County Human Services Learning Center", "1202 Northport Dr", "Madison, WI"));
        Assert.Equal("https://www.openstreetmap.org/search?query=Dane%20County%20Learning%20Center%2C%20Madison%2C%20WI",
            VenueAddresses.MapUrl("Dane County Learning Center", null, "Madison, WI"));
    }
}
