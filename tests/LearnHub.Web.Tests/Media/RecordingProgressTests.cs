using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Media;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Media;

/// <summary>Watch progress on SQLite, the embedded default.</summary>
public sealed class SqliteRecordingProgressTests(DatabaseFixture fixture) : RecordingProgressTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same specification on PostgreSQL.</summary>
public sealed class PostgresRecordingProgressTests(DatabaseFixture fixture) : RecordingProgressTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>
/// Watch progress (issue 14): the watch page's player reports the stretches it played; what counts is their union,
/// measured against the length read from the uploaded file, for a registrant who came through the pass in their mail.
/// </summary>
[Collection(DatabaseCollection.Name)]
public abstract class RecordingProgressTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly TimeSpan Length = TimeSpan.FromMinutes(10);
    private LearnHubWebFactory _app = null!;
    private Guid _session;
    private Guid _recording;

    public async Task InitializeAsync()
    {
        // A ten-minute write interval, on the real clock too: no write-behind timer fires while a test runs, so what is
        // written when is decided by the pinned clock alone.
        _app = await LearnHubWebFactory.OnAsync(fixture, provider, new Dictionary<string, string> { ["LearnHub:Media:ProgressWriteInterval"] = "00:10:00" });
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        (_, _session, _) = await _app.SeriesWithWebinarAsync();
        var uploaded = await MediaUploadTests.UploadAsync(organizer, _session, "Recording", new() { ["Title"] = "The webinar", ["Visibility"] = "registrants" },
            ("Video", "webinar.mp4", TestVideos.Mp4(Length)));
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        await using var connection = await Database.OpenAsync(default);
        _recording = Guid.Parse(await connection.QuerySingleAsync<string>("SELECT id FROM session_media"));
        await Forms.PostAsync(organizer, $"/organizer/sessions/{_session}", $"/organizer/sessions/{_session}?handler=PublishRecording",
            new() { ["mediaId"] = _recording.ToString() });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private LearnHubDatabase Database => _app.Services.GetRequiredService<LearnHubDatabase>();

    private HttpClient Anonymous => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<Guid> RegisterAsync(string email)
    {
        (await Anonymous.PostAsJsonAsync($"/api/sessions/{_session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).EnsureSuccessStatusCode();
        await using var connection = await Database.OpenAsync(default);
        return Guid.Parse(await connection.QuerySingleAsync<string>("SELECT id FROM registrations WHERE email_normalized = @email", new { email }));
    }

    private async Task<string> ManageTokenAsync(Guid registration)
    {
        await using var connection = await Database.OpenAsync(default);
        var (group, secret) = await connection.QuerySingleAsync<(string, string)>("SELECT group_id, group_secret FROM registrations WHERE id = @id", new { id = registration.ToString() });
        return _app.Services.GetRequiredService<LearnHub.Silo.Registrations.ManageLinks>().TokenFor(new LearnHub.Grains.Registrations.RegistrationGroup(Guid.Parse(group), secret));
    }

    private string PassFor(Guid registration) => _app.Services.GetRequiredService<MediaPasses>().Issue(registration, _recording);

    private Task<HttpResponseMessage> ReportAsync(string pass, params double[][] played) =>
        Anonymous.PostAsJsonAsync($"/api/recordings/{_recording}/progress?pass={Uri.EscapeDataString(pass)}", new { played });

    private async Task<double> CoveredAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("covered").GetDouble();
    }

    private async Task<long?> StoredCoveredMsAsync(Guid registration)
    {
        await using var connection = await Database.OpenAsync(default);
        return await connection.QuerySingleOrDefaultAsync<long?>("SELECT covered_ms FROM recording_views WHERE registration_id = @id", new { id = registration.ToString() });
    }

    [Fact]
    public async Task WhatCounts_IsTheUnionOfWhatWasPlayed_WrittenBehind_AndPlaybackContinuesWhereItStopped()
    {
        var registration = await RegisterAsync("pat@example.org");
        var pass = PassFor(registration);
        Assert.Equal(Length.TotalSeconds, (await _app.Services.GetRequiredService<MediaDirectory>().OpenAsync(_recording, new MediaViewer(null, true), default))!.LengthSeconds);

        // The first report is written at once; the next ones within the interval wait for the write-behind.
        Assert.Equal(15, await CoveredAsync(await ReportAsync(pass, [0, 15])));
        Assert.Equal(15_000, await StoredCoveredMsAsync(registration));
        _app.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(30, await CoveredAsync(await ReportAsync(pass, [15, 30])));
        _app.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(30, await CoveredAsync(await ReportAsync(pass, [0, 15])));                // a replay counts once
        _app.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(42, await CoveredAsync(await ReportAsync(pass, [30, 32], [300, 310]))); // a skip counts only what was played
        Assert.Equal(15_000, await StoredCoveredMsAsync(registration));
        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(47, await CoveredAsync(await ReportAsync(pass, [310, 315])));
        Assert.Equal(47_000, await StoredCoveredMsAsync(registration));

        // The watch page (through the same pass) says how much, and plays on from where the viewer stopped.
        var page = await Anonymous.GetStringAsync($"/recordings/{_recording}?pass={Uri.EscapeDataString(pass)}");
        Assert.Contains("You have watched 8% of this recording.", page, StringComparison.Ordinal);
        Assert.Contains($"src=\"/media/{_recording}?pass={Uri.EscapeDataString(pass)}#t=315\"", page, StringComparison.Ordinal);
        Assert.Contains("data-progress-url=\"/api/recordings/", page, StringComparison.Ordinal);
        var fromStart = await Anonymous.GetStringAsync($"/recordings/{_recording}?pass={Uri.EscapeDataString(pass)}&from=start");
        Assert.Contains($"src=\"/media/{_recording}?pass={Uri.EscapeDataString(pass)}\"", fromStart, StringComparison.Ordinal);

        // The manage page lists the recording with how much of it was watched.
        var manage = await Anonymous.GetStringAsync($"/registrations/{await ManageTokenAsync(registration)}");
        Assert.Contains("<span class=\"watched\">watched 8%</span>", manage, StringComparison.Ordinal);

        // Once the session is past, Pat's My learning lists it the same way (signed in, the seat opens it: no pass).
        _app.Clock.Advance(TimeSpan.FromDays(8));
        await _app.Services.GetRequiredService<LearnHub.Silo.Accounts.AccountStore>().CreateAsync("pat@example.org", "Pat Doe", LearnHubWebFactory.Password, [Role.Learner], default);
        var learning = await (await _app.SignedInClientAsync("pat@example.org")).GetStringAsync("/my-learning");
        Assert.Contains($"<a href=\"/recordings/{_recording}\">The webinar</a> (recording) · <span class=\"watched\">watched 8%</span>", learning, StringComparison.Ordinal);

        // The organizer sees who watched how much, and exports it (on the record).
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var views = await organizer.GetStringAsync($"/organizer/sessions/{_session}/media/{_recording}/views");
        Assert.Contains("<dd id=\"viewers\">1</dd>", views, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"average-share\">8%</dd>", views, StringComparison.Ordinal);
        Assert.Contains("pat@example.org", views, StringComparison.Ordinal);
        var csv = await organizer.GetStringAsync($"/organizer/sessions/{_session}/media/{_recording}/views.csv");
        Assert.Equal(["name,email,played_seconds,played_share,last_watched_utc", "Pat Doe,pat@example.org,47.0,0.078,2026-11-22T15:10:45.0000000Z"],
            csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        await using var connection = await Database.OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'recording-views.exported' AND object_id = @id",
            new { id = _recording.ToString() }));
        Assert.Equal(HttpStatusCode.NotFound, (await organizer.GetAsync($"/organizer/sessions/{_session}/media/{Guid.NewGuid()}/views.csv")).StatusCode);
    }

    [Fact]
    public async Task ForgedOrMalformedReports_AreRefused_AndChangeNothing_AndOnlyThoseWhoMayOpenItReport()
    {
        var registration = await RegisterAsync("sam@example.org");
        var pass = PassFor(registration);
        Assert.Equal(10, await CoveredAsync(await ReportAsync(pass, [0, 10])));

        foreach (var forged in new[]
        {
            new[] { new double[] { 10, 600 } },              // more than the time since the last report allows
            [[-1, 5]], [[20, 10]], [[590, 700]],              // before the start, backwards, past the end
            [.. Enumerable.Range(0, 51).Select(i => new double[] { i, i + 0.1 })],
        })
        {
            var refused = await ReportAsync(pass, forged);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var malformed = await Anonymous.PostAsJsonAsync($"/api/recordings/{_recording}/progress?pass={Uri.EscapeDataString(pass)}", new { played = new[] { new[] { 1.0 } } });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(10_000, await StoredCoveredMsAsync(registration));

        // No pass, a tampered pass, or a pass for a registration that holds no seat: the recording is not there for them.
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.PostAsJsonAsync($"/api/recordings/{_recording}/progress", new { played = new[] { new[] { 0.0, 5 } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(pass[..^2] + "xx", [0, 5])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.PostAsJsonAsync($"/api/recordings/{Guid.NewGuid()}/progress?pass={Uri.EscapeDataString(pass)}",
            new { played = new[] { new[] { 0.0, 5 } } })).StatusCode);

        // Staff previewing without a seat may open it, but their watching is not counted.
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var preview = await organizer.PostAsJsonAsync($"/api/recordings/{_recording}/progress", new { played = new[] { new[] { 0.0, 5 } } });
        Assert.False((await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counted").GetBoolean());
        await using var connection = await Database.OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recording_views"));
    }

    [Fact]
    public async Task AViewerWhoseSeatEnds_IsRefusedTheFileAtOnce_AndStopsBeingCountedWithinTheRecheck()
    {
        var registration = await RegisterAsync("kim@example.org");
        var pass = PassFor(registration);
        Assert.Equal(10, await CoveredAsync(await ReportAsync(pass, [0, 10])));

        await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(_session).CancelAsync(registration);

        // The file is the media grain's decision on every request; a player's reports are counted on the view grain's
        // last yes for at most RecordingViewGrain.AdmissionRecheck (a minute), as the README states.
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{_recording}?pass={Uri.EscapeDataString(pass)}")).StatusCode);
        _app.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(25, await CoveredAsync(await ReportAsync(pass, [10, 25])));
        _app.Clock.Advance(RecordingViewGrain.AdmissionRecheck);
        var refused = await ReportAsync(pass, [25, 40]);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        _app.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(pass, [40, 55])).StatusCode);
    }
}
