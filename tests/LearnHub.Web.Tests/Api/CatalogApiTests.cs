using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Testing;

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
    }

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
        Assert.True(paths.TryGetProperty("/api/series", out _));
        Assert.True(paths.TryGetProperty("/api/sessions/{id}", out _));
        Assert.True(paths.GetProperty("/api/sessions/{id}/registrations").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/registrations/{token}").TryGetProperty("delete", out _));
    }
}
