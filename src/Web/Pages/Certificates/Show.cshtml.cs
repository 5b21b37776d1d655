using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Certificates;

/// <summary>
/// A certificate, printable to one page from the browser. Only the person it names, organizers and admins see it;
/// anyone else gets "not found", so a certificate's existence is not given away by its id.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class ShowModel(CertificateStore certificates) : PageModel
{
    /// <summary>The certificate.</summary>
    public CertificateView Certificate { get; private set; } = null!;

    /// <summary>Shows it, or 404.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await certificates.FindAsync(id, cancellationToken) is not { } found || !CertificateAccess.MaySee(User, found))
        {
            return NotFound();
        }

        Certificate = found;
        return Page();
    }
}
