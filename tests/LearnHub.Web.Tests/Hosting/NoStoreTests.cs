using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Accounts;
using LearnHub.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>No browser or shared cache keeps a response that carries personal data.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class NoStoreTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static void AssertNoStore(HttpResponseMessage response, string path) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} answered {(int)response.StatusCode} with Cache-Control '{response.Headers.CacheControl}'.");

    [Fact]
    public async Task PersonalDataResponses_AreNoStore()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var admin = await _app.AccountAsync(Role.Admin, Role.Organizer, Role.Coordinator);
        var registered = await (await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "Pat Doe", email = admin, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).Content.ReadFromJsonAsync<JsonElement>();
        var manage = new Uri(registered.GetProperty("manageUrl").GetString()!).AbsolutePath;
        var client = await _app.SignedInClientAsync(admin);

        foreach (var path in new[]
        {
            $"/organizer/sessions/{webinar}/registrants.csv", $"/organizer/sessions/{webinar}/attendance.csv", $"/organizer/sessions/{webinar}/evaluation.csv",
            $"/organizer/sessions/{webinar}/sign-in-sheet", $"/organizer/sessions/{webinar}", "/coordination/follow-ups.csv", "/admin/audit", "/admin/people",
            "/my-learning", "/my-learning/transcript/csv", manage,
        })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}.");
            AssertNoStore(response, path);
        }
    }

    [Fact]
    public async Task EveryEndpoint_AnswersNoStore_UnlessItSaysOtherwise_WhileStaticFilesKeepTheirCaching()
    {
        // Whatever a route answers (a page, a 404, a redirect to sign in), the default holds: a new page that forgets
        // to say no-store is covered all the same.
        var client = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !(e.RoutePattern.RawText ?? "").Contains("{**", StringComparison.Ordinal))
            .ToList();
        var checkedPaths = 0;
        foreach (var endpoint in endpoints)
        {
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p =>
                p is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l ? l.Content : Guid.Empty.ToString()))));
            var caller = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null ? client : anonymous;
            AssertNoStore(await caller.GetAsync(path), path);
            checkedPaths++;
        }

        var stylesheet = await anonymous.GetAsync("/css/site.css");

        Assert.True(checkedPaths > 40, $"Only {checkedPaths} routes were checked.");
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
        Assert.NotEqual(true, stylesheet.Headers.CacheControl?.NoStore);
    }
}
