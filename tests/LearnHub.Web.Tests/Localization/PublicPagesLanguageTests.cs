using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// The public and registrant pages speak the visitor's language: the catalog (its month view too, with month and day
/// names of that language), a session page with its registration form, and what the form says back after a bad post
/// or a registration. The data (titles, names, zones) stays as the organizer and the registrant wrote it.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class PublicPagesLanguageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("""<html lang="([^"]+)">""")]
    private static partial Regex HtmlLang();

    private async Task<(string Lang, string Html)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (HtmlLang().Match(html).Groups[1].Value, WebUtility.HtmlDecode(html));
    }

    [Theory]
    [InlineData("es", "Catálogo de capacitaciones", "Mostrar sesiones", "Seminario web nacional", "Lugares disponibles: 100 de 100", "¿Ya se inscribió?")]
    [InlineData("zh-Hans", "培训课程目录", "显示场次", "全国网络研讨会", "剩余名额：100/100", "已经报名了？")]
    public async Task TheCatalog_SpeaksTheChosenLanguage_AroundTheOrganizersOwnTitles(string culture, string heading, string button, string kind, string seats, string already)
    {
        await _app.SeriesWithWebinarAsync();

        var (lang, html) = await GetAsync(_app.CreateClient(), $"/?culture={culture}");

        Assert.Equal(culture, lang);
        Assert.Contains($"<h1>{heading}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($">{button}</button>", html, StringComparison.Ordinal);
        Assert.Contains($">{kind}</span>", html, StringComparison.Ordinal);
        Assert.Contains(seats, html, StringComparison.Ordinal);
        Assert.Contains(already, html, StringComparison.Ordinal);
        Assert.Contains("Simulation Labs for Child Welfare Education", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Training catalog", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es")]
    [InlineData("zh-Hans")]
    public async Task TheCatalogsMonth_NamesItsMonthAndWeekdays_InTheChosenLanguage(string culture)
    {
        var month = _app.Clock.GetUtcNow().AddDays(7);
        var first = new DateOnly(month.Year, month.Month, 1);
        var names = CultureInfo.GetCultureInfo(culture);

        var (_, html) = await GetAsync(_app.CreateClient(), $"/?view=month&month={first:yyyy-MM}&culture={culture}");

        Assert.Contains($"<h2 id=\"results-heading\">{first.ToString("Y", names)}</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<li>{names.DateTimeFormat.GetAbbreviatedDayName(DayOfWeek.Monday)}</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(first.ToString("MMMM yyyy", CultureInfo.GetCultureInfo("en-US")), html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Inscribirse", "Nombre completo (obligatorio)", "Su zona horaria (obligatorio)", "Todas las zonas horarias", "Enviarme mis inscripciones por correo")]
    [InlineData("zh-Hans", "报名", "全名（必填）", "您所在的时区（必填）", "所有时区", "通过邮件发送我的报名清单")]
    public async Task TheSessionPage_AndItsRegistrationForm_SpeakTheChosenLanguage(string culture, string register, string name, string zone, string allZones, string emailMine)
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();

        var (lang, html) = await GetAsync(_app.CreateClient(), $"/sessions/{session}?culture={culture}");

        Assert.Equal(culture, lang);
        Assert.Contains($"<h2 id=\"register\">{register}</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<label for=\"f-name\">{name}</label>", html, StringComparison.Ordinal);
        Assert.Contains($"<label for=\"f-timeZone\">{zone}</label>", html, StringComparison.Ordinal);
        Assert.Contains($"<optgroup label=\"{allZones}\">", html, StringComparison.Ordinal);
        Assert.Contains($">{emailMine}</button>", html, StringComparison.Ordinal);
        // The organizer wrote no translation: the title is the original, marked as English for screen readers.
        Assert.Contains("<h1 lang=\"en\">Simulation Labs for Child Welfare Education</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Full name (required)", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Hay un problema", "Su inscripción está confirmada")]
    [InlineData("zh-Hans", "出现问题", "您已报名成功")]
    public async Task TheRegistrationForm_AnswersInTheLanguageItWasPostedIn(string culture, string problem, string registered)
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var (_, form) = await GetAsync(client, $"/sessions/{session}?culture={culture}");
        var token = Forms.AntiforgeryToken(form);
        Dictionary<string, string> Fields(string name) => new()
        {
            ["__RequestVerificationToken"] = token, ["Form.Name"] = name, ["Form.Email"] = $"pat.{culture}@example.org",
            ["Form.Agency"] = "County DCF", ["Form.JobRole"] = "Caseworker", ["Form.TimeZone"] = "America/Denver", ["Form.Accommodations"] = "",
        };

        using var bad = await client.PostAsync($"/sessions/{session}?culture={culture}", new FormUrlEncodedContent(Fields("")));
        var badHtml = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        using var good = await client.PostAsync($"/sessions/{session}?culture={culture}", new FormUrlEncodedContent(Fields("Pat Doe")));
        var (lang, confirmation) = await GetAsync(client, $"{good.Headers.Location!.OriginalString}?culture={culture}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains(problem, badHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(culture, lang);
        Assert.Contains($"<h1>{registered}</h1>", confirmation, StringComparison.Ordinal);
        Assert.Contains("Pat Doe", confirmation, StringComparison.Ordinal);
    }
}
