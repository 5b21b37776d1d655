using System.Net;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// An organizer translates a session's own text on one form for both languages; a Spanish reader then sees the Spanish
/// title, and a Chinese reader, for whom nothing was translated, the English original marked as English. A wrong
/// translation is refused at its field and nothing is stored; only organizers reach the form.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class ContentTranslationPagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Dictionary<string, string> Form(string spanishTitle, string spanishBio = "") => new()
    {
        ["Forms[0].Language"] = "es",
        ["Forms[0].Title"] = spanishTitle,
        ["Forms[0].Description"] = "Cómo los laboratorios de **simulación** forman al personal nuevo.",
        ["Forms[0].Bios[0]"] = spanishBio,
        ["Forms[1].Language"] = "zh-Hans",
        ["Forms[1].Title"] = "",
        ["Forms[1].Description"] = "",
        ["Forms[1].Bios[0]"] = "",
    };

    private async Task<string> PageAsync(string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await _app.CreateClient().SendAsync(request);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASpanishTitle_ReachesSpanishReaders_AndChineseReadersSeeTheOriginalMarkedEnglish()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var path = $"/organizer/sessions/{webinar}/translations";

        var saved = await Forms.PostAsync(organizer, path, path, Form("Laboratorios de simulación para la formación en bienestar infantil", "Dana dirige el equipo."));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var form = WebUtility.HtmlDecode(await organizer.GetStringAsync(path));
        Assert.Contains("Translations saved.", form, StringComparison.Ordinal);
        Assert.Contains("value=\"Laboratorios de simulación para la formación en bienestar infantil\"", form, StringComparison.Ordinal);
        var spanish = await PageAsync($"/sessions/{webinar}", "es");
        var chinese = await PageAsync($"/sessions/{webinar}", "zh-CN");
        var english = await PageAsync($"/sessions/{webinar}", "en-US");
        Assert.Contains(">Laboratorios de simulación para la formación en bienestar infantil</h1>", spanish, StringComparison.Ordinal);
        Assert.Contains("<strong>simulación</strong>", spanish, StringComparison.Ordinal);
        Assert.Contains("Dana dirige el equipo.", spanish, StringComparison.Ordinal);
        Assert.Contains("<h1 lang=\"en\">Simulation Labs for Child Welfare Education</h1>", chinese, StringComparison.Ordinal);
        Assert.Contains("<h1>Simulation Labs for Child Welfare Education</h1>", english, StringComparison.Ordinal);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal("translated into es", await connection.ExecuteScalarAsync<string>(
            "SELECT detail FROM audit_log WHERE action = 'session.translations' AND object_title = 'Simulation Labs for Child Welfare Education'"));
    }

    [Fact]
    public async Task ATitleTooLong_IsRefusedAtItsField_AndNothingIsStored()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var path = $"/organizer/sessions/{webinar}/translations";

        var refused = await Forms.PostAsync(organizer, path, path, Form(new string('a', 301)));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("<a href=\"#f-es.title\">The title must be at most 300 characters.</a>", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("Simulation Labs for Child Welfare Education</h1>", await PageAsync($"/sessions/{webinar}", "es"), StringComparison.Ordinal);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal("", await connection.ExecuteScalarAsync<string>("SELECT translations FROM sessions WHERE id = @id", new { id = webinar.ToString() }));
    }

    [Fact]
    public async Task OnlyOrganizers_ReachTheForm()
    {
        var (series, _, _) = await _app.SeriesWithWebinarAsync();
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var denied = await learner.GetAsync($"/organizer/series/{series}/translations");
        var signIn = await anonymous.GetAsync($"/organizer/series/{series}/translations");

        Assert.Equal((HttpStatusCode.Redirect, "/denied"), (denied.StatusCode, denied.Headers.Location!.AbsolutePath));
        Assert.Equal((HttpStatusCode.Redirect, "/signin"), (signIn.StatusCode, signIn.Headers.Location!.AbsolutePath));
    }
}
