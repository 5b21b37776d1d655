using System.Globalization;
using System.Security.Claims;
using LearnHub.Grains;
using LearnHub.Grains.Branding;
using LearnHub.Silo.Branding;
using LearnHub.Web.Accounts;
using LearnHub.Web.Certificates;
using LearnHub.Web.Pages.Organizer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Admin;

/// <summary>
/// The organisation's brand: its name (header, emails, certificates), the provider or approval number certificates
/// print, the signatory, and two images: the logo and the signature. Images are checked as images from their bytes,
/// and must also open in the PDF writer, so no certificate can fail to render later; nothing is stored otherwise.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class BrandingModel(BrandingStore branding, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The brand as stored.</summary>
    public Brand Brand { get; private set; } = Brand.Default;

    /// <summary>The organisation's name.</summary>
    [BindProperty]
    public string? OrganisationName { get; set; }

    /// <summary>The provider or approval number.</summary>
    [BindProperty]
    public string? ProviderNumber { get; set; }

    /// <summary>Who signs the certificates.</summary>
    [BindProperty]
    public string? SignatoryName { get; set; }

    /// <summary>The signatory's title.</summary>
    [BindProperty]
    public string? SignatoryTitle { get; set; }

    /// <summary>Field errors, keyed by field (organisationName … logo, signature).</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Shows the form filled with the stored brand.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Brand = await branding.CurrentAsync(cancellationToken);
        (OrganisationName, ProviderNumber, SignatoryName, SignatoryTitle) = (Brand.OrganisationName, Brand.ProviderNumber, Brand.SignatoryName, Brand.SignatoryTitle);
    }

    /// <summary>Saves the texts; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostDetailsAsync(CancellationToken cancellationToken)
    {
        var details = new BrandDetails(OrganisationName, ProviderNumber, SignatoryName, SignatoryTitle);
        foreach (var (field, problem) in BrandRules.Problems(details))
        {
            Errors.Add(field, problem);
        }

        if (Errors.None)
        {
            try
            {
                await branding.SaveDetailsAsync(details, Actor(), cancellationToken);
                Notice = t["Saved the organisation's details."];
                return RedirectToPage();
            }
            catch (DomainException e)
            {
                Errors.Add("organisationName", e.Message);
            }
        }

        Brand = await branding.CurrentAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Replaces (or, with remove, deletes) the logo or the signature.</summary>
    public async Task<IActionResult> OnPostImageAsync(string kind, IFormFile? file, bool remove, CancellationToken cancellationToken)
    {
        if (kind is not ("logo" or "signature"))
        {
            return BadRequest();
        }

        var which = kind == "logo" ? BrandImageKind.Logo : BrandImageKind.Signature;
        if (remove)
        {
            await branding.SetImageAsync(which, null, Actor(), cancellationToken);
            Notice = kind == "logo" ? t["Removed the logo."] : t["Removed the signature."];
            return RedirectToPage();
        }

        string? problem;
        if (file is null || file.Length == 0)
        {
            problem = t["Choose a PNG or JPEG file."];
        }
        else if (file.Length > BrandRules.MaxImageBytes)
        {
            problem = t["The image is {0} KB; the limit is {1} KB. Save it smaller.", (file.Length / 1024).ToString("N0", CultureInfo.CurrentCulture), BrandRules.MaxImageBytes / 1024];
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            (var image, problem) = BrandRules.Inspect(buffer.ToArray());
            if (image is not null && !CertificatePdf.CanDraw(image))
            {
                problem = t["The image could not be decoded. Save it again as a plain PNG or JPEG (not interlaced or CMYK)."];
            }
            else if (image is not null)
            {
                await branding.SetImageAsync(which, image, Actor(), cancellationToken);
                Notice = kind == "logo"
                    ? t["Saved the new logo ({0}×{1} pixels).", image.Width, image.Height]
                    : t["Saved the new signature ({0}×{1} pixels).", image.Width, image.Height];
                return RedirectToPage();
            }
        }

        Errors.Add(kind, problem!);
        await OnGetAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>An image as a data: address, to preview it here (the signature has no address of its own).</summary>
    public static string DataUrl(BrandImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return $"data:{image.ContentType};base64,{Convert.ToBase64String(image.Content)}";
    }

    private BrandActor Actor() => new(User.AccountId(), User.FindFirstValue(ClaimTypes.Email), HttpContext.Connection.RemoteIpAddress?.ToString());
}
