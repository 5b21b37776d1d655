using System.Security.Claims;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Certificates;

namespace LearnHub.Web.Pages.Certificates;

/// <summary>Who may open a certificate's page: the person it names (by the signed-in account's email), organizers and admins.</summary>
public static class CertificateAccess
{
    /// <summary>True when <paramref name="user"/> may see <paramref name="certificate"/>.</summary>
    public static bool MaySee(ClaimsPrincipal user, CertificateView certificate)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(certificate);
        if (user.IsInRole(Role.Organizer.ToWire()) || user.IsInRole(Role.Admin.ToWire()))
        {
            return true;
        }

        var email = user.FindFirstValue(ClaimTypes.Email);
        return email is not null && string.Equals(Applicant.NormalizeEmail(email), certificate.EmailNormalized, StringComparison.Ordinal);
    }
}
