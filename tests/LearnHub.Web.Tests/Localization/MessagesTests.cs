using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Content;
using LearnHub.Testing;
using LearnHub.Web.Localization;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// The rules speak English where they are written; what a person is shown is in their language. The catalog finds a
/// rule's sentence whole, or as a pattern whose values it translates again, and shows English for a sentence it does
/// not know rather than nothing. The API's problems answer in the language the request asks for.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class MessagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-Hans");
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EveryRefusalOfAProgressReport_IsInBothLanguages()
    {
        var start = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
        var counted = new Grains.Media.WatchProgress();
        counted.Add([new Grains.Media.PlayedSpan(0, 10)], 600, start);
        var refusals = new[]
        {
            counted.Problem([new(0, 10)], 0, start), counted.Problem([.. Enumerable.Range(0, 51).Select(i => new Grains.Media.PlayedSpan(i, i + 0.1))], 600, start),
            counted.Problem([new(-1, 5)], 600, start), counted.Problem([new(20, 10)], 600, start), counted.Problem([new(590, 700)], 600, start),
            counted.Problem([new(10, 20)], 600, start.AddSeconds(-1)), counted.Problem([new(10, 600)], 600, start),
        };

        Assert.Equal(7, refusals.OfType<string>().Distinct().Count());
        foreach (var refusal in refusals.OfType<string>())
        {
            Assert.NotEqual(refusal, Messages.Translate(refusal, Spanish));
            Assert.NotEqual(refusal, Messages.Translate(refusal, Chinese));
        }
    }

    [Fact]
    public void AWholeSentence_IsLookedUp_InTheCultureOrItsParent()
    {
        Assert.Equal("Responda cada pregunta una sola vez.", Messages.Translate("Answer each question once.", Spanish));
        Assert.Equal("Responda cada pregunta una sola vez.", Messages.Translate("Answer each question once.", CultureInfo.GetCultureInfo("es-MX")));
        Assert.Equal("Answer each question once.", Messages.Translate("Answer each question once.", CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void ASentenceWithValues_IsMatchedAsAPattern_AndItsWordsAreTranslatedToo()
    {
        var english = PlainText.Problem("first line\nsecond line", "The note", TextShape.SingleLine)!;

        Assert.Equal("The note must be on one line: remove the line break.", english);
        Assert.Equal("La nota debe estar en una sola línea: quite el salto de línea.", Messages.Translate(english, Spanish));
        Assert.Equal("备注必须写在一行内：请删除换行。", Messages.Translate(english, Chinese));
    }

    [Fact]
    public void AWordInsideASentence_ReadsTheCapitalizedEntry_WithASmallLetter()
    {
        // "Your name" labels a field; "Enter your name." names it mid-sentence. The catalog holds one entry for both.
        Assert.Equal("Escriba su nombre.", Messages.Translate("Enter your name.", Spanish));
        Assert.Equal("Su nombre", Messages.Translate("Your name", Spanish));
        Assert.Equal("请填写您的姓名。", Messages.Translate("Enter your name.", Chinese));
        // A course edit's notice lists the store's changes the same way.
        Assert.Equal("descripción", Messages.Translate("description", Spanish));
        Assert.Equal("horas de educación continua 12.00 → 10.00", Messages.Translate("CE hours 12.00 → 10.00", Spanish));
    }

    [Fact]
    public void ASentenceTheCatalogDoesNotKnow_IsShownInEnglish_NotLost() =>
        Assert.Equal("Something nobody wrote a rule for.", Messages.Translate("Something nobody wrote a rule for.", Spanish));

    [Fact]
    public async Task AnApiProblem_AnswersInTheRequestsLanguage_TitleAndFieldMessages()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var client = _app.CreateClient();
        async Task<(JsonElement Problem, string? Language)> RegisterAsync(string? acceptLanguage)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{webinar}/registrations")
            {
                Content = JsonContent.Create(new { name = "Ana", email = "not-an-address", agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago" }),
            };
            if (acceptLanguage is not null)
            {
                request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>(), response.Content.Headers.ContentLanguage.SingleOrDefault());
        }

        var (english, _) = await RegisterAsync(null);
        var (spanish, language) = await RegisterAsync("es-MX,es;q=0.9");

        static string Title(JsonElement p) => p.GetProperty("title").GetString()!;
        static string Email(JsonElement p) => p.GetProperty("errors").GetProperty("email")[0].GetString()!;
        Assert.Equal("The registration is not valid", Title(english));
        Assert.Equal("La inscripción no es válida", Title(spanish));
        Assert.NotEqual(Email(english), Email(spanish));
        Assert.Equal(Messages.Translate(Email(english), Spanish), Email(spanish));
        Assert.Equal("es", language);
    }
}
