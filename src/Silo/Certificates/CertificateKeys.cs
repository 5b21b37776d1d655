using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace LearnHub.Silo.Certificates;

/// <summary>
/// The key in a certificate's emailed link, so a registrant who never had an account (most register with an email
/// address alone) can open and print the certificate. A key names one certificate, is encrypted and signed with the
/// shared data-protection keys (valid on every node, and after restarts), and does not expire: a certificate is
/// kept for years. It opens the certificate page only; what a verification code shows is public anyway.
/// </summary>
public sealed class CertificateKeys(IDataProtectionProvider protection)
{
    /// <summary>The query parameter that carries the key.</summary>
    public const string Parameter = "key";

    private readonly IDataProtector _protector = protection.CreateProtector("LearnHub.CertificateKey.v1");

    /// <summary>The key to certificate <paramref name="certificateId"/>.</summary>
    public string Issue(Guid certificateId) =>
        WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(certificateId.ToString("N"))));

    /// <summary>The link to a certificate with its key, under <paramref name="publicBaseUrl"/>.</summary>
    public string Link(string publicBaseUrl, Guid certificateId) =>
        $"{publicBaseUrl.TrimEnd('/')}/certificates/{certificateId}?{Parameter}={Issue(certificateId)}";

    /// <summary>True when <paramref name="key"/> is genuine and names <paramref name="certificateId"/>.</summary>
    public bool Opens(string? key, Guid certificateId)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512)
        {
            return false;
        }

        try
        {
            var named = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(key)));
            return Guid.TryParseExact(named, "N", out var id) && id == certificateId;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
