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
    private readonly IDataProtector _feeds = protection.CreateProtector("LearnHub.CalendarFeed.v2");

    /// <summary>
    /// The secret token of a private calendar feed: of one registration group (offered on its manage page), or of a
    /// signed-in account (offered on "My learning"). Never of a bare email: registering needs no proof of owning one.
    /// </summary>
    public string FeedTokenFor(RegistrationGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Protect($"g:{group.Id:N}.{group.Secret}");
    }

    /// <summary>The feed token of an account.</summary>
    public string FeedTokenFor(Guid accountId) => Protect($"a:{accountId:N}");

    /// <summary>What a feed token opens: a group (checked against its secret) or an account id; nothing when tampered.</summary>
    public async Task<(RegistrationGroupView? Group, Guid? AccountId)> OpenFeedTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return (null, null);
        }

        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(_feeds.Unprotect(WebEncoders.Base64UrlDecode(token)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return (null, null);
        }

        if (payload.StartsWith("a:", StringComparison.Ordinal) && Guid.TryParseExact(payload[2..], "N", out var account))
        {
            return (null, account);
        }

        return payload.StartsWith("g:", StringComparison.Ordinal) ? (await OpenPayloadAsync(payload[2..], cancellationToken), null) : (null, null);
    }

    private string Protect(string payload) => WebEncoders.Base64UrlEncode(_feeds.Protect(Encoding.UTF8.GetBytes(payload)));

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

        return await OpenPayloadAsync(payload, cancellationToken);
    }

    private async Task<RegistrationGroupView?> OpenPayloadAsync(string payload, CancellationToken cancellationToken)
    {
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
