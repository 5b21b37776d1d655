using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Api;

/// <summary>
/// What the framework refuses before LearnHub's own code runs is still answered as RFC 9457 problem details
/// (application/problem+json with the status in the body), and nothing is written. Served by Kestrel, which enforces
/// the body limit as production does.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class ProblemDetailsTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _client = null!;
    private Guid _webinar;

    public async Task InitializeAsync()
    {
        (_app, var baseUrl) = LearnHubWebFactory.ServeOnLoopback(fixture.NewDirectory(), new Dictionary<string, string> { ["LearnHub:RateLimits:RegistrationsPerMinute"] = "3" });
        _client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        (_, _webinar, _) = await _app.SeriesWithWebinarAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    public static TheoryData<string, string, byte[], string> Refused() => new()
    {
        { "malformed JSON", "application/json", Encoding.UTF8.GetBytes("{\"name\": "), "400" },
        { "a wrong type", "application/json", Encoding.UTF8.GetBytes("{\"name\": 42, \"email\": [\"a@example.org\"]}"), "400" },
        { "bad UTF-8", "application/json; charset=utf-8", [.. "{\"name\": \""u8, 0xC3, 0x28, .. "\"}"u8], "400" },
        { "an oversized body", "application/json", Encoding.UTF8.GetBytes($"{{\"name\": \"{new string('a', 70 * 1024)}\"}}"), "413" },
        { "an unsupported media type", "text/plain", Encoding.UTF8.GetBytes("name=Robin"), "415" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ARegistrationTheFrameworkRefuses_IsAnsweredAsProblemDetails_AndWritesNothing(string why, string contentType, byte[] body, string status)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await _client.PostAsync($"/api/sessions/{_webinar}/registrations", content);

        Assert.True(status == ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), $"{why}: {(int)response.StatusCode}");
        await AssertProblemAsync(response, int.Parse(status, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await RegistrationsAsync());
    }

    [Fact]
    public async Task TooManyRegistrations_Answer429ProblemDetails_WithRetryAfter()
    {
        var client = _client;
        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            attempts++;
            response = await client.PostAsJsonAsync($"/api/sessions/{_webinar}/registrations",
                new { name = "Robin Diaz", email = $"robin{attempts}@example.org", agency = "County DCF", jobRole = "Supervisor", timeZone = "America/Chicago" });
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && attempts < 10);

        Assert.Equal(4, attempts); // three a minute are allowed here
        Assert.True(int.TryParse(Assert.Single(response.Headers.GetValues("Retry-After")), out var seconds) && seconds is >= 1 and <= 60);
        await AssertProblemAsync(response, 429);
        Assert.Equal(3, await RegistrationsAsync());
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }

    private async Task<long> RegistrationsAsync()
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM registrations WHERE session_id = @id", new { id = _webinar.ToString() });
    }
}
