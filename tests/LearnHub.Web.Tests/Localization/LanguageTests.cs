using System.Net;
using System.Text.RegularExpressions;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// The interface language is the visitor's choice (the picker's link, remembered in a cookie) over their browser's
/// Accept-Language over English; each page says which it is in (<c>lang</c>, Content-Language) and offers the others.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class LanguageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("""<html lang="([^"]+)">""")]
    private static partial Regex HtmlLang();

    private async Task<(string Lang, string? ContentLanguage, string Html)> GetAsync(HttpClient client, string path, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (HtmlLang().Match(html).Groups[1].Value, response.Content.Headers.ContentLanguage.SingleOrDefault(), WebUtility.HtmlDecode(html));
    }

    [Theory]
    [InlineData(null, "en", "Catalog", "Verify a certificate")]
    [InlineData("es-MX,es;q=0.9,en;q=0.5", "es", "Catálogo", "Verificar un certificado")]
    [InlineData("zh-CN,zh;q=0.9", "zh-Hans", "课程目录", "验证证书")]
    [InlineData("fr-FR,fr;q=0.9", "en", "Catalog", "Verify a certificate")]
    public async Task TheBrowsersLanguage_ChoosesTheInterface_AndOneLearnHubDoesNotSpeakGivesEnglish(string? acceptLanguage, string lang, string catalog, string verify)
    {
        var (pageLang, contentLanguage, html) = await GetAsync(_app.CreateClient(), "/", acceptLanguage);

        Assert.Equal(lang, pageLang);
        Assert.Equal(lang, contentLanguage);
        Assert.Contains($">{catalog}</a>", html, StringComparison.Ordinal);
        Assert.Contains($">{verify}</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPage_OffersTheOtherLanguages_AsLinksBackToItself_EachNamedInItsOwnLanguage()
    {
        var (_, _, html) = await GetAsync(_app.CreateClient(), "/?q=labs", "en");

        Assert.Contains("""<a href="/language/es?returnUrl=%2F%3Fq%3Dlabs" lang="es" hreflang="es">Español</a>""", html, StringComparison.Ordinal);
        Assert.Contains("""<a href="/language/zh-Hans?returnUrl=%2F%3Fq%3Dlabs" lang="zh-Hans" hreflang="zh-Hans">中文（简体）</a>""", html, StringComparison.Ordinal);
        Assert.Contains("""lang="en" hreflang="en" aria-current="true">English</a>""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChosenLanguage_IsRemembered_OverTheBrowsersOwn_AndTheVisitorReturnsWhereTheyWere()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var chosen = await client.GetAsync("/language/zh-Hans?returnUrl=%2F%3Fq%3Dlabs");
        var (lang, _, html) = await GetAsync(client, "/?q=labs", "es-ES,es;q=0.9");
        await client.GetAsync("/language/ES?returnUrl=%2F");
        var (after, _, _) = await GetAsync(client, "/", "zh-CN");

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/?q=labs", chosen.Headers.Location!.OriginalString);
        var cookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Culture=c%3Dzh-Hans%7Cuic%3Dzh-Hans;", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("zh-Hans", lang);
        Assert.Contains("""lang="zh-Hans" hreflang="zh-Hans" aria-current="true">""", html, StringComparison.Ordinal);
        Assert.Equal("es", after);
    }

    [Theory]
    [InlineData("/language/fr?returnUrl=%2F", HttpStatusCode.NotFound, null)]
    [InlineData("/language/es?returnUrl=https%3A%2F%2Fevil.example%2F", HttpStatusCode.Redirect, "/")]
    [InlineData("/language/es?returnUrl=%2F%2Fevil.example%2F", HttpStatusCode.Redirect, "/")]
    [InlineData("/language/es?returnUrl=%2F%5Cevil.example%2F", HttpStatusCode.Redirect, "/")]
    [InlineData("/language/es", HttpStatusCode.Redirect, "/")]
    public async Task ALanguageLearnHubDoesNotSpeak_IsNotFound_AndAReturnAddressOffTheSite_LeadsHome(string link, HttpStatusCode status, string? location)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(link);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Equal(status == HttpStatusCode.NotFound, !response.Headers.Contains("Set-Cookie"));
    }
}
