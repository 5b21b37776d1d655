using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Web.Tests.Deployment;

/// <summary>
/// Watch progress is written behind (issue 14): the web process, killed with SIGKILL while 50 signed-in viewers report,
/// loses at most the reports of the last write interval — and after the restart each viewer goes on from what was
/// stored. The embedded default (SQLite), a real process, a real kill.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class WatchProgressCrashTests(DatabaseFixture fixture)
{
    private const int Viewers = 50;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task AKilledWebProcess_LosesAtMostTheLastWriteIntervalOfProgress()
    {
        var directory = fixture.NewDirectory();
        var settings = new Dictionary<string, string>
        {
            ["LearnHub__DataDirectory"] = directory,
            ["LearnHub__SeedDemoData"] = "false",
            ["LearnHub__RateLimits__SignInPerMinute"] = "100000",
            // Shorter than the shipped minute so the test is short; the bound is the interval either way.
            ["LearnHub__Media__ProgressWriteInterval"] = "00:00:03",
        };
        var url = LearnHubProcess.FreeLoopbackUrl();
        var web = LearnHubProcess.StartWeb(settings, url);
        await web.WaitHealthyAsync(url);

        using var database = new LearnHubDatabase(DatabaseProvider.Sqlite, LearnHubDatabase.DefaultSqliteConnectionString(directory));
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var catalog = new TestCatalog(database, clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("crash", "Mind the Gap", ""), default);
        var session = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs", "", clock.GetUtcNow().AddDays(-1),
            clock.GetUtcNow().AddDays(-1).AddHours(1), "America/New_York", 100, []), default);
        var recording = Guid.NewGuid();
        await using (var connection = await database.OpenAsync(default))
        {
            // A published public recording an hour long (the file is not needed to report progress).
            await connection.ExecuteAsync(
                """
                INSERT INTO session_media (id, session_id, kind, title, visibility, file_name, content_type, sha256, size_bytes, published_utc_ms, created_utc_ms, length_ms)
                VALUES (@id, @session, 'recording', 'The webinar', 'public', 'webinar.mp4', 'video/mp4', @sha, 1, @now, @now, 3600000)
                """, new { id = recording.ToString(), session = session.ToString(), sha = new string('a', 64), now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        }

        var accounts = new AccountStore(database, clock);
        var viewers = await Task.WhenAll(Enumerable.Range(0, Viewers).Select(async i =>
        {
            var email = $"viewer{i}@example.org";
            await accounts.CreateAsync(email, $"Viewer {i}", LearnHubWebFactory.Password, [Role.Learner], default);
            var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.Redirect, (await LearnHubWebFactory.SignInAsync(client, email, LearnHubWebFactory.Password)).StatusCode);
            return (Email: email, Client: client);
        }));

        // Every viewer plays on, reporting each second of playing once a second; the process is killed mid-stream.
        var accepted = new ConcurrentDictionary<string, double>();
        using var stop = new CancellationTokenSource();
        var reporting = viewers.Select(async viewer =>
        {
            for (var second = 0; !stop.IsCancellationRequested; second++)
            {
                try
                {
                    var response = await viewer.Client.PostAsJsonAsync($"/api/recordings/{recording}/progress", new { played = new[] { new double[] { second, second + 1 } } });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        accepted[viewer.Email] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("covered").GetDouble();
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the process is gone
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }).ToList();
        await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(60), () => Task.FromResult(accepted.Count == Viewers && accepted.Values.Min() >= 8));
        await web.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(reporting);
        await web.DisposeAsync();

        // What was counted before the kill and what is stored: nothing invented, at most one interval (plus the report
        // in flight) lost.
        var stored = new Dictionary<string, double>();
        await using (var connection = await database.OpenAsync(default))
        {
            foreach (var (email, covered) in await connection.QueryAsync<(string, long)>("SELECT email, covered_ms FROM recording_views WHERE media_id = @id", new { id = recording.ToString() }))
            {
                stored[email] = covered / 1000.0;
            }
        }

        Assert.Equal(Viewers, stored.Count);
        foreach (var (email, counted) in accepted)
        {
            Assert.InRange(stored[email], counted - Interval.TotalSeconds - 1, counted);
        }

        // Restarted, a viewer goes on from what was stored.
        await using var restarted = LearnHubProcess.StartWeb(settings, url);
        await restarted.WaitHealthyAsync(url);
        var first = viewers[0];
        using var again = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        await LearnHubWebFactory.SignInAsync(again, first.Email, LearnHubWebFactory.Password);
        var resumed = await again.PostAsJsonAsync($"/api/recordings/{recording}/progress", new { played = new[] { new[] { 1000.0, 1001.0 } } });
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(stored[first.Email] + 1, (await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("covered").GetDouble(), precision: 3);
        foreach (var viewer in viewers)
        {
            viewer.Client.Dispose();
        }
    }
}
