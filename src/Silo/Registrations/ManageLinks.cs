using System.Security.Cryptography;
using System.Text;
using LearnHub.Grains.Registrations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace LearnHub.Silo.Registrations;

/// <summary>
/// The private manage link: the group id and its random secret, encrypted and signed with the data-protection keys.
/// A tampered or foreign token fails to unprotect; a valid-looking one whose secret does not match the stored one
/// opens nothing either.
/// </summary>
public sealed class ManageLinks(IDataProtectionProvider protection, RegistrationReader registrations)
{
    private readonly IDataProtector _protector = protection.CreateProtector("LearnHub.ManageLink.v1");
    private readonly IDataProtector _feeds = protection.CreateProtector("LearnHub.LearnerFeed.v1");

    /// <summary>The secret token of a learner's private calendar feed (their normalized email, encrypted and signed).</summary>
    public string FeedTokenFor(string normalizedEmail) =>
        WebEncoders.Base64UrlEncode(_feeds.Protect(Encoding.UTF8.GetBytes(normalizedEmail)));

    /// <summary>The learner a feed token belongs to, or null for a tampered or foreign token.</summary>
    public string? OpenFeedToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(_feeds.Unprotect(WebEncoders.Base64UrlDecode(token)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The absolute manage URL for a token, under the public base URL (emails) or a request's own (pages).</summary>
    public static string Url(string baseUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}/registrations/{token}";
    }

    /// <summary>The token for a group.</summary>
    public string TokenFor(RegistrationGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var payload = Encoding.UTF8.GetBytes($"{group.Id:N}.{group.Secret}");
        return WebEncoders.Base64UrlEncode(_protector.Protect(payload));
    }

    /// <summary>The group a token opens, or null for a tampered, foreign or stale token.</summary>
    public async Task<RegistrationGroupView?> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return null;
        }

        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        var dot = payload.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !Guid.TryParseExact(payload[..dot], "N", out var groupId))
        {
            return null;
        }

        var group = await registrations.FindGroupAsync(groupId, cancellationToken);
        var secret = Encoding.UTF8.GetBytes(payload[(dot + 1)..]);
        return group is not null && CryptographicOperations.FixedTimeEquals(secret, Encoding.UTF8.GetBytes(group.Secret)) ? group : null;
    }
}
