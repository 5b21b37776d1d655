using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Accounts;
using LearnHub.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>Every endpoint declares who may use it, and the server holds to it.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class AccessControlTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory(), settings: new Dictionary<string, string>
    {
        ["LearnHub:RateLimits:RegistrationsPerMinute"] = "3",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IReadOnlyList<RouteEndpoint> Endpoints()
    {
        _app.CreateClient().Dispose(); // builds the app
        return _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
    }

    private static bool IsProtected(RouteEndpoint e) =>
        e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;

    [Fact]
    public void EveryEndpoint_DeclaresAnExplicitPolicy_AnonymousIncluded()
    {
        var undeclared = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName)
            .ToList();

        Assert.True(undeclared.Count == 0, $"Endpoints without an explicit policy: {string.Join(", ", undeclared)}");
        Assert.Contains(Endpoints(), IsProtected);
    }

    [Fact]
    public async Task EveryProtectedPage_TurnsAwayAnonymousVisitors_AndTheWrongRole()
    {
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var checkedPaths = new List<string>();
        foreach (var endpoint in Endpoints().Where(IsProtected))
        {
            var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            // A parameter gets a value its constraint accepts, so the request reaches the endpoint's policy (a Guid where
            // an int is asked for would stop at routing with a 404 and prove nothing).
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { ParameterPolicies: var policies } when policies.Any(x => x.Content is "int" or "long") => "1",
                _ => Guid.Empty.ToString(),
            }))));
            if (path.Contains("{**", StringComparison.Ordinal))
            {
                continue;
            }

            var anonymousAnswer = await anonymous.GetAsync(path);
            Assert.True(anonymousAnswer.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized,
                $"{path} let an anonymous visitor through ({(int)anonymousAnswer.StatusCode}).");
            if (anonymousAnswer.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.StartsWith("/signin", anonymousAnswer.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }

            if (roles.Any(p => p is "admin" or "organizer" or "coordinator"))
            {
                var learnerAnswer = await learner.GetAsync(path);
                Assert.True(learnerAnswer.StatusCode is HttpStatusCode.Forbidden
                    || (learnerAnswer.StatusCode == HttpStatusCode.Redirect && learnerAnswer.Headers.Location!.PathAndQuery.StartsWith("/denied", StringComparison.Ordinal)),
                    $"{path} let a learner through ({(int)learnerAnswer.StatusCode}).");
            }

            checkedPaths.Add(path);
        }

        Assert.Contains("/admin/outbox", checkedPaths);
        Assert.Contains("/coordination", checkedPaths);
        // Orleans' dashboard shows grain state, which holds staff data. Its routes exist only once an admin has opened it,
        // so they are not in the list above: every path under it is the admins', its page, assets and API, and paths it
        // does not have.
        foreach (var path in new[] { "/admin/orleans", "/admin/orleans/", "/admin/orleans/index.min.js", "/admin/orleans/DashboardCounters", "/admin/orleans/ClusterStats", "/admin/orleans/no-such-thing" })
        {
            var anonymousAnswer = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymousAnswer.StatusCode);
            Assert.StartsWith("/signin", anonymousAnswer.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            var learnerAnswer = await learner.GetAsync(path);
            Assert.True(learnerAnswer.StatusCode == HttpStatusCode.Redirect && learnerAnswer.Headers.Location!.PathAndQuery.StartsWith("/denied", StringComparison.Ordinal),
                $"{path} let a learner through ({(int)learnerAnswer.StatusCode}).");
        }

        foreach (var organizerPage in new[] { "/organizer/series/edit/{0}", "/organizer/sessions/edit/{0}", "/organizer/sessions/{0}", "/organizer/sessions/{0}/upload" })
        {
            Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, organizerPage, Guid.Empty), checkedPaths);
        }
    }

    [Fact]
    public async Task AnAdmin_SeesTheOutboxAuditLogAndJobs()
    {
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));

        foreach (var path in new[] { "/admin", "/admin/outbox", "/admin/audit", "/admin/jobs", "/admin/orleans/", "/admin/orleans/index.min.js" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        }

        // The dashboard's API answers an admin with the cluster's figures (counted every 10 s, so perhaps none yet).
        using var counters = JsonDocument.Parse(await admin.GetStringAsync("/admin/orleans/DashboardCounters"));
        Assert.Equal(JsonValueKind.Number, counters.RootElement.GetProperty("totalActiveHostCount").ValueKind);
    }

    [Fact]
    public async Task AGetOfTheJobStatistics_AnswersMethodNotAllowed_NotAnError()
    {
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));

        var response = await admin.GetAsync("/admin/jobs/stats");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task RevokingARole_EndsTheAccessOfSessionsAlreadySignedIn()
    {
        var email = await _app.AccountAsync(Role.Admin);
        var admin = await _app.SignedInClientAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
        var accounts = _app.Services.GetRequiredService<LearnHub.Silo.Accounts.AccountStore>();
        var account = (await accounts.FindAsync(email, default))!;

        account.Revoke(Role.Admin);
        await accounts.SaveAsync(account, default);

        var after = await admin.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicRegistration_IsRateLimitedPerClient()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync();
        var client = _app.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await client.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
            {
                name = "Pat", email = $"p{i}@example.org", agency = "A", jobRole = "R", timeZone = "UTC",
            })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public void TheOnlyAnonymousMediaEndpoints_AreTheOnesThatCheckEachItem()
    {
        // Files, captions, recording pages and the player's progress reports are open at the door because each request is
        // checked against the item's visibility (MediaAccess, through the media grain); any other anonymous media route
        // would be a hole.
        var anonymousMedia = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.Contains("media", StringComparison.Ordinal) || p.Contains("recording", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["/api/recordings/{id:guid}/progress", "/media/{id:guid}", "/media/{id:guid}/captions.vtt", "recordings/{id:guid}", "recordings/{id:guid}/check", "recordings/{id:guid}/transcript"],
            anonymousMedia);
    }
}
