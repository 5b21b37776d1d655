using QRCoder;

namespace LearnHub.Web.Certificates;

/// <summary>
/// The QR code printed on a certificate: it encodes the certificate's public verification address, so anyone holding
/// the paper can check it with a phone. Error correction level M survives a crease or a smudge on a printout.
/// </summary>
public static class CertificateQr
{
    /// <summary>A PNG of the code (black on white, with the quiet zone), <paramref name="pixelsPerModule"/> pixels per module.</summary>
    public static byte[] Png(string verificationUrl, int pixelsPerModule = 8)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(verificationUrl, QRCodeGenerator.ECCLevel.M);
        // Colours given explicitly make QRCoder write a two-colour palette PNG, which the PDF writer decodes (its
        // default, a 1-bit greyscale PNG, it does not).
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule, [0, 0, 0, 255], [255, 255, 255, 255]);
    }

    /// <summary>The PNG as a data: address for an img element (the CSP admits data: images, and the page needs no other request).</summary>
    public static string DataUrl(string verificationUrl) => $"data:image/png;base64,{Convert.ToBase64String(Png(verificationUrl))}";
}
