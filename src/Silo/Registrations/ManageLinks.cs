using System.Globalization;
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
public sealed class ManageLinks(IDataProtectionProvider protection, RegistrationGroups registrations)
{
    private readonly IDataProtector _protector = protection.CreateProtector("LearnHub.ManageLink.v1");
    private readonly IDataProtector _feeds = protection.CreateProtector("LearnHub.CalendarFeed.v2");

    /// <summary>
    /// The secret token of a private calendar feed: of one registration group (offered on its manage page), or of a
    /// signed-in account (offered on "My learning"). Never of a bare email: registering needs no proof of owning one.
    /// It names the learner's feed-token version (<see cref="LearnHub.Grains.Learners.LearnerPreferences.FeedTokenVersion"/>):
    /// when the learner asks for a new link, the version rises and every link made before stops working.
    /// </summary>
    public string FeedTokenFor(RegistrationGroup group, int version)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Protect(string.Create(CultureInfo.InvariantCulture, $"g:{group.Id:N}.{group.Secret}{VersionMark}{version}"));
    }

    /// <summary>The feed token of an account, at the learner's feed-token version.</summary>
    public string FeedTokenFor(Guid accountId, int version) => Protect(string.Create(CultureInfo.InvariantCulture, $"a:{accountId:N}{VersionMark}{version}"));

    /// <summary>
    /// What a feed token opens: a group (checked against its secret) or an account id, with the feed-token version it was
    /// made at (0 for links made before versions existed); null when tampered or foreign.
    /// </summary>
    public async Task<FeedToken?> OpenFeedTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return null;
        }

        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(_feeds.Unprotect(WebEncoders.Base64UrlDecode(token)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        var version = 0;
        if (payload.LastIndexOf(VersionMark, StringComparison.Ordinal) is var mark and >= 0)
        {
            if (!int.TryParse(payload.AsSpan(mark + VersionMark.Length), NumberStyles.None, CultureInfo.InvariantCulture, out version))
            {
                return null;
            }

            payload = payload[..mark];
        }

        if (payload.StartsWith("a:", StringComparison.Ordinal) && Guid.TryParseExact(payload[2..], "N", out var account))
        {
            return new FeedToken(null, account, version);
        }

        return payload.StartsWith("g:", StringComparison.Ordinal) && await OpenPayloadAsync(payload[2..], cancellationToken) is { } group
            ? new FeedToken(group, null, version)
            : null;
    }

    // Never part of a group secret (hex) or an id (hex digits), so it cannot be confused with either.
    private const string VersionMark = ".v";

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

/// <summary>What a private feed token opens: a registration group or an account, and the feed-token version it names.</summary>
public sealed record FeedToken(RegistrationGroupView? Group, Guid? AccountId, int Version);
