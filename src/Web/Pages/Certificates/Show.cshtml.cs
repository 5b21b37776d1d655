using LearnHub.Silo.Certificates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Certificates;

/// <summary>
/// A certificate, printable to one page from the browser. The person it names sees it signed in (by the account's
/// email) or through the key in the emailed link (most registrants have no account); organizers and admins see it
/// too. Anyone else gets "not found", so a certificate's existence is not given away by its id.
/// </summary>
[AllowAnonymous]
public sealed class ShowModel(CertificateStore certificates, CertificateKeys keys) : PageModel
{
    /// <summary>The certificate.</summary>
    public CertificateView Certificate { get; private set; } = null!;

    /// <summary>Shows it, or 404.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var keyed = keys.Opens(Request.Query[CertificateKeys.Parameter], id);
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
        return Page();
    }
}
