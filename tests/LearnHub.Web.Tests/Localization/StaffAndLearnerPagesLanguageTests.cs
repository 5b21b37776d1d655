using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Mentoring;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// A learner's pages (My learning, certificate verification) and the staff's (the mentor's own page, the coordinators'
/// mentors list) in Spanish and Chinese: headings, labels and statuses from their resource files, and dates and hours
/// written the way the chosen language writes them. The app's clock stands at November 22, 2026.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class StaffAndLearnerPagesLanguageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<string> PageAsync(HttpClient client, string path, string culture)
    {
        var response = await client.GetAsync($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}culture={culture}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"<html lang=\"{culture}\">", html, StringComparison.Ordinal);
        return html;
    }

    /// <summary>A mentor (in UTC) with a profile and one mentee assigned today: the first follow-up falls on December 22, 2026.</summary>
    private async Task<string> MentorWithAMenteeAsync()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        var mentoring = _app.Services.GetRequiredService<MentoringStore>();
        var mentor = await _app.AccountAsync(Role.Mentor);
        var mentorId = (await accounts.FindAsync(mentor, default))!.Id;
        Assert.Empty(await mentoring.SaveProfileAsync(new MentorProfile(mentorId, "NJ DCF", "Northeast", ["youth"], [], "UTC", 5, true), default));
        var (_, id) = await mentoring.AssignAsync(mentorId, (await accounts.FindAsync(await _app.AccountAsync(Role.Learner), default))!.Id, false, default);
        Assert.NotNull(id);
        return mentor;
    }

    [Theory]
    [InlineData("es", "<h1>Mi aprendizaje</h1>", "Su calendario privado", "Obtener un enlace privado nuevo", "Descargar mis datos")]
    [InlineData("zh-Hans", "<h1>我的学习</h1>", "您的私人日历", "获取新的私人链接", "下载我的数据")]
    public async Task MyLearning_SpeaksTheChosenLanguage(string culture, string heading, string calendar, string newLink, string download)
    {
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));

        var html = await PageAsync(learner, "/my-learning", culture);

        foreach (var text in new[] { heading, calendar, newLink, download })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Your private calendar", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Certificado válido", "<dt>Emitido a</dt>", "19 de noviembre de 2026", "<dd>2,25</dd>", "Simulation Labs (sesión)")]
    [InlineData("zh-Hans", "有效证书", "<dt>颁发给</dt>", "2026年11月19日", "<dd>2.25</dd>", "Simulation Labs（课程）")]
    public async Task CertificateVerification_SpeaksTheChosenLanguage_WithItsDatesAndHours(string culture, string valid, string issuedTo, string date, string hours, string training)
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 225);
        await CertificateSetup.AttendAsync(_app, session, "robin.diaz@example.org", "Robin Diaz");
        var certificate = await CertificateSetup.CertificateAsync(_app, "robin.diaz@example.org", session);

        var html = await PageAsync(_app.CreateClient(), $"/verify/{certificate.Code}", culture);

        foreach (var text in new[] { valid, issuedTo, date, hours, training, "Robin Diaz" })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("November", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "<h1>Mis mentorados</h1>", "Próximos (1)", "22 de diciembre de 2026", "Registrar, cambiar de fecha u omitir", "No hay nada atrasado.")]
    [InlineData("zh-Hans", "<h1>我指导的同事</h1>", "即将到来（1）", "2026年12月22日", "记录、改期或跳过", "没有逾期的跟进。")]
    public async Task TheMentorsPage_SpeaksTheChosenLanguage_WithItsDates(string culture, string heading, string comingUp, string due, string action, string nothingOverdue)
    {
        var mentor = await _app.SignedInClientAsync(await MentorWithAMenteeAsync());

        var html = await PageAsync(mentor, "/mentoring", culture);

        foreach (var text in new[] { heading, comingUp, due, action, nothingOverdue })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("December", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "<caption>Perfiles de mentores pares</caption>", "aria-label=\"Coordinación de la mentoría entre pares\"", "aria-current=\"page\">Mentores pares</a>", "<td>Activa</td>", "Pausar")]
    [InlineData("zh-Hans", "<caption>同伴导师资料</caption>", "aria-label=\"同伴导师计划协调\"", "aria-current=\"page\">同伴导师</a>", "<td>有效</td>", "暂停")]
    public async Task TheCoordinatorsMentorsList_SpeaksTheChosenLanguage(string culture, string caption, string nav, string current, string status, string pause)
    {
        await MentorWithAMenteeAsync();
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));

        var html = await PageAsync(coordinator, "/coordination/mentors", culture);

        foreach (var text in new[] { caption, nav, current, status, pause })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Mentor profiles", html, StringComparison.Ordinal);
    }
}
