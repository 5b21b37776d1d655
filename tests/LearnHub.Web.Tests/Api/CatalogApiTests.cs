using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Testing;
using LearnHub.Testing.Content;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Api;

[Collection(DatabaseCollection.Name)]
public sealed class CatalogApiTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task GetSeries_ListsSessions_WithOffsetTimes_IanaZone_AndSeatsLeft()
    {
        var (series, webinar, exchange) = await _app.SeriesWithWebinarAsync(capacity: 80, withExchange: true);
        var client = _app.CreateClient();

        var all = await client.GetFromJsonAsync<JsonElement>("/api/series");

        var found = all.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == series);
        var first = found.GetProperty("sessions")[0];
        Assert.Equal(webinar, first.GetProperty("id").GetGuid());
        Assert.Equal("national-webinar", first.GetProperty("kind").GetString());
        Assert.Equal("America/New_York", first.GetProperty("timeZone").GetString());
        Assert.Equal("2026-11-29T10:00:00-05:00", first.GetProperty("startsAt").GetString());
        Assert.Equal(80, first.GetProperty("capacity").GetInt32());
        Assert.Equal(80, first.GetProperty("seatsLeft").GetInt32());
        Assert.Equal(exchange, found.GetProperty("sessions")[1].GetProperty("id").GetGuid());
        Assert.False(first.GetProperty("recorded").GetBoolean() || first.GetProperty("recordingConsentRequired").GetBoolean());
    }

    [Fact]
    public async Task GetSeries_IsServedFromItsCopy_UntilASeatIsTaken_OrASessionStarts()
    {
        var (series, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 80);
        var client = _app.CreateClient();
        var copies = _app.Services.GetRequiredService<LearnHub.Web.Hosting.RenderedPages>();
        JsonElement Webinar(JsonElement all) => all.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == series).GetProperty("sessions")[0];

        var first = await client.GetStringAsync("/api/series");
        var served = copies.CopiesServed;
        Assert.Equal(first, await client.GetStringAsync("/api/series"));
        Assert.Equal(served + 1, copies.CopiesServed);

        var registered = await client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "Pat Doe", email = "pat@example.org", agency = "County DCF", jobRole = "Caseworker", timeZone = "America/Denver",
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(79, Webinar(await client.GetFromJsonAsync<JsonElement>("/api/series")).GetProperty("seatsLeft").GetInt32());

        _app.Clock.Advance(TimeSpan.FromDays(7));
        Assert.False(Webinar(await client.GetFromJsonAsync<JsonElement>("/api/series")).GetProperty("registrationOpen").GetBoolean());
    }

    [Fact]
    public async Task GetSession_SaysWhetherItIsRecorded_AndWhetherRegistrationsMustAnswerRecordingConsent()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);

        var session = await _app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/sessions/{webinar}");

        Assert.True(session.GetProperty("recorded").GetBoolean() && session.GetProperty("recordingConsentRequired").GetBoolean());
    }

    [Fact]
    public async Task GetSeries_CarriesSanitizedHtmlAndTheMarkdownAsText_NeverUnsanitizedHtml_ForTheHostileCorpus()
    {
        // Every hostile entry, as pasted HTML and as Markdown, in a series' and its session's descriptions.
        var typeable = HostileHtml.Html.Concat(HostileHtml.Markdown).Where(e => PlainText.Problem(e, "", TextShape.MultiLine) is null).ToList();
        var catalog = new GrainCatalog(_app.Services, _app.Clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("hostile", "Hostile", string.Join("\n\n", typeable)), default);
        var starts = _app.Clock.GetUtcNow().AddDays(7);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Hostile session", string.Join("\n\n", typeable.AsEnumerable().Reverse()),
            starts, starts.AddHours(1), "America/New_York", 10, [new Presenter("Dana Ruiz", "State university")], Published: true), default);

        var body = await _app.CreateClient().GetStringAsync("/api/series?pageSize=100");
        var found = JsonDocument.Parse(body).RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == series);
        var first = found.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == session);

        Assert.False(found.TryGetProperty("description", out _)); // the raw source is no longer served
        foreach (var described in new[] { found, first })
        {
            var html = described.GetProperty("descriptionHtml").GetString()!;
            Assert.NotEqual("", html);
            AssertSanitized(html);
            var markdown = described.GetProperty("descriptionMarkdown").GetString()!;
            Assert.DoesNotContain('<', markdown);
            Assert.Contains("javascript", markdown, StringComparison.OrdinalIgnoreCase); // the source, as text
        }

        // No other string anywhere in the answer holds markup.
        foreach (var text in Strings(found).Where(t => t.Name != "descriptionHtml"))
        {
            Assert.DoesNotContain('<', text.Value);
        }
    }

    private static void AssertSanitized(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, new[] { "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "input", "button", "base", "link", "meta" });
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || attribute.Name == "style", $"{element.LocalName} has {attribute.Name}");
                if (attribute.Name is "href" or "src" && Regex.Match(attribute.Value, "^\\s*([A-Za-z][A-Za-z0-9+.\\-]*):") is { Success: true } scheme)
                {
                    Assert.Contains(scheme.Groups[1].Value.ToLowerInvariant(), new[] { "http", "https", "mailto" });
                }
            }
        }
    }

    private static IEnumerable<(string Name, string Value)> Strings(JsonElement element, string name = "") => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value, p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(e => Strings(e, name)),
        JsonValueKind.String => [(name, element.GetString()!)],
        _ => [],
    };

    [Fact]
    public async Task GetSession_Answers404ProblemDetails_ForAnUnknownId()
    {
        var response = await _app.CreateClient().GetAsync($"/api/sessions/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Health_Answers200_WhenTheDatabaseAnswers()
    {
        var response = await _app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheIntegrationEndpoints()
    {
        var document = await _app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        // The list is written from a kept copy of its JSON; the document still names what it is.
        var list = paths.GetProperty("/api/series").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", list.GetProperty("type").GetString());
        Assert.EndsWith("SeriesDto", list.GetProperty("items").GetProperty("$ref").GetString(), StringComparison.Ordinal);
        Assert.True(paths.TryGetProperty("/api/sessions/{id}", out _));
        Assert.True(paths.GetProperty("/api/sessions/{id}/registrations").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/registrations/{token}").TryGetProperty("delete", out _));
    }
}
