using LearnHub.Grains.Time;

namespace LearnHub.Web.TimeZones;

/// <summary>
/// The zone a visitor reads times in: chosen once on any page and remembered in a cookie. Until they choose, each
/// session is shown in its own zone, always named, so no time on a page is ambiguous.
/// </summary>
public static class ViewerTimeZone
{
    /// <summary>The cookie that remembers the choice (a preference, not a secret).</summary>
    public const string CookieName = "lh_tz";

    /// <summary>Zones listed first in every picker: where most of LearnHub's agencies are.</summary>
    public static readonly IReadOnlyList<string> Common =
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "Pacific/Guam", "UTC",
    ];

    private static readonly Lazy<IReadOnlyList<string>> AllIds = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal).ToList());

    /// <summary>Every IANA zone the machine knows, sorted.</summary>
    public static IReadOnlyList<string> All => AllIds.Value;

    /// <summary>The visitor's chosen zone, or null when they have not chosen (or the cookie holds nonsense).</summary>
    public static string? Chosen(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies.TryGetValue(CookieName, out var id) && Zones.TryFind(id, out _) ? id : null;
    }

    /// <summary>Remembers a zone for a year.</summary>
    public static void Remember(HttpResponse response, string ianaId)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(CookieName, ianaId, new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365),
            HttpOnly = false,
            SameSite = SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
            IsEssential = true,
            Path = "/",
        });
    }

    /// <summary>"America/Chicago (UTC−06:00)": the label of a zone at an instant.</summary>
    public static string Label(string ianaId, DateTimeOffset at)
    {
        var offset = Zones.Get(ianaId).GetUtcOffset(at);
        return $"{ianaId} ({ZonedTime.FormatOffset(offset)})";
    }
}
