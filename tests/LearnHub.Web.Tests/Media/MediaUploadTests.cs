using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Media;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Media;

/// <summary>The media specification on SQLite, the embedded default.</summary>
public sealed class SqliteMediaUploadTests(DatabaseFixture fixture) : MediaUploadTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same specification on PostgreSQL.</summary>
public sealed class PostgresMediaUploadTests(DatabaseFixture fixture) : MediaUploadTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>Handouts and recordings through the organizer's upload forms, and who may fetch them afterwards.</summary>
[Collection(DatabaseCollection.Name)]
public abstract class MediaUploadTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    internal const string Captions = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Dana>Welcome to the session.\n\n00:02.000 --> 00:04.000\nLet us begin.\n";

    private LearnHubWebFactory _app = null!;
    private HttpClient _organizer = null!;
    private Guid _session;

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        // Small limits so "over the limit" needs no large file.
        _app = new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString, new Dictionary<string, string>
        {
            ["LearnHub:Media:HandoutMaxBytes"] = "65536",
            ["LearnHub:Media:RecordingMaxBytes"] = "262144",
        });
        _organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        (_, _session, _) = await _app.SeriesWithWebinarAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private MediaFiles Files => _app.Services.GetRequiredService<MediaFiles>();

    internal static byte[] Pdf => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    internal static byte[] Mp4 => [0, 0, 0, 0x18, .. "ftypmp42"u8, .. new byte[4000]];

    private async Task<long> RowsAsync()
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM session_media");
    }

    /// <summary>Posts an upload form as the browser does: antiforgery token first, then the fields, then the files.</summary>
    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid session, string handler, Dictionary<string, string> fields,
        params (string Field, string FileName, byte[] Content)[] files)
    {
        var token = Forms.AntiforgeryToken(await client.GetStringAsync($"/organizer/sessions/{session}/upload"));
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var (field, fileName, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, field, fileName);
        }

        return await client.PostAsync($"/organizer/sessions/{session}/upload?handler={handler}", form);
    }

    private Task<HttpResponseMessage> HandoutAsync(string fileName, byte[] content, string visibility = "registrants") =>
        UploadAsync(_organizer, _session, "Handout", new() { ["Title"] = "Slides", ["Visibility"] = visibility }, ("File", fileName, content));

    private async Task<Guid> OnlyMediaIdAsync()
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return Guid.Parse(await connection.ExecuteScalarAsync<string>("SELECT id FROM session_media") ?? "");
    }

    private async Task<HttpClient> RegistrantAsync(bool registered, string? email = null)
    {
        email ??= await _app.AccountAsync(Role.Learner);
        if (registered)
        {
            (await _app.CreateClient().PostAsJsonAsync($"/api/sessions/{_session}/registrations", new
            {
                name = "Pat Doe", email, agency = "DCF", jobRole = "Caseworker", timeZone = "America/Chicago",
            })).EnsureSuccessStatusCode();
        }

        return await _app.SignedInClientAsync(email);
    }

    [Fact]
    public async Task AHandout_IsStoredByItsHash_AndServedAsAnAttachmentWithNosniff()
    {
        var response = await HandoutAsync("Slides.pdf", Pdf);

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf));
        Assert.Contains(Files.AllFiles(), f => f.EndsWith(Path.Combine("media", hash[..2], hash), StringComparison.Ordinal));
        var file = await _organizer.GetAsync($"/media/{await OnlyMediaIdAsync()}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Slides.pdf", file.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Pdf, await file.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnOfficeFile_IsRecognisedFromItsParts_AndNamedForWhatItIs()
    {
        using var docx = new MemoryStream();
        using (var archive = new ZipArchive(docx, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var part in new[] { "[Content_Types].xml", "word/document.xml" })
            {
                await using var writer = new StreamWriter(archive.CreateEntry(part).Open());
                await writer.WriteAsync("<x/>");
            }
        }

        var response = await HandoutAsync("agenda.pdf", docx.ToArray());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var file = await _organizer.GetAsync($"/media/{await OnlyMediaIdAsync()}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("agenda.docx", file.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task ARegistrantsOnlyHandout_IsRefusedOnItsFileUrl_ToAnonymousVisitorsAndNonRegistrants()
    {
        await HandoutAsync("Slides.pdf", Pdf);
        var url = $"/media/{await OnlyMediaIdAsync()}";

        Assert.Equal(HttpStatusCode.NotFound, (await _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await RegistrantAsync(registered: false)).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await RegistrantAsync(registered: true)).GetAsync(url)).StatusCode);
        Assert.Contains(url, await (await RegistrantAsync(registered: true)).GetStringAsync($"/sessions/{_session}"), StringComparison.Ordinal);
        Assert.DoesNotContain(url, await _app.CreateClient().GetStringAsync($"/sessions/{_session}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaffOnlyHandout_IsRefusedEvenToRegistrants_AndAPublicOneIsServedToAnyone()
    {
        await HandoutAsync("Slides.pdf", Pdf, visibility: "staff");
        var id = await OnlyMediaIdAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await (await RegistrantAsync(registered: true)).GetAsync($"/media/{id}")).StatusCode);

        await Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}", $"/organizer/sessions/{_session}?handler=Visibility",
            new() { ["mediaId"] = id.ToString(), ["visibility"] = "public" });

        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync($"/media/{id}")).StatusCode);
    }

    [Fact]
    public async Task AnExecutableRenamedPdf_IsRefusedWithAClearMessage_AndNothingIsStored()
    {
        var response = await HandoutAsync("invoice.pdf", [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, .. new byte[500]]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not a PDF, Word, PowerPoint or Excel file or an image, whatever its name says", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Files.AllFiles());
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task AFileOverTheLimit_IsRefused_AndNothingIsStored()
    {
        var response = await HandoutAsync("big.pdf", [.. Pdf, .. new byte[70_000]]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The file is larger than the limit of 64 KB. Nothing was stored.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Files.AllFiles());
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task APathTraversalName_IsRefused_AndNothingIsStored()
    {
        var response = await HandoutAsync("../../../etc/cron.d/slides.pdf", Pdf);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("points outside its folder", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Files.AllFiles());
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task MalformedCaptions_AreRefusedWithLineNumbers_AndNeitherTheVideoNorTheCaptionsIsStored()
    {
        var response = await UploadAsync(_organizer, _session, "Recording", new() { ["Title"] = "Recording", ["Visibility"] = "registrants" },
            ("Video", "session.mp4", Mp4), ("Captions", "captions.vtt", Encoding.UTF8.GetBytes("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03.000 --> 00:02.500\nbackwards\n")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Line 6: the cue ends (00:02.500) before or when it starts (00:03.000).", System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(Files.AllFiles());
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task AnInterruptedUpload_IsReported_AndLeavesNothing()
    {
        var token = Forms.AntiforgeryToken(await _organizer.GetStringAsync($"/organizer/sessions/{_session}/upload"));
        const string boundary = "----cut-off-upload";
        var head = Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"Title\"\r\n\r\nSlides\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"Visibility\"\r\n\r\nregistrants\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"File\"; filename=\"slides.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
        // The body stops in the middle of the file: no closing boundary ever arrives.
        var content = new ByteArrayContent([.. head, .. Pdf, .. new byte[20_000]]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        var response = await _organizer.PostAsync($"/organizer/sessions/{_session}/upload?handler=Handout", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The upload was interrupted before it finished. Nothing was stored", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Files.AllFiles());
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task AnUploadWithoutTheAntiforgeryToken_IsRefused()
    {
        using var form = new MultipartFormDataContent { { new StringContent("Slides"), "Title" }, { new ByteArrayContent(Pdf), "File", "slides.pdf" } };

        var response = await _organizer.PostAsync($"/organizer/sessions/{_session}/upload?handler=Handout", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task ARecordingWithCaptions_IsHiddenUntilPublished_ThenRegistrantsAreEmailedAndSeeItsTranscript()
    {
        var email = await _app.AccountAsync(Role.Learner);
        var registrant = await RegistrantAsync(registered: true, email);
        var response = await UploadAsync(_organizer, _session, "Recording", new() { ["Title"] = "Session recording", ["Visibility"] = "registrants" },
            ("Video", "session.mp4", Mp4), ("Captions", "captions.vtt", Encoding.UTF8.GetBytes(Captions)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await OnlyMediaIdAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await registrant.GetAsync($"/media/{id}")).StatusCode);

        await Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}", $"/organizer/sessions/{_session}?handler=PublishRecording", new() { ["mediaId"] = id.ToString() });

        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'recording-ready'"));
        }

        // The session is a week ahead: the mail waits for its end (and a sign-in from then has long ended).
        _app.Clock.Advance(TimeSpan.FromDays(8));
        Assert.EndsWith($"/recordings/{id}", await _app.EmailedLinkAsync(email, "/recordings/"), StringComparison.Ordinal);
        registrant = await _app.SignedInClientAsync(email);

        var video = await registrant.GetAsync($"/media/{id}");
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", video.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(Captions, await registrant.GetStringAsync($"/media/{id}/captions.vtt"));
        var transcript = await registrant.GetStringAsync($"/recordings/{id}/transcript");
        Assert.Contains("Dana: Welcome to the session.", transcript, StringComparison.Ordinal);
        Assert.Contains("<track kind=\"captions\"", await registrant.GetStringAsync($"/recordings/{id}"), StringComparison.Ordinal);
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/{id}/captions.vtt")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/recordings/{id}/transcript")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await RegistrantAsync(registered: false)).GetAsync($"/recordings/{id}")).StatusCode);
    }

    [Fact]
    public async Task ARecordingCanBeAnExternalLink()
    {
        var response = await UploadAsync(_organizer, _session, "Recording",
            new() { ["Title"] = "On the video host", ["Visibility"] = "public", ["ExternalUrl"] = "https://video.example.org/watch/123" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("https://video.example.org/watch/123", await _organizer.GetStringAsync($"/recordings/{await OnlyMediaIdAsync()}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captions_CanBeReplaced_AndBadOnesLeaveTheOldInPlace()
    {
        await UploadAsync(_organizer, _session, "Recording", new() { ["Title"] = "Session recording", ["Visibility"] = "public" },
            ("Video", "session.mp4", Mp4), ("Captions", "captions.vtt", Encoding.UTF8.GetBytes(Captions)));
        var id = await OnlyMediaIdAsync();
        var files = Files.AllFiles().Count;

        var bad = await UploadAsync(_organizer, _session, "Captions", new() { ["MediaId"] = id.ToString() },
            ("Captions", "fixed.vtt", Encoding.UTF8.GetBytes("WEBVTT\n\n00:00.000 --> 00:02.000\n")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Line 3: the cue has no text.", System.Net.WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(files, Files.AllFiles().Count);

        const string corrected = "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome to the session, everyone.\n";
        var good = await UploadAsync(_organizer, _session, "Captions", new() { ["MediaId"] = id.ToString() }, ("Captions", "fixed.vtt", Encoding.UTF8.GetBytes(corrected)));

        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        await Forms.PostAsync(_organizer, $"/organizer/sessions/{_session}", $"/organizer/sessions/{_session}?handler=PublishRecording", new() { ["mediaId"] = id.ToString() });
        Assert.Equal(corrected, await _app.CreateClient().GetStringAsync($"/media/{id}/captions.vtt"));
    }
}
