using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LearnHub.Grains.Time;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Memory;

namespace LearnHub.Silo.Media;

/// <summary>
/// Short-lived proof, carried in a media URL, that the holder reached it from a registration's private manage link:
/// registrants watch and download registrants-only media without an account. A pass names one registration and one
/// item and an expiry (by <see cref="LearnHubClock"/>), encrypted and signed with the shared data-protection keys. It
/// proves only who sent the visitor: the registration must still hold a confirmed seat when the file is asked for, so
/// a cancelled registration's passes stop working at once.
/// </summary>
public sealed class MediaPasses(IDataProtectionProvider protection, LearnHubClock clock) : IDisposable
{
    /// <summary>How many genuine passes are remembered, so a player's report every 15 s is not decrypted each time.</summary>
    public const int RememberedPasses = 10_000;

    // Only passes that opened are remembered (a forgery never gets in), each for ten minutes after its last use and
    // never past its own expiry, which is checked on every use.
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _opened = new(new MemoryCacheOptions { SizeLimit = RememberedPasses });

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

        if (_opened.TryGetValue(pass, out (Guid Registration, Guid Media, long Expires) known))
        {
            return known.Media == mediaId && clock.GetUtcNow().ToUnixTimeMilliseconds() < known.Expires ? known.Registration : null;
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
        if (parts.Length != 3
            || !Guid.TryParseExact(parts[0], "N", out var registration)
            || !Guid.TryParseExact(parts[1], "N", out var media)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        _opened.Set(pass, (registration, media, expires), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Remembered });
        return media == mediaId && clock.GetUtcNow().ToUnixTimeMilliseconds() < expires ? registration : null;
    }

    /// <inheritdoc />
    public void Dispose() => _opened.Dispose();
}
