using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Recordings;

/// <summary>Watches a recording, with its captions as a track, for whoever its visibility admits (checked per item).</summary>
[AllowAnonymous]
public sealed class ShowModel(MediaDirectory media, SessionDirectory sessions, MediaPasses passes) : RecordingPageModel(media, sessions, passes)
{
    /// <summary>The privacy-enhanced player of a recording hosted on YouTube or Vimeo; null for any other recording.</summary>
    public string? PlayerUrl { get; private set; }

    /// <summary>Shows the player.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await DenyUnlessAllowedAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        PlayerUrl = Recording.Sha256 is null ? Web.Media.VideoEmbeds.PlayerUrl(Recording.ExternalUrl) : null;
        if (PlayerUrl is not null)
        {
            // Only this page may frame anything, and only the two privacy-enhanced players: every other page keeps
            // the site-wide policy, whose default-src 'self' admits no third-party frame.
            Response.Headers.ContentSecurityPolicy = $"{Response.Headers.ContentSecurityPolicy}; frame-src {Web.Media.VideoEmbeds.FrameSources}";
        }

        return Page();
    }
}
