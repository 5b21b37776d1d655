using LearnHub.Grains.Media;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Recordings;

/// <summary>A recording's transcript, rendered from its caption cues (same door as the recording).</summary>
[AllowAnonymous]
public sealed class TranscriptModel(MediaDirectory media, SessionDirectory sessions, MediaFiles files, MediaPasses passes) : RecordingPageModel(media, sessions, passes)
{
    /// <summary>The cues, in time order.</summary>
    public IReadOnlyList<Cue> Cues { get; private set; } = [];

    /// <summary>Shows the transcript; 404 when the recording has no captions.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await DenyUnlessAllowedAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        if (Recording.CaptionsSha256 is not { } sha || files.OpenRead(sha) is not { } stream)
        {
            return NotFound();
        }

        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            Cues = WebVtt.Parse(buffer.ToArray()).Cues;
        }

        return Page();
    }

    /// <summary>"1:02:03" or "2:03".</summary>
    public static string Clock(TimeSpan at) => at.TotalHours >= 1 ? at.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : at.ToString(@"m\:ss", System.Globalization.CultureInfo.InvariantCulture);
}
