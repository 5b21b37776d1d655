using LearnHub.Grains.Branding;
using LearnHub.Silo.Branding;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Messaging;
using LearnHub.Web.Certificates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LearnHub.Web.Pages.Certificates;

/// <summary>
/// A certificate, printable to one page from the browser and downloadable as a one-page PDF. The person it names sees
/// it signed in (by the account's email) or through the key in the emailed link (most registrants have no account);
/// organizers and admins see it too. Anyone else gets "not found", so a certificate's existence is not given away by
/// its id.
/// </summary>
[AllowAnonymous]
public sealed class ShowModel(CertificateStore certificates, CertificateKeys keys, BrandingStore branding, IOptions<MailOptions> mail,
    Microsoft.Extensions.Localization.IStringLocalizer<LearnerResource> localizer) : PageModel
{
    /// <summary>The certificate.</summary>
    public CertificateView Certificate { get; private set; } = null!;

    /// <summary>The organisation's brand, as the certificate prints it.</summary>
    public Brand Brand { get; private set; } = Brand.Default;

    /// <summary>The public address that verifies this certificate (what the QR code encodes).</summary>
    public string VerificationUrl { get; private set; } = "";

    /// <summary>The PDF's address, carrying the key when the page was opened with one.</summary>
    public string PdfUrl { get; private set; } = "";

    /// <summary>Shows it, or 404.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    /// <summary>The same certificate as a one-page PDF (paper=a4 for A4; US Letter otherwise).</summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id, string? paper, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        var size = string.Equals(paper, "a4", StringComparison.OrdinalIgnoreCase) ? CertificatePaper.A4 : CertificatePaper.Letter;
        var pdf = CertificatePdf.Render(Certificate, Brand, VerificationUrl, size, localizer);
        return File(pdf, "application/pdf", $"certificate-{Certificate.Code}.pdf");
    }

    // The access rule of the page and the PDF alike; null when the certificate may be shown.
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var key = Request.Query[CertificateKeys.Parameter].ToString();
        var keyed = keys.Opens(key, id);
        if (!keyed && User.Identity?.IsAuthenticated != true)
        {
            // Without a key this page is for signed-in people: off to sign in, and back.
            return Challenge();
        }

        if (await certificates.FindAsync(id, cancellationToken) is not { } found || !(keyed || CertificateAccess.MaySee(User, found)))
        {
            return NotFound();
        }

        // The key is in the address: keep the page out of shared caches (the site sends no Referer anywhere).
        Response.Headers.CacheControl = "no-store";
        Certificate = found;
        Brand = await branding.CurrentAsync(cancellationToken);
        VerificationUrl = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/verify/{found.Code}";
        PdfUrl = $"/certificates/{id}/pdf" + (keyed ? $"?{CertificateKeys.Parameter}={Uri.EscapeDataString(key)}" : "");
        return null;
    }
}
