using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LearnHub.Grains.Time;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace LearnHub.Silo.Media;

/// <summary>
/// Short-lived proof, carried in a media URL, that the holder reached it from a registration's private manage link:
/// registrants watch and download registrants-only media without an account. A pass names one registration and one
/// item and an expiry (by <see cref="LearnHubClock"/>), encrypted and signed with the shared data-protection keys. It
/// proves only who sent the visitor: the registration must still hold a confirmed seat when the file is asked for, so
/// a cancelled registration's passes stop working at once.
/// </summary>
public sealed class MediaPasses(IDataProtectionProvider protection, LearnHubClock clock)
{
    /// <summary>How long a pass works: enough to watch a long recording from one visit to the manage page.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(6);

    /// <summary>
    /// How long the pass in a "recording is ready" or "you missed it" email works: a mail is opened days or months
    /// later, and the registration must still hold its seat anyway. After that, the manage link issues fresh passes.
    /// </summary>
    public static readonly TimeSpan MailLifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector _protector = protection.CreateProtector("LearnHub.MediaPass.v1");

    /// <summary>A pass for registration <paramref name="registrationId"/> to item <paramref name="mediaId"/>, working for <see cref="Lifetime"/>.</summary>
    public string Issue(Guid registrationId, Guid mediaId) => Issue(registrationId, mediaId, Lifetime);

    /// <summary>A pass for registration <paramref name="registrationId"/> to item <paramref name="mediaId"/>, working for <paramref name="lifetime"/>.</summary>
    public string Issue(Guid registrationId, Guid mediaId, TimeSpan lifetime)
    {
        var expires = (clock.GetUtcNow() + lifetime).ToUnixTimeMilliseconds();
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{registrationId:N}.{mediaId:N}.{expires}"));
        return WebEncoders.Base64UrlEncode(_protector.Protect(payload));
    }

    /// <summary>The registration a pass was issued to, when it is genuine, unexpired and for this very item; else null.</summary>
    public Guid? Open(string? pass, Guid mediaId)
    {
        if (string.IsNullOrEmpty(pass) || pass.Length > 512)
        {
            return null;
        }

        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(pass)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        var parts = payload.Split('.');
        return parts.Length == 3
            && Guid.TryParseExact(parts[0], "N", out var registration)
            && Guid.TryParseExact(parts[1], "N", out var media) && media == mediaId
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow().ToUnixTimeMilliseconds() < expires
            ? registration
            : null;
    }
}
