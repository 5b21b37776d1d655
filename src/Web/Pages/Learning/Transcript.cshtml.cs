using System.Globalization;
using System.Security.Claims;
using System.Text;
using LearnHub.Grains.Certificates;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Certificates;
using LearnHub.Web.Accounts;
using LearnHub.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Learning;

/// <summary>
/// The signed-in person's transcript: every certificate issued to their email (sessions and courses), revoked ones
/// shown as such and left out of the CE-hour total; also as CSV (/my-learning/transcript/csv).
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class TranscriptModel(CertificateStore certificates) : PageModel
{
    /// <summary>The certificates, newest training first.</summary>
    public IReadOnlyList<CertificateView> Certificates { get; private set; } = [];

    /// <summary>CE hours of the live certificates, in hundredths.</summary>
    public long TotalCenti => Certificates.Where(c => c.IsLive).Sum(c => (long)c.CeHoursCenti);

    /// <summary>Shows the transcript.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Certificates = await certificates.ForPersonAsync(MyEmail(), cancellationToken);

    /// <summary>The transcript as CSV, with the total on its last row.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        var csv = new StringBuilder("training,kind,credit,date,ce_hours,status,verification_code,issued_at_utc,revoked_at_utc\r\n");
        foreach (var c in Certificates)
        {
            csv.AppendJoin(',', new[]
            {
                c.TrainingTitle, c.Kind == CertificateKind.Course ? "course" : "session",
                c.Kind == CertificateKind.Course ? "" : CertificateCredit.ToWire(c.Credit), c.TrainingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                c.CeHours, c.IsLive ? "valid" : "revoked", c.Code, c.IssuedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                c.RevokedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "",
            }.Select(Csv.Cell)).Append("\r\n");
        }

        csv.AppendJoin(',', new[] { "Total CE hours (valid certificates)", "", "", "", CeHours.Format(TotalCenti), "", "", "", "" }.Select(Csv.Cell)).Append("\r\n");
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", "transcript.csv");
    }

    private string MyEmail() => Applicant.NormalizeEmail(User.FindFirstValue(ClaimTypes.Email) ?? "");
}
