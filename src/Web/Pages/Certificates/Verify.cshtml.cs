using LearnHub.Grains.Certificates;
using LearnHub.Silo.Certificates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Certificates;

/// <summary>What a verification came to.</summary>
public enum VerificationOutcome
{
    /// <summary>Nothing asked yet.</summary>
    None,

    /// <summary>Not a code LearnHub issues (a typo, most likely).</summary>
    Malformed,

    /// <summary>A well-formed code that no certificate has.</summary>
    Unknown,

    /// <summary>A live certificate.</summary>
    Valid,

    /// <summary>A certificate that was revoked.</summary>
    Revoked,
}

/// <summary>
/// Public verification of a certificate code (/verify, /verify/{code}): valid, revoked (with its date), no such
/// certificate, or not a valid code. It shows what the certificate itself shows and nothing more — never the email.
/// </summary>
[AllowAnonymous]
public sealed class VerifyModel(CertificateStore certificates) : PageModel
{
    /// <summary>The code as typed.</summary>
    public string? Typed { get; private set; }

    /// <summary>The answer.</summary>
    public VerificationOutcome Outcome { get; private set; }

    /// <summary>The certificate, when found.</summary>
    public CertificateView? Certificate { get; private set; }

    /// <summary>Answers for a code in the path, or in the form's query (then redirected to the code's own address).</summary>
    public async Task<IActionResult> OnGetAsync(string? code, [FromQuery(Name = "q")] string? query, CancellationToken cancellationToken)
    {
        if (code is null && query is not null)
        {
            var (reading, canonical) = CertificateCode.Read(query);
            return reading == CodeReading.WellFormed ? Redirect($"/verify/{canonical}") : await AnswerAsync(query, cancellationToken);
        }

        return code is null ? Page() : await AnswerAsync(code, cancellationToken);
    }

    private async Task<IActionResult> AnswerAsync(string typed, CancellationToken cancellationToken)
    {
        Typed = typed.Length > 80 ? typed[..80] : typed;
        var (reading, canonical) = CertificateCode.Read(typed);
        if (reading == CodeReading.Malformed)
        {
            Outcome = VerificationOutcome.Malformed;
            return Page();
        }

        Certificate = await certificates.FindByCodeAsync(canonical!, cancellationToken);
        Outcome = Certificate is null ? VerificationOutcome.Unknown : Certificate.IsLive ? VerificationOutcome.Valid : VerificationOutcome.Revoked;
        return Page();
    }
}
