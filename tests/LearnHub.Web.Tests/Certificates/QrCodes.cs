using ZXing;
using ZXing.Common;

namespace LearnHub.Web.Tests.Certificates;

/// <summary>Reads the certificate's QR code from its pixels, as the page and the PDF show it.</summary>
internal static class QrCodes
{
    /// <summary>
    /// The text of the code in a one-byte-per-pixel grey image, or null. The image is the pure, upright code, and is read
    /// as one: ZXing's finder-pattern search, even trying harder, misses about one in 150 pixel-perfect codes of
    /// addresses like the tests' (21 of 3,000 in a trial), so the run's port and certificate code would decide the test.
    /// </summary>
    public static string? Read(byte[] gray, int width, int height) =>
        new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], PureBarcode = true, TryInverted = true } }
            .Decode(new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
}
