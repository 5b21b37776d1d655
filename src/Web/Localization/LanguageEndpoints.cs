using LearnHub.Grains.Time;
using Microsoft.AspNetCore.Localization;

namespace LearnHub.Web.Localization;

/// <summary>
/// The language picker's target. The picker is a list of plain links (it works without script, by keyboard, and reads as
/// a navigation list to a screen reader), so the choice is made by a GET that sets a cookie and goes back where the
/// visitor was; nothing else changes, so a forged link can do no more than switch someone's language.
/// </summary>
public static class LanguageEndpoints
{
    /// <summary>The address of the link that chooses <paramref name="language"/> and comes back to <paramref name="returnUrl"/>.</summary>
    public static string Link(Language language, string returnUrl) =>
        $"/language/{language.Tag}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Maps <c>GET /language/{tag}</c>.</summary>
    public static IEndpointRouteBuilder MapLanguagePicker(this IEndpointRouteBuilder app)
    {
        app.MapGet("/language/{tag}", (string tag, string? returnUrl, HttpContext http, LearnHubClock clock) =>
        {
            if (Languages.Find(tag) is not { } language)
            {
                return Results.NotFound();
            }

            http.Response.Cookies.Append(Languages.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language.Tag)), new CookieOptions
            {
                Expires = clock.GetUtcNow().AddYears(1),
                Path = "/",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                IsEssential = true,
            });
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    // Only a path on this site: never another host ("//evil.example", "/\evil.example") or a scheme.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
