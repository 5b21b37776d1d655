using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Recordings;

/// <summary>Watches a recording, with its captions as a track, for whoever its visibility admits (checked per item).</summary>
[AllowAnonymous]
public sealed class ShowModel(MediaDirectory media, SessionDirectory sessions, MediaPasses passes, Web.Media.SelfStudyReader selfStudy)
    : RecordingPageModel(media, sessions, passes)
{
    /// <summary>The registrant's self-study state, or null when the series grants no self-study credit or the viewer is not a registrant.</summary>
    public Web.Media.SelfStudyState? SelfStudy { get; private set; }

    /// <summary>The privacy-enhanced player of a recording hosted on YouTube or Vimeo; null for any other recording.</summary>
    public string? PlayerUrl { get; private set; }

    /// <summary>True when this viewer's watching of this recording is counted (the player reports its progress).</summary>
    public bool Counted { get; private set; }

    /// <summary>The viewer's progress so far, or null before they played any of it.</summary>
    public Grains.Media.ViewProgress? Progress { get; private set; }

    /// <summary>Where playback starts: where the viewer left off, unless they asked to start over or had reached the end.</summary>
    public double StartAt { get; private set; }

    /// <summary>Shows the player, continuing where the viewer left off.</summary>
    /// <param name="id">The recording.</param>
    /// <param name="from">"start" to play from the beginning.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    public async Task<IActionResult> OnGetAsync(Guid id, string? from, CancellationToken cancellationToken)
    {
        if (await ShowAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (Recording is { Sha256: not null, LengthSeconds: { } length } && await Media.ViewOfAsync(Recording, Viewer) is { } view)
        {
            Counted = true;
            Progress = await view.Grain.ProgressAsync(length);
            // Within the last few seconds counts as finished: the next visit starts from the beginning.
            StartAt = from != "start" && Progress is { } p && p.Position < length - 5 ? Math.Floor(p.Position) : 0;
            if (view.Watcher.RegistrationId is { } registration)
            {
                SelfStudy = await selfStudy.ForAsync(Session, Recording, registration, Progress, cancellationToken);
            }
        }

        return Page();
    }

    private async Task<IActionResult?> ShowAsync(Guid id, CancellationToken cancellationToken)
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

        return null;
    }
}
