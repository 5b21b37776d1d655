using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Testing;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// The organizer's pages speak the organizer's language: the sessions list, a series list and a session, with the
/// labels of grain values (kinds, states), the counted phrases, the dates the pages format and the messages their page
/// models write, in Spanish and Chinese; the data (titles, time zones) stays as typed.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class OrganizerPagesLanguageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;
    private Guid _series;
    private Guid _session;

    public async Task InitializeAsync()
    {
        _app = new LearnHubWebFactory(fixture.NewDirectory());
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var catalog = new GrainCatalog(_app.Services, _app.Clock);
        _series = await catalog.CreateSeriesAsync(new SeriesDraft("family-visits", "Family Visits", ""), default);
        var starts = new DateTimeOffset(2030, 12, 10, 18, 0, 0, TimeSpan.Zero);
        _session = await catalog.CreateSessionAsync(new SessionDraft(_series, SessionKind.NationalWebinar, "Safe Visits", "", starts, starts.AddHours(1),
            "America/Chicago", 20, [], Published: false), default);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> GetAsync(string path, string culture)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var response = await _organizer.GetAsync($"{path}{separator}culture={culture}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("es", "<h1>Organizar</h1>", "Nueva serie", "Mostrar sesiones", "Seminario web nacional", "Borrador", "Tipo")]
    [InlineData("zh-Hans", "<h1>活动管理</h1>", "新建系列课程", "显示场次", "全国网络研讨会", "草稿", "类型")]
    public async Task TheSessionsList_IsInTheOrganizersLanguage_WithTheirDates(string culture, string heading, string newSeries, string show, string kind, string state, string kindLabel)
    {
        var html = await GetAsync("/organizer", culture);

        Assert.Contains(heading, html, StringComparison.Ordinal);
        Assert.Contains(newSeries, html, StringComparison.Ordinal);
        Assert.Contains($">{show}</button>", html, StringComparison.Ordinal);
        Assert.Contains($">{kind}</span>", html, StringComparison.Ordinal);
        Assert.Contains($">{state}</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<label for=\"f-kind\">{kindLabel}</label>", html, StringComparison.Ordinal);
        Assert.Contains("Safe Visits", html, StringComparison.Ordinal);
        // 12:00 in Chicago, in the culture's own date and time pattern, not "Tue, Dec 10, 2030, 12:00 PM".
        Assert.DoesNotContain("Dec 10, 2030", html, StringComparison.Ordinal);
        Assert.Contains(culture == "es" ? "10/12/2030 12:00" : "2030/12/10 12:00", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Series por título", "Panel", "Preguntas de inscripción")]
    [InlineData("zh-Hans", "按名称排列的系列课程", "数据概览", "报名问题")]
    public async Task TheSeriesList_IsInTheOrganizersLanguage(string culture, string caption, string dashboard, string questions)
    {
        var html = await GetAsync("/organizer/series", culture);

        Assert.Contains($"<caption>{caption}</caption>", html, StringComparison.Ordinal);
        Assert.Contains($">{dashboard}<span class=\"visually-hidden\">", html, StringComparison.Ordinal);
        Assert.Contains($">{questions}<span class=\"visually-hidden\">", html, StringComparison.Ordinal);
        Assert.Contains("Family Visits", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Cancelar la sesión", "Agregar una persona inscrita", "0 de 20 ocupados · 0 en espera", "No hay solicitudes de adaptación.", "Escriba el nuevo inicio como fecha y hora.")]
    [InlineData("zh-Hans", "取消场次", "添加报名者", "已占 0 / 20 · 候补 0 人", "没有无障碍便利申请。", "请以日期和时间格式输入新的开始时间。")]
    public async Task ASession_IsInTheOrganizersLanguage_AndSoAreTheMessagesItsFormsWrite(string culture, string cancel, string add, string seats, string accommodations, string badStart)
    {
        var html = await GetAsync($"/organizer/sessions/{_session}", culture);
        var refused = await Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}?culture={culture}",
            $"/organizer/sessions/{_session}?handler=Reschedule&culture={culture}", new() { ["Starts"] = "soon", ["Ends"] = "2030-12-10T13:00" });
        var refusedHtml = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Contains($"<h2 id=\"cancel-heading\">{cancel}</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<h2 id=\"add-heading\">{add}</h2>", html, StringComparison.Ordinal);
        Assert.Contains(seats, html, StringComparison.Ordinal);
        Assert.Contains($"<p id=\"accommodation-summary\">{accommodations}</p>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Safe Visits</h1>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"<p class=\"field-error\" id=\"err-starts\">{badStart}</p>", refusedHtml, StringComparison.Ordinal);
    }
}
