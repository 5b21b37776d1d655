using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Recordings;

/// <summary>Watches a recording, with its captions as a track, for whoever its visibility admits (checked per item).</summary>
[AllowAnonymous]
public sealed class ShowModel(MediaDirectory media, SessionDirectory sessions, MediaPasses passes) : RecordingPageModel(media, sessions, passes)
{
    /// <summary>Shows the player.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await DenyUnlessAllowedAsync(id, cancellationToken) ?? Page();
}
