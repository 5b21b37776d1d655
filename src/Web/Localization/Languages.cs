using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace LearnHub.Web.Localization;

/// <summary>One interface language: its BCP 47 tag (also the .resx culture) and its name in itself, as a picker shows it.</summary>
public sealed record Language(string Tag, string Endonym);

/// <summary>
/// The interface languages LearnHub speaks. English is the default and the source text; Spanish and Simplified
/// Chinese are, after English, the languages most spoken by the staff of US human-services agencies.
/// </summary>
public static class Languages
{
    /// <summary>The language of a visitor who asked for none LearnHub speaks.</summary>
    public const string Default = "en";

    /// <summary>Every language, in the order a picker lists them.</summary>
    public static IReadOnlyList<Language> All { get; } =
    [
        new("en", "English"),
        new("es", "Español"),
        new("zh-Hans", "中文（简体）"),
    ];

    /// <summary>The cultures request localization accepts, for formatting and for interface text alike.</summary>
    public static IList<CultureInfo> Cultures => [.. All.Select(l => CultureInfo.GetCultureInfo(l.Tag))];

    /// <summary>The language whose tag is <paramref name="tag"/> (ignoring case), or null.</summary>
    public static Language? Find(string? tag) => All.FirstOrDefault(l => string.Equals(l.Tag, tag, StringComparison.OrdinalIgnoreCase));

    /// <summary>The language of the current request, from its UI culture or the nearest parent LearnHub speaks.</summary>
    public static Language Current
    {
        get
        {
            for (var culture = CultureInfo.CurrentUICulture; !Equals(culture, CultureInfo.InvariantCulture); culture = culture.Parent)
            {
                if (Find(culture.Name) is { } language)
                {
                    return language;
                }
            }

            return All[0];
        }
    }

    /// <summary>
    /// Where a visitor's choice is remembered. The framework's own cookie, so the framework's cookie provider reads it;
    /// a year long, and sent only to LearnHub.
    /// </summary>
    public static string CookieName => CookieRequestCultureProvider.DefaultCookieName;

    /// <summary>
    /// Remembers <paramref name="language"/> in the culture cookie for a year: the picker's choice, and at sign-in the
    /// language a signed-in person chose on another device (their learner preference).
    /// </summary>
    public static void Remember(HttpResponse response, Language language, DateTimeOffset now, bool secure)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(language);
        response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language.Tag)), new CookieOptions
        {
            Expires = now.AddYears(1),
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = secure,
            IsEssential = true,
        });
    }

    /// <summary>The request-localization settings: the visitor's choice (query, then cookie) over Accept-Language over English.</summary>
    public static void Configure(RequestLocalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cultures = Cultures;
        options.DefaultRequestCulture = new RequestCulture(Default);
        options.SupportedCultures = cultures;
        options.SupportedUICultures = cultures;
        // zh-CN, zh-SG and zh (ICU's parents lead to zh-Hans) and es-MX, es-US... find the language they belong to.
        options.FallBackToParentCultures = true;
        options.FallBackToParentUICultures = true;
        options.ApplyCurrentCultureToResponseHeaders = true;
        options.RequestCultureProviders =
        [
            new QueryStringRequestCultureProvider(),
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
    }
}
