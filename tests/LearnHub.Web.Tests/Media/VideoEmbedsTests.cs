using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Testing;
using LearnHub.Web.Media;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Media;

/// <summary>
/// Recordings hosted on YouTube or Vimeo play in the page through the hosts' privacy-enhanced players, which only that
/// page's CSP admits as frames; any other link stays a link, and the uploaded captions stay the transcript.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class VideoEmbedsTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("https://www.youtube.com/watch?v=M7lc1UVf-VE", "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE")]
    [InlineData("https://youtu.be/M7lc1UVf-VE?t=42", "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE")]
    [InlineData("https://m.youtube.com/watch?feature=share&v=M7lc1UVf-VE", "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE")]
    [InlineData("https://www.youtube.com/live/M7lc1UVf-VE", "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE")]
    [InlineData("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1")]
    [InlineData("https://vimeo.com/76979871/8272103f6e", "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e")]
    [InlineData("https://player.vimeo.com/video/76979871?h=8272103f6e", "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e")]
    public void AYouTubeOrVimeoLink_PlaysThroughThePrivacyEnhancedPlayer(string link, string player) =>
        Assert.Equal(player, VideoEmbeds.PlayerUrl(link));

    [Theory]
    [InlineData("http://www.youtube.com/watch?v=M7lc1UVf-VE")] // not https
    [InlineData("https://www.youtube.com.example.org/watch?v=M7lc1UVf-VE")]
    [InlineData("https://www.youtube.com/watch?v=M7lc1UVf-VE%22onload%3D")]
    [InlineData("https://www.youtube.com/watch?v=short")]
    [InlineData("https://vimeo.com/channels/staffpicks")]
    [InlineData("https://video.example.org/watch/123")]
    [InlineData("javascript:alert(1)")]
    public void AnyOtherLink_IsNotEmbedded(string link) => Assert.Null(VideoEmbeds.PlayerUrl(link));

    private async Task<(HttpClient Registrant, Guid Recording)> RecordingAsync(string link)
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var media = _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(session);
        var recording = (await media.AddAsync(new MediaDraft(session, MediaKind.Recording, "Session recording", MediaVisibility.Public, ExternalUrl: link))).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        return (_app.CreateClient(), recording);
    }

    [Fact]
    public async Task AYouTubeRecording_IsFramedFromYoutubeNocookie_AndOnlyItsPageAdmitsThoseFrames()
    {
        var (visitor, recording) = await RecordingAsync("https://www.youtube.com/watch?v=M7lc1UVf-VE");

        var page = await visitor.GetAsync($"/recordings/{recording}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Contains("<iframe id=\"player\" src=\"https://www.youtube-nocookie.com/embed/M7lc1UVf-VE\"", html, StringComparison.Ordinal);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.EndsWith("; frame-src https://www.youtube-nocookie.com https://player.vimeo.com", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("frame-src", (await visitor.GetAsync("/")).Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordingElsewhere_StaysALink_AndAdmitsNoFrame()
    {
        var (visitor, recording) = await RecordingAsync("https://video.example.org/watch/123");

        var page = await visitor.GetAsync($"/recordings/{recording}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("<iframe", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("frame-src", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
