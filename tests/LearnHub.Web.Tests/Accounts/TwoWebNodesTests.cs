using System.Net;
using System.Net.Sockets;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>Two real web processes on one PostgreSQL database: a sign-in made on one is valid on the other.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class TwoWebNodesTests(DatabaseFixture fixture)
{

    [Fact]
    public async Task ACookieIssuedByOneWebNode_IsAcceptedByTheOther()
    {
        var connectionString = await fixture.Postgres.CreateDatabaseAsync();
        Dictionary<string, string> Node() => new()
        {
            ["LearnHub__Database__Provider"] = "PostgreSql",
            ["LearnHub__Database__ConnectionString"] = connectionString,
            // Separate data directories: the keys that make the cookie valid everywhere must come from the database.
            ["LearnHub__DataDirectory"] = fixture.NewDirectory(),
            ["LearnHub__SeedDemoData"] = "false",
            ["LearnHub__Silo__BackgroundWork"] = "false",
        };
        var (urlA, urlB) = ($"http://127.0.0.1:{FreePort()}", $"http://127.0.0.1:{FreePort()}");
        await using var nodeA = LearnHubProcess.StartWeb(Node(), urlA);
        await using var nodeB = LearnHubProcess.StartWeb(Node(), urlB);
        await WaitHealthyAsync(urlA, nodeA);
        await WaitHealthyAsync(urlB, nodeB);
        using var database = new LearnHubDatabase(DatabaseProvider.PostgreSql, connectionString);
        await new AccountStore(database, new TestClock(DateTimeOffset.UtcNow)).CreateAsync(
            "admin@example.org", "Ada", "correct horse battery staple", [Role.Admin], default);

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var form = await browser.GetStringAsync($"{urlA}/signin");
        var signIn = await browser.PostAsync($"{urlA}/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(form), ["Email"] = "admin@example.org", ["Password"] = "correct horse battery staple",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = cookies.GetCookies(new Uri(urlA))["lh_auth"]!.Value;

        using var other = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        var withCookie = new HttpRequestMessage(HttpMethod.Get, $"{urlB}/admin");
        withCookie.Headers.Add("Cookie", $"lh_auth={cookie}");
        var onB = await other.SendAsync(withCookie);
        var withoutCookie = await other.GetAsync($"{urlB}/admin");

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withoutCookie.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitHealthyAsync(string url, LearnHubProcess node)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync($"{url}/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{url} did not become healthy. Output:\n{node.Output}");
    }
}
