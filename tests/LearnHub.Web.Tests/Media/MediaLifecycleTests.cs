using LearnHub.Grains.Sessions;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Media;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Media;

/// <summary>The lifecycle specification on SQLite, the embedded default.</summary>
public sealed class SqliteMediaLifecycleTests(DatabaseFixture fixture) : MediaLifecycleTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same specification on PostgreSQL.</summary>
public sealed class PostgresMediaLifecycleTests(DatabaseFixture fixture) : MediaLifecycleTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>
/// After an upload: deleting handouts and recordings, correcting captions in the browser, and registrants reaching
/// registrants-only media from their private manage link without an account.
/// </summary>
[Collection(DatabaseCollection.Name)]
public abstract partial class MediaLifecycleTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;
    private Guid _session;

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        _app = new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString);
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        (_, _session, _) = await _app.SeriesWithWebinarAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private MediaFiles Files => _app.Services.GetRequiredService<MediaFiles>();

    private HttpClient Anonymous => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static string Sha(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

    // The pinned clock gives every row the same creation instant, so "newest" is the one id not seen before.
    private readonly HashSet<Guid> _seen = [];

    private async Task<Guid> NewestMediaIdAsync()
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        var id = Assert.Single((await connection.QueryAsync<string>("SELECT id FROM session_media")).Select(Guid.Parse), i => !_seen.Contains(i));
        _seen.Add(id);
        return id;
    }

    private async Task<Guid> HandoutAsync(string title, string visibility = "registrants")
    {
        var response = await MediaUploadTests.UploadAsync(_organizer, _session, "Handout", new() { ["Title"] = title, ["Visibility"] = visibility },
            ("File", "Slides.pdf", MediaUploadTests.Pdf));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await NewestMediaIdAsync();
    }

    private async Task<Guid> RecordingAsync(string title, string captions, string visibility = "registrants", bool publish = true)
    {
        var response = await MediaUploadTests.UploadAsync(_organizer, _session, "Recording", new() { ["Title"] = title, ["Visibility"] = visibility },
            ("Video", "session.mp4", MediaUploadTests.Mp4), ("Captions", "captions.vtt", Encoding.UTF8.GetBytes(captions)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await NewestMediaIdAsync();
        if (publish)
        {
            await Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}", $"/organizer/sessions/{_session}?handler=PublishRecording",
                new() { ["mediaId"] = id.ToString() });
        }

        return id;
    }

    private Task<HttpResponseMessage> DeleteAsync(Guid media, bool confirm) =>
        Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}/media/{media}/delete", $"/organizer/sessions/{_session}/media/{media}/delete",
            confirm ? new() { ["Confirm"] = "true" } : new());

    [Fact]
    public async Task DeletingAHandout_NeedsConfirmation_IsAudited_AndKeepsTheFileWhileAnotherHandoutSharesIt()
    {
        var first = await HandoutAsync("Slides, morning");
        var second = await HandoutAsync("Slides, afternoon");
        var sha = Sha(MediaUploadTests.Pdf);

        var unconfirmed = await DeleteAsync(first, confirm: false);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Tick the box", WebUtility.HtmlDecode(await unconfirmed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _organizer.GetAsync($"/media/{first}")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(first, confirm: true)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _organizer.GetAsync($"/media/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _organizer.GetAsync($"/media/{second}")).StatusCode);
        Assert.True(Files.Exists(sha));
        var audit = await _app.Services.GetRequiredService<AuditLog>().ListAsync("handout.deleted", null, 10, default);
        Assert.Contains(audit, a => a.ObjectId == first.ToString() && a.ObjectTitle == "Slides, morning");

        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(second, confirm: true)).StatusCode);

        Assert.False(Files.Exists(sha));
        Assert.Equal(HttpStatusCode.NotFound, (await _organizer.GetAsync($"/media/{second}")).StatusCode);
    }

    [Fact]
    public async Task DeletingTheLastRecording_RemovesItsVideoAndCaptions_AndItsUrlsAnswer404()
    {
        var id = await RecordingAsync("Recording", MediaUploadTests.Captions, visibility: "public");
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync($"/media/{id}/captions.vtt")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(id, confirm: true)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{id}/captions.vtt")).StatusCode);
        Assert.False(Files.Exists(Sha(MediaUploadTests.Mp4)));
        Assert.False(Files.Exists(Sha(Encoding.UTF8.GetBytes(MediaUploadTests.Captions))));
    }

    [Fact]
    public async Task TheDeletePage_IsForOrganizersOnly()
    {
        var id = await HandoutAsync("Slides");
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));

        var page = await learner.GetAsync($"/organizer/sessions/{_session}/media/{id}/delete");

        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _organizer.GetAsync($"/media/{id}")).StatusCode);
    }

    private string CaptionsUrl(Guid id) => $"/organizer/sessions/{_session}/media/{id}/captions";

    [Fact]
    public async Task CorrectedCaptions_AreSaved_AsANewFile_AndTheOldOneGoesWhenNothingElseUsesIt()
    {
        var id = await RecordingAsync("Recording", MediaUploadTests.Captions);
        var page = await _organizer.GetStringAsync(CaptionsUrl(id));
        Assert.Contains("<label for=\"f-text\">Captions (WebVTT)</label>", page, StringComparison.Ordinal);
        Assert.Contains("Welcome to the session.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var corrected = MediaUploadTests.Captions.Replace("Let us begin.", "Let us begin, together.", StringComparison.Ordinal).ReplaceLineEndings("\r\n");

        var saved = await Forms.PostAsync(_organizer, CaptionsUrl(id), CaptionsUrl(id), new() { ["Text"] = corrected });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(corrected.ReplaceLineEndings("\n"), await _organizer.GetStringAsync($"/media/{id}/captions.vtt"));
        Assert.True(Files.Exists(Sha(Encoding.UTF8.GetBytes(corrected.ReplaceLineEndings("\n")))));
        Assert.False(Files.Exists(Sha(Encoding.UTF8.GetBytes(MediaUploadTests.Captions))));
        Assert.NotEmpty(await _app.Services.GetRequiredService<AuditLog>().ListAsync("captions.edited", null, 10, default));
    }

    [Fact]
    public async Task CaptionsUploadedAsAFile_ReplaceTheOldOnes_AndTheOldFileGoesWhenNothingElseUsesIt()
    {
        var id = await RecordingAsync("Recording", MediaUploadTests.Captions);
        var replacement = MediaUploadTests.Captions.Replace("Let us begin.", "Let us start.", StringComparison.Ordinal);

        var response = await MediaUploadTests.UploadAsync(_organizer, _session, "Captions", new() { ["MediaId"] = id.ToString() },
            ("Captions", "fixed.vtt", Encoding.UTF8.GetBytes(replacement)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(replacement, await _organizer.GetStringAsync($"/media/{id}/captions.vtt"));
        Assert.False(Files.Exists(Sha(Encoding.UTF8.GetBytes(MediaUploadTests.Captions))));
    }

    [Fact]
    public async Task CorrectingCaptionsSharedWithAnotherRecording_LeavesTheOldFileForIt()
    {
        var first = await RecordingAsync("Morning", MediaUploadTests.Captions);
        var second = await RecordingAsync("Afternoon", MediaUploadTests.Captions);
        var corrected = MediaUploadTests.Captions + "\n00:04.000 --> 00:06.000\nThank you.\n";

        await Forms.PostAsync(_organizer, CaptionsUrl(first), CaptionsUrl(first), new() { ["Text"] = corrected });

        Assert.Equal(MediaUploadTests.Captions, await _organizer.GetStringAsync($"/media/{second}/captions.vtt"));
        Assert.Equal(corrected, await _organizer.GetStringAsync($"/media/{first}/captions.vtt"));
        Assert.True(Files.Exists(Sha(Encoding.UTF8.GetBytes(MediaUploadTests.Captions))));
    }

    [Fact]
    public async Task InvalidCaptions_AreRefusedWithLineNumbers_AndChangeNothing()
    {
        var id = await RecordingAsync("Recording", MediaUploadTests.Captions);
        var filesBefore = Files.AllFiles().Order().ToList();
        const string broken = "WEBVTT\n\n00:00.000 --> 00:02.000\nFine.\n\n00:05.000 --> 00:03.000\nEnds before it starts.\n";

        var refused = await Forms.PostAsync(_organizer, CaptionsUrl(id), CaptionsUrl(id), new() { ["Text"] = broken });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("error-summary", html, StringComparison.Ordinal);
        Assert.Matches("Line 6:", html);
        Assert.Contains("Ends before it starts.", html, StringComparison.Ordinal);
        Assert.Equal(MediaUploadTests.Captions, await _organizer.GetStringAsync($"/media/{id}/captions.vtt"));
        Assert.Equal(filesBefore, Files.AllFiles().Order().ToList());
    }

    private async Task<(string ManageToken, Guid RegistrationId)> RegisterAsync(string email)
    {
        (await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{_session}/registrations", new
        {
            name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
        })).EnsureSuccessStatusCode();
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        var (id, group, secret) = await connection.QuerySingleAsync<(string, string, string)>(
            "SELECT id, group_id, group_secret FROM registrations WHERE email_normalized = @email", new { email });
        var token = _app.Services.GetRequiredService<ManageLinks>().TokenFor(new RegistrationGroup(Guid.Parse(group), secret));
        return (token, Guid.Parse(id));
    }

    [GeneratedRegex("href=\"(/(?:media|recordings)/[^\"]+)\"")]
    private static partial Regex MediaLink();

    private async Task<IReadOnlyList<string>> ManageLinksAsync(string token) =>
        MediaLink().Matches(await Anonymous.GetStringAsync($"/registrations/{token}")).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [Fact]
    public async Task TheManageLink_OpensRegistrantsOnlyMedia_WithoutAnAccount_AndNothingElseDoes()
    {
        var handout = await HandoutAsync("Slides");
        var recording = await RecordingAsync("Recording", MediaUploadTests.Captions);
        var staffOnly = await HandoutAsync("Notes for staff", visibility: "staff");
        var (token, _) = await RegisterAsync("pat@example.org");

        var links = await ManageLinksAsync(token);

        Assert.Equal(2, links.Count);
        var handoutLink = Assert.Single(links, l => l.StartsWith($"/media/{handout}?pass=", StringComparison.Ordinal));
        var watchLink = Assert.Single(links, l => l.StartsWith($"/recordings/{recording}?pass=", StringComparison.Ordinal));
        Assert.DoesNotContain(links, l => l.Contains(staffOnly.ToString(), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync(handoutLink)).StatusCode);
        var watch = WebUtility.HtmlDecode(await Anonymous.GetStringAsync(watchLink));
        var pass = watchLink[(watchLink.IndexOf("?pass=", StringComparison.Ordinal) + 6)..];
        Assert.Contains($"src=\"/media/{recording}/captions.vtt?pass={pass}\"", watch, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync($"/media/{recording}?pass={pass}")).StatusCode);
        Assert.Equal(MediaUploadTests.Captions, await Anonymous.GetStringAsync($"/media/{recording}/captions.vtt?pass={pass}"));

        // Without the pass, with a pass for another item, or with a tampered one: 404 as before.
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{handout}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{handout}?pass={pass}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{recording}?pass={pass[..^2]}xx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync($"/media/{staffOnly}?pass={pass}")).StatusCode);
    }

    [Fact]
    public async Task APass_StopsWorking_WhenItsRegistrationIsCancelled()
    {
        var handout = await HandoutAsync("Slides");
        var (token, registration) = await RegisterAsync("pat@example.org");
        var link = Assert.Single(await ManageLinksAsync(token));
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync(link)).StatusCode);

        await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(_session).CancelAsync(registration);

        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync(link)).StatusCode);
        Assert.Empty(await ManageLinksAsync(token));
    }

    [Fact]
    public async Task APass_Expires()
    {
        await HandoutAsync("Slides");
        var (token, _) = await RegisterAsync("pat@example.org");
        var link = Assert.Single(await ManageLinksAsync(token));

        _app.Clock.Advance(MediaPasses.Lifetime + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync(Assert.Single(await ManageLinksAsync(token)))).StatusCode);
    }

    [Fact]
    public async Task AWaitlistedRegistration_GetsNoMediaLinks()
    {
        await HandoutAsync("Slides");
        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE sessions SET capacity = 0 WHERE id = @id", new { id = _session.ToString() });
        }

        var (token, _) = await RegisterAsync("waiting@example.org");

        Assert.Empty(await ManageLinksAsync(token));
    }
}
