using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Api;

/// <summary>The registration API over HTTP on SQLite, the embedded default.</summary>
public sealed class SqliteRegistrationApiTests(DatabaseFixture fixture) : RegistrationApiTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same specification over HTTP on PostgreSQL.</summary>
public sealed class PostgresRegistrationApiTests(DatabaseFixture fixture) : RegistrationApiTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>The registration API over HTTP, on a real database of each engine.</summary>
[Collection(DatabaseCollection.Name)]
public abstract class RegistrationApiTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        _app = new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString);
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static object Body(string email = "pat@example.org", string? name = "Pat Doe", string? timeZone = "America/Chicago", bool exchange = false) => new
    {
        name,
        email,
        agency = "County DCF",
        jobRole = "Caseworker",
        timeZone,
        accommodations = "ASL interpreter",
        includeLearningExchange = exchange,
    };

    private async Task<int> RowsAsync(Guid session) =>
        (await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(session, default)).Values.Sum();

    [Fact]
    public async Task Post_Registers_AndAnswers201_WithStatusAndAPrivateManageUrl()
    {
        var (_, webinar, exchange) = await _app.SeriesWithWebinarAsync(withExchange: true);

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body(exchange: true));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("confirmed", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("waitlistPosition").ValueKind);
        Assert.Equal(exchange, body.GetProperty("learningExchange").GetProperty("sessionId").GetGuid());
        var manageUrl = new Uri(body.GetProperty("manageUrl").GetString()!);
        var token = manageUrl.Segments[^1];
        var managed = await _client.GetFromJsonAsync<JsonElement>($"/api/registrations/{token}");
        Assert.Equal(2, managed.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(manageUrl.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task Post_WhenFull_AnswersWaitlisted_WithThePosition()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body("first@example.org"));

        var body = await (await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body("second@example.org"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("waitlisted", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("waitlistPosition").GetInt32());
    }

    [Fact]
    public async Task Post_Twice_WithTheSameEmail_Answers409AlreadyRegistered_AndKeepsOneRow()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body());

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body("PAT@example.org"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Already registered", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(1, await RowsAsync(webinar));
    }

    public static TheoryData<string, object, string> BadBodies => new()
    {
        { "missing email", new { name = "Pat", agency = "A", jobRole = "R", timeZone = "UTC" }, "email" },
        { "malformed email", new { name = "Pat", email = "pat-at-example", agency = "A", jobRole = "R", timeZone = "UTC" }, "email" },
        { "over-long name", new { name = new string('n', 201), email = "pat@example.org", agency = "A", jobRole = "R", timeZone = "UTC" }, "name" },
        { "unknown time zone", new { name = "Pat", email = "pat@example.org", agency = "A", jobRole = "R", timeZone = "Atlantis/Capital" }, "timeZone" },
        { "over-long accommodations", new { name = "Pat", email = "pat@example.org", agency = "A", jobRole = "R", timeZone = "UTC", accommodations = new string('a', 1001) }, "accommodations" },
        { "exchange the session lacks", new { name = "Pat", email = "pat@example.org", agency = "A", jobRole = "R", timeZone = "UTC", includeLearningExchange = true }, "includeLearningExchange" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_WithBadInput_Answers400ProblemDetails_NamingTheField_AndWritesNothing(string why, object body, string field)
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors").GetProperty(field)[0].GetString()));
        Assert.Equal(0, await RowsAsync(webinar));
    }

    [Fact]
    public async Task Post_WithALanguageLearnHubDoesNotWriteIn_Answers400NamingLanguage_AndWritesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations",
            new { name = "Pat", email = "pat@example.org", agency = "A", jobRole = "R", timeZone = "UTC", language = "fr" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("language")[0].GetString();
        Assert.Contains("'fr'", message, StringComparison.Ordinal);
        Assert.Contains("zh-Hans", message, StringComparison.Ordinal);
        Assert.Equal(0, await RowsAsync(webinar));
    }

    [Theory]
    [InlineData("es", "es")]
    [InlineData("ZH-hans", "zh-Hans")]
    [InlineData(null, null)]
    public async Task Post_StoresTheLanguage_WithTheRegistration_SpelledAsLearnHubSpellsIt(string? sent, string? stored)
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations",
            new { name = "Pat", email = "pat@example.org", agency = "A", jobRole = "R", timeZone = "UTC", language = sent });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(stored, await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
            "SELECT language FROM registrations WHERE session_id = @id", new { id = webinar.ToString() }));
    }

    [Fact]
    public async Task Post_ToASessionThatAsksForRecordingConsent_WithoutAnAnswer_Answers400NamingRecordingConsent_AndWritesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body());
        var alsoBad = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body(name: null));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], [response.StatusCode, alsoBad.StatusCode]);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("consent", problem.GetProperty("errors").GetProperty("recordingConsent")[0].GetString(), StringComparison.Ordinal);
        // A body with other mistakes names the missing answer too, so one correction is enough.
        var errors = (await alsoBad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("recordingConsent", out _));
        Assert.Equal(0, await RowsAsync(webinar));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_WithEitherAnswerAboutTheRecording_Registers_AndTheManageTokenReturnsTheAnswer(bool consent)
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(recorded: true, asksRecordingConsent: true);

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "Pat Doe", email = "pat@example.org", agency = "County DCF", jobRole = "Caseworker", timeZone = "America/Chicago", recordingConsent = consent,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var token = new Uri((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("manageUrl").GetString()!).Segments[^1];
        var managed = await _client.GetFromJsonAsync<JsonElement>($"/api/registrations/{token}");
        Assert.Equal(consent, managed[0].GetProperty("recordingConsent").GetBoolean());
    }

    [Fact]
    public async Task Post_WithMalformedJson_Answers400_AndWritesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();

        var response = await _client.PostAsync($"/api/sessions/{webinar}/registrations",
            new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await RowsAsync(webinar));
    }

    [Fact]
    public async Task Post_ToAnUnknownSession_Answers404ProblemDetails()
    {
        var response = await _client.PostAsJsonAsync($"/api/sessions/{Guid.NewGuid()}/registrations", Body());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Post_ToAPastSession_Answers409Closed_AndWritesNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        _app.Clock.Advance(TimeSpan.FromDays(8));

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already started", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await RowsAsync(webinar));
    }

    [Fact]
    public async Task Post_ToASessionAnOrganizerClosed_Answers409Closed()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        await _app.Services.GetRequiredService<IGrainFactory>().Session(webinar).CloseRegistrationAsync();

        var response = await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("closed by the organizer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ThroughTheManageToken_Cancels_PromotesTheWaitlist_AndIsHarmlessTwice()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        var seated = await (await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body("seated@example.org"))).Content.ReadFromJsonAsync<JsonElement>();
        var waiting = await (await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body("waiting@example.org"))).Content.ReadFromJsonAsync<JsonElement>();
        var token = new Uri(seated.GetProperty("manageUrl").GetString()!).Segments[^1];

        var first = await _client.DeleteAsync($"/api/registrations/{token}");
        var second = await _client.DeleteAsync($"/api/registrations/{token}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("cancelled", (await second.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("status").GetString());
        var waitingToken = new Uri(waiting.GetProperty("manageUrl").GetString()!).Segments[^1];
        var promoted = await _client.GetFromJsonAsync<JsonElement>($"/api/registrations/{waitingToken}");
        Assert.Equal("confirmed", promoted[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task ATamperedManageToken_OpensNothing_AndCancelsNothing()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var created = await (await _client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", Body())).Content.ReadFromJsonAsync<JsonElement>();
        var token = new Uri(created.GetProperty("manageUrl").GetString()!).Segments[^1];
        var flipped = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/registrations/{flipped}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/registrations/{flipped}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync("/api/registrations/not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/registrations/{flipped}")).StatusCode);
        var counts = await _app.Services.GetRequiredService<RegistrationReader>().CountByStatusAsync(webinar, default);
        Assert.Equal(1, counts[RegistrationStatus.Confirmed]);
    }
}
