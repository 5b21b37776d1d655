using System.Globalization;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Certificates;
using LearnHub.Silo.Certificates;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Pdf;

namespace LearnHub.Web.Certificates;

/// <summary>The paper a certificate is laid out for (both landscape).</summary>
public enum CertificatePaper
{
    /// <summary>US Letter, 11 × 8.5 in: the default, where LearnHub's agencies are.</summary>
    Letter,

    /// <summary>A4, 297 × 210 mm.</summary>
    A4,
}

/// <summary>
/// A certificate as a one-page landscape PDF, drawn with PDFsharp: the organisation's logo and name, the person, the
/// training, date, CE hours, the provider or approval number when the organisation has one, the statement, the
/// signature and signatory, the verification code and a QR code of the verification address. Every text is fitted
/// into its own box (long names shrink, long titles and statements wrap and are cut at their box), so nothing can spill
/// onto a second page.
/// </summary>
public static class CertificatePdf
{
    private static readonly XColor Ink = XColor.FromArgb(26, 31, 38);
    private static readonly XColor Navy = XColor.FromArgb(13, 42, 74);
    private static readonly XColor Muted = XColor.FromArgb(75, 85, 99);
    private static readonly XColor Danger = XColor.FromArgb(164, 38, 44);

    /// <summary>Renders the certificate; the bytes are a complete PDF file of exactly one page.</summary>
    public static byte[] Render(CertificateView certificate, Brand brand, string verificationUrl, CertificatePaper paper = CertificatePaper.Letter,
        Microsoft.Extensions.Localization.IStringLocalizer? localizer = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(brand);
        CertificateFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"Certificate: {certificate.TrainingTitle}";
        document.Info.Author = brand.OrganisationName;
        document.Info.Subject = $"Verification code {certificate.Code}";
        var page = document.AddPage();
        page.Size = paper == CertificatePaper.A4 ? PageSize.A4 : PageSize.Letter;
        page.Orientation = PageOrientation.Landscape;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            Draw(gfx, page.Width.Point, page.Height.Point, certificate, brand, verificationUrl, new Wording(localizer));
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>
    /// True when the PDF writer can decode and embed the image. An admin's upload is tried here before it is stored,
    /// so a PNG or JPEG variant the writer cannot read is refused at upload rather than breaking every certificate.
    /// </summary>
    public static bool CanDraw(BrandImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        try
        {
            CertificateFonts.EnsureInstalled();
            using var document = new PdfDocument();
            var page = document.AddPage();
            using (var gfx = XGraphics.FromPdfPage(page))
            using (var stream = new MemoryStream(image.Content, writable: false))
            using (var xImage = XImage.FromStream(stream))
            {
                gfx.DrawImage(xImage, 0, 0, 100, 100);
            }

            document.Save(Stream.Null, closeStream: false);
            return true;
        }
#pragma warning disable CA1031 // Any failure of the decoder means the same thing here: this image cannot be used.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    // The certificate's own words in the reader's language (the request's, as on the certificate page); English without a localizer.
    private sealed class Wording(Microsoft.Extensions.Localization.IStringLocalizer? localizer)
    {
        public string this[string english, params object[] values] =>
            localizer is null ? string.Format(CultureInfo.GetCultureInfo("en-US"), english, values) : localizer[english, values].Value;

        public string Date(DateTimeOffset at) => localizer is null || CultureInfo.CurrentCulture.TwoLetterISOLanguageName is "en" or "iv"
            ? at.ToString("MMMM d, yyyy", CultureInfo.GetCultureInfo("en-US"))
            : at.ToString("D", CultureInfo.CurrentCulture);
    }

    // A font that can draw the text: Chinese characters need the CJK face.
    private static XFont Font(string? text, double size, XFontStyleEx style) => new(CertificateFonts.For(text), size, style);

    private static void Draw(XGraphics gfx, double width, double height, CertificateView c, Brand brand, string verificationUrl, Wording t)
    {
        const double margin = 28;
        gfx.DrawRectangle(new XPen(Navy, 3), margin, margin, width - (2 * margin), height - (2 * margin));
        gfx.DrawRectangle(new XPen(Navy, 0.75), margin + 7, margin + 7, width - (2 * margin) - 14, height - (2 * margin) - 14);
        var inner = width - (2 * margin) - 80;
        var left = margin + 40;
        var y = margin + 26;

        if (!c.IsLive)
        {
            var revoked = t["REVOKED on {0} (UTC): this certificate is no longer valid.", t.Date(c.RevokedAt!.Value)];
            Centred(gfx, revoked, Font(revoked, 11, XFontStyleEx.Bold), Danger, left, inner, margin + 12);
        }

        if (brand.Logo is { } logo)
        {
            var (w, h) = Fit(logo.Width, logo.Height, 170, 52);
            using var stream = new MemoryStream(logo.Content, writable: false);
            using var image = XImage.FromStream(stream);
            gfx.DrawImage(image, (width - w) / 2, y, w, h);
            y += h + 8;
        }

        var organisation = brand.OrganisationName.ToUpperInvariant();
        y = Centred(gfx, organisation, Font(organisation, 11, XFontStyleEx.Bold), Navy, left, inner, y) + 14;
        var course = c.Kind == CertificateKind.Course;
        var selfStudy = c.Credit == CreditType.SelfStudy;
        var heading = course || selfStudy ? t["Certificate of Completion"] : t["Certificate of Attendance"];
        y = Centred(gfx, heading, Font(heading, 30, XFontStyleEx.Bold), Ink, left, inner, y) + 14;
        var certifies = t["This certifies that"];
        y = Centred(gfx, certifies, Font(certifies, 13, XFontStyleEx.Italic), Muted, left, inner, y) + 8;
        y = Centred(gfx, c.PersonName, Shrunk(gfx, c.PersonName, CertificateFonts.For(c.PersonName), 28, XFontStyleEx.Bold, inner), Ink, left, inner, y) + 8;
        var what = course ? t["completed every required session of the course"] : selfStudy ? t["completed the self-study of the recorded training"] : t["attended the training"];
        y = Centred(gfx, what, Font(what, 13, XFontStyleEx.Italic), Muted, left, inner, y) + 8;
        y = Wrapped(gfx, c.TrainingTitle, Font(c.TrainingTitle, 18, XFontStyleEx.Bold), Ink, left + 40, inner - 80, y, lines: 2) + 10;

        var facts = course
            ? t["Date: {0}     Continuing-education hours: {1}", c.DateText, c.CeHours]
            : t["Date: {0}     Continuing-education hours: {1}     Credit: {2}", c.DateText, c.CeHours, selfStudy ? t["Self-study (recording)"] : t["Live attendance"]];
        y = Centred(gfx, facts, Font(facts, 12, XFontStyleEx.Regular), Ink, left, inner, y) + 4;
        if (!string.IsNullOrWhiteSpace(brand.ProviderNumber))
        {
            y = Centred(gfx, brand.ProviderNumber, Font(brand.ProviderNumber, 10.5, XFontStyleEx.Regular), Muted, left, inner, y) + 4;
        }

        if (!string.IsNullOrWhiteSpace(c.Statement))
        {
            Wrapped(gfx, c.Statement, Font(c.Statement, 10, XFontStyleEx.Italic), Muted, left + 90, inner - 180, y + 4, lines: 3);
        }

        // The foot: the signature on the left, the code in the middle, the QR code on the right.
        var lineY = height - margin - 62;
        var signatureLeft = margin + 50;
        if (brand.Signature is { } signature)
        {
            var (w, h) = Fit(signature.Width, signature.Height, 190, 48);
            using var stream = new MemoryStream(signature.Content, writable: false);
            using var image = XImage.FromStream(stream);
            gfx.DrawImage(image, signatureLeft, lineY - h - 2, w, h);
        }

        if (brand.Signature is not null || !string.IsNullOrWhiteSpace(brand.SignatoryName))
        {
            gfx.DrawLine(new XPen(Ink, 0.75), signatureLeft, lineY, signatureLeft + 210, lineY);
            var signatory = Font(brand.SignatoryName, 10.5, XFontStyleEx.Bold);
            gfx.DrawString(brand.SignatoryName ?? "", signatory, new XSolidBrush(Ink), new XRect(signatureLeft, lineY + 4, 210, 14), XStringFormats.TopLeft);
            gfx.DrawString(brand.SignatoryTitle ?? "", Font(brand.SignatoryTitle, 9.5, XFontStyleEx.Regular), new XSolidBrush(Muted), new XRect(signatureLeft, lineY + 18, 210, 14), XStringFormats.TopLeft);
        }

        const double qrSize = 86;
        var qrLeft = width - margin - 50 - qrSize;
        using (var qrStream = new MemoryStream(CertificateQr.Png(verificationUrl, pixelsPerModule: 6), writable: false))
        using (var qr = XImage.FromStream(qrStream))
        {
            gfx.DrawImage(qr, qrLeft, lineY - qrSize + 30, qrSize, qrSize);
        }

        var codeBox = new XRect(signatureLeft + 220, lineY - 6, qrLeft - signatureLeft - 230, 40);
        var codeFormatter = new XTextFormatter(gfx) { Alignment = XParagraphAlignment.Center };
        var code = t["Verification code {0}", c.Code];
        codeFormatter.DrawString(code, Font(code, 10, XFontStyleEx.Bold), new XSolidBrush(Ink), codeBox, XStringFormats.TopLeft);
        codeFormatter.DrawString(verificationUrl, Font(verificationUrl, 8, XFontStyleEx.Regular), new XSolidBrush(Muted), new XRect(codeBox.X, codeBox.Y + 15, codeBox.Width, 24), XStringFormats.TopLeft);
    }

    // Draws one line centred in [left, left + width] from the top y; returns the y below it.
    private static double Centred(XGraphics gfx, string text, XFont font, XColor colour, double left, double width, double y)
    {
        var height = font.GetHeight();
        gfx.DrawString(text, font, new XSolidBrush(colour), new XRect(left, y, width, height), XStringFormats.TopCenter);
        return y + height;
    }

    // Draws text wrapped and centred in a box of at most `lines` lines (cut there); returns the y below what it took.
    private static double Wrapped(XGraphics gfx, string text, XFont font, XColor colour, double left, double width, double y, int lines)
    {
        var lineHeight = font.GetHeight();
        var needed = Math.Min(lines, Math.Max(1, (int)Math.Ceiling(gfx.MeasureString(text, font).Width / width * 1.15)));
        var box = new XRect(left, y, width, lineHeight * needed);
        new XTextFormatter(gfx) { Alignment = XParagraphAlignment.Center }.DrawString(text, font, new XSolidBrush(colour), box, XStringFormats.TopLeft);
        return y + box.Height;
    }

    // The largest size up to `size` at which the text fits the width on one line (a long name stays one line).
    private static XFont Shrunk(XGraphics gfx, string text, string family, double size, XFontStyleEx style, double width)
    {
        var font = new XFont(family, size, style);
        while (size > 12 && gfx.MeasureString(text, font).Width > width)
        {
            size -= 1;
            font = new XFont(family, size, style);
        }

        return font;
    }

    private static (double Width, double Height) Fit(int width, int height, double maxWidth, double maxHeight)
    {
        var scale = Math.Min(maxWidth / Math.Max(1, width), maxHeight / Math.Max(1, height));
        return (width * scale, height * scale);
    }
}
