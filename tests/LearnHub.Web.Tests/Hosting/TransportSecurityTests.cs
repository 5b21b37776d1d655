using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>
/// LearnHub behind a TLS-terminating proxy on the same host (Kestrel on loopback, the proxy's address configured as
/// known): what the proxy forwards is believed; the same headers from anyone else are not.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class TransportSecurityTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Client = "203.0.113.7";
    private readonly List<IAsyncDisposable> _apps = [];

    private async Task<(LearnHubWebFactory App, string BaseUrl)> BehindProxyAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, int signInsPerMinute = 10)
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        var served = LearnHubWebFactory.ServeOnLoopback(fixture.NewDirectory(), new Dictionary<string, string>
        {
            ["LearnHub:Http:KnownProxies:0"] = "127.0.0.1",
            ["LearnHub:RateLimits:SignInPerMinute"] = signInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, provider, connectionString);
        _apps.Add(served.App);
        return served;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task BehindAKnownProxy_EveryCookieIsSecure_AndTheAuditLogNamesTheForwardedClient(DatabaseProvider provider)
    {
        var (app, baseUrl) = await BehindProxyAsync(provider);
        var (_, webinar, _) = await app.SeriesWithWebinarAsync();
        using var client = new ProxiedClient(baseUrl, Client);

        await client.SignInAsync(await app.AccountAsync(Role.Organizer));
        var export = await client.SendAsync(HttpMethod.Get, $"/organizer/sessions/{webinar}/registrants.csv");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains(client.SetCookies, c => c.StartsWith("lh_auth=", StringComparison.Ordinal));
        Assert.Contains(client.SetCookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.All(client.SetCookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        var entry = Assert.Single(await app.Services.GetRequiredService<AuditLog>().ListAsync("registrants.exported", null, 10, default));
        Assert.Equal(Client, entry.FromAddress);
    }

    [Fact]
    public async Task BehindAKnownProxy_ResponsesCarryHsts_APermissionsPolicy_AndNoServerHeader()
    {
        var (_, baseUrl) = await BehindProxyAsync();
        using var client = new ProxiedClient(baseUrl, Client);

        var response = await client.SendAsync(HttpMethod.Get, "/signin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(",", response.Headers.TryGetValues("Server", out var v) ? v : [])}");
    }

    [Fact]
    public async Task BehindAKnownProxy_TheRateLimitCountsEachForwardedClientApart()
    {
        var (_, baseUrl) = await BehindProxyAsync(signInsPerMinute: 2);
        using var first = new ProxiedClient(baseUrl, Client);
        using var second = new ProxiedClient(baseUrl, "198.51.100.23");
        var link = new Dictionary<string, string> { ["Email"] = "someone@example.org" };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await first.PostFormAsync("/signin", "/signin?handler=Link", new(link))).StatusCode);
        }

        var fromTheOther = await second.PostFormAsync("/signin", "/signin?handler=Link", new(link));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.OK, fromTheOther.StatusCode);
    }

    [Fact]
    public async Task WithoutAConfiguredProxy_ForwardedHeadersAreIgnored()
    {
        // The negative control: the same headers, and no proxy configured. ASP.NET Core's middleware would believe
        // anyone when its lists are empty; LearnHub does not read the headers at all then.
        await using var app = new LearnHubWebFactory(fixture.NewDirectory());
        var (_, webinar, _) = await app.SeriesWithWebinarAsync();
        var client = await app.SignedInClientAsync(await app.AccountAsync(Role.Organizer));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/organizer/sessions/{webinar}/registrants.csv");
        request.Headers.Add("X-Forwarded-For", Client);
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);
        var signInPage = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, "/signin") { Headers = { { "X-Forwarded-Proto", "https" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(Client, Assert.Single(await app.Services.GetRequiredService<AuditLog>().ListAsync("registrants.exported", null, 10, default)).FromAddress);
        Assert.DoesNotContain(signInPage.Headers.GetValues("Set-Cookie"), c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(signInPage.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Start_IsRefused_NamingTheKey_WhenAKnownProxyIsNotAnAddress()
    {
        await using var app = new LearnHubWebFactory(fixture.NewDirectory(), settings: new Dictionary<string, string>
        {
            ["LearnHub:Http:KnownProxies"] = "10.0.0.5, proxy.internal",
        });

        var refusal = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("LearnHub:Http:KnownProxies: 'proxy.internal' is not an IP address", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverDirectHttps_EveryCookieIsSecure()
    {
        await using var app = new LearnHubWebFactory(fixture.NewDirectory());
        var admin = await app.AccountAsync(Role.Admin);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://learnhub.example.org") });
        var cookies = new List<string>();
        void Keep(HttpResponseMessage r) => cookies.AddRange(r.Headers.TryGetValues("Set-Cookie", out var v) ? v : []);

        Keep(await client.GetAsync("/signin"));
        Keep(await LearnHubWebFactory.SignInAsync(client, admin, LearnHubWebFactory.Password));
        var person = (await app.Services.GetRequiredService<Silo.Accounts.AccountStore>().FindAsync(admin, default))!;
        Keep(await Forms.PostAsync(client, "/admin/people", "/admin/people?handler=Role", new() { ["id"] = person.Id.ToString(), ["role"] = "mentor", ["grant"] = "true" }));
        Keep(await Forms.PostAsync(client, "/timezone", "/timezone", new() { ["Zone"] = "America/Chicago" }));

        var names = cookies.Select(c => c.Split('=')[0])
            .Select(n => n.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal) ? ".AspNetCore.Antiforgery" : n)
            .Distinct().Order(StringComparer.Ordinal);
        Assert.Equal([".AspNetCore.Antiforgery", ".AspNetCore.Mvc.CookieTempDataProvider", "lh_auth", "lh_tz"], names);
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }
}
