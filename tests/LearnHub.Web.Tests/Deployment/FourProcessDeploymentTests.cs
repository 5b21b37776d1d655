using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Xunit.Abstractions;

namespace LearnHub.Web.Tests.Deployment;

/// <summary>
/// The production shape on one machine: two web processes and two silo worker processes on one PostgreSQL database,
/// all members of one Orleans cluster. A sign-in made on one web node holds on the other; a registration storm split
/// across both web nodes fills exactly the seats; the silos deliver every mail and reminder exactly once between them;
/// and when one silo is killed in the middle of a delivery wave, the other finishes it.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class FourProcessDeploymentTests(DatabaseFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Capacity = 50;
    private const int Registrants = 300;
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task TwoWebNodesAndTwoSilos_ShareSignIns_NeverOversell_DeliverOnce_AndSurviveASiloKill()
    {
        var connectionString = await fixture.Postgres.CreateDatabaseAsync();
        Dictionary<string, string> Settings(bool web) => new()
        {
            ["LearnHub__Database__Provider"] = "PostgreSql",
            ["LearnHub__Database__ConnectionString"] = connectionString,
            ["LearnHub__DataDirectory"] = fixture.NewDirectory(),
            ["LearnHub__SeedDemoData"] = "false",
            ["LearnHub__Silo__BackgroundWork"] = web ? "false" : "true",
            ["LearnHub__RateLimits__RegistrationsPerMinute"] = "100000",
            ["LearnHub__Mail__Transport"] = "Smtp",
            ["LearnHub__Mail__Smtp__Host"] = "127.0.0.1",
            ["LearnHub__Mail__Smtp__Port"] = _smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["LearnHub__Mail__From"] = "LearnHub <training@learnhub.example>",
            // Short, so a surviving silo takes over the rows a killed one had claimed without a long wait.
            ["LearnHub__Mail__Lease"] = "00:00:03",
            // One message at a time per silo, in small claims: slow enough that the kill lands inside the wave.
            ["LearnHub__Mail__Parallelism"] = "1",
            ["LearnHub__Mail__BatchSize"] = "20",
        };

        var (urlA, urlB) = (LearnHubProcess.FreeLoopbackUrl(), LearnHubProcess.FreeLoopbackUrl());
        await using var webA = LearnHubProcess.StartWeb(Settings(web: true), urlA);
        await using var webB = LearnHubProcess.StartWeb(Settings(web: true), urlB);
        await webA.WaitHealthyAsync(urlA);
        await webB.WaitHealthyAsync(urlB);
        using var database = new LearnHubDatabase(DatabaseProvider.PostgreSql, connectionString);
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var session = await SessionStartingIn20HoursAsync(database, clock);

        // A sign-in on node A is valid on node B: the data-protection keys are in the database.
        await new AccountStore(database, clock).CreateAsync("admin@example.org", "Ada", "correct horse battery staple", [Role.Admin], default);
        var cookie = await SignInAsync(urlA);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync($"{urlB}/admin", cookie));

        // The storm, split across both web nodes, before any silo delivers: exactly the seats are given.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var statuses = await Task.WhenAll(Enumerable.Range(0, Registrants).Select(async i =>
        {
            var response = await http.PostAsJsonAsync($"{(i % 2 == 0 ? urlA : urlB)}/api/sessions/{session}/registrations",
                new { name = $"Person {i}", email = $"p{i}@example.org", agency = "County", jobRole = "Caseworker", timeZone = "America/Chicago" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
        }));
        Assert.Equal(Capacity, statuses.Count(s => s == "confirmed"));
        Assert.Equal(Registrants - Capacity, statuses.Count(s => s == "waitlisted"));
        Assert.Equal(Capacity, await ScalarAsync(database, "SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'"));

        // Two silos start: with the web nodes, four members of one cluster. Between them they send each admission mail
        // and the 24-hour reminder (already due) exactly once.
        await using var siloA = LearnHubProcess.Start(Settings(web: false));
        await using var siloB = LearnHubProcess.Start(Settings(web: false));
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(90), async () => await ScalarAsync(database, "SELECT COUNT(*) FROM orleansmembershiptable WHERE status = 3") == 4), $"The cluster did not form.\n{siloA.Output}\n{siloB.Output}");
        Assert.Equal(Registrants + Capacity, (await _smtp.WaitForAsync(Registrants + Capacity, TimeSpan.FromSeconds(120))).Count);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second delivery of anything would arrive by now
        var delivered = _smtp.Received();
        Assert.Equal(Registrants + Capacity, delivered.Count);
        Assert.Equal(delivered.Count, delivered.Select(m => (m.RcptTos[0], m.Subject)).Distinct().Count());
        Assert.Equal(Capacity, delivered.Count(m => m.Subject.StartsWith("Tomorrow:", StringComparison.Ordinal)));

        // The session moves (an operator command, itself a short-lived cluster member calling the session grain): every
        // registrant is told. One silo is killed in the middle of that wave; the other delivers the rest.
        var starts = clock.GetUtcNow().AddDays(2);
        await using var command = LearnHubProcess.StartCommand(Settings(web: false),
            $"sessions reschedule {session} --starts {starts:O} --ends {starts.AddHours(1):O}");
        Assert.True(await command.WaitForExitAsync(TimeSpan.FromSeconds(90)), command.Output);
        Assert.True(command.ExitCode == 0, command.Output);
        var beforeWave = delivered.Count;
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(60), () => Task.FromResult(_smtp.Received().Count > beforeWave)), siloA.Output);
        await siloA.KillAsync();
        var toldAtKill = _smtp.Received().Skip(beforeWave).Select(m => m.RcptTos[0]).Distinct().Count();
        Assert.True(toldAtKill < Registrants, "The kill came after the wave was delivered; the test proved nothing.");
        var moved = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(120), () => Task.FromResult(_smtp.Received().Skip(beforeWave).Select(m => m.RcptTos[0]).Distinct().Count() == Registrants));
        var wave = _smtp.Received().Skip(beforeWave).ToList();
        output.WriteLine($"Second wave: {toldAtKill} told when silo A was killed; {wave.Count} accepted in all for {Registrants} registrants.");
        Assert.True(moved, $"{wave.Select(m => m.RcptTos[0]).Distinct().Count()} of {Registrants} were told.\n{siloB.Output}");
        Assert.True(siloB.IsRunning, siloB.Output);
    }

    private static async Task<Guid> SessionStartingIn20HoursAsync(LearnHubDatabase database, TestClock clock)
    {
        var catalog = new TestCatalog(database, clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("deployment", "Mind the Gap", ""), default);
        var starts = clock.GetUtcNow().AddHours(20);
        return await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs", "", starts,
            starts.AddHours(1), "America/New_York", Capacity, [], JoinUrl: "https://meet.example/j/1"), default);
    }

    private static async Task<string> SignInAsync(string url)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var form = await browser.GetStringAsync($"{url}/signin");
        var signIn = await browser.PostAsync($"{url}/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(form), ["Email"] = "admin@example.org", ["Password"] = "correct horse battery staple",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return cookies.GetCookies(new Uri(url))["lh_auth"]!.Value;
    }

    private static async Task<HttpStatusCode> GetWithCookieAsync(string url, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", $"lh_auth={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }

    private static async Task<long> ScalarAsync(LearnHubDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
