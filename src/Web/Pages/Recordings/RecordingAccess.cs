using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Media;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Recordings;

/// <summary>The recording pages' shared door: the same per-item rule as the file URLs.</summary>
public abstract class RecordingPageModel(MediaDirectory media, SessionDirectory sessions, MediaPasses passes) : PageModel
{
    /// <summary>
    /// The query that carries this visit's media pass on to the file, captions and transcript URLs ("?pass=…"), or
    /// empty when the visitor came without one.
    /// </summary>
    public string PassQuery { get; private set; } = "";

    /// <summary>The recording.</summary>
    public MediaItem Recording { get; private set; } = null!;

    /// <summary>Its session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>The media grains' directory.</summary>
    protected MediaDirectory Media { get; } = media;

    /// <summary>Who is watching, as the media rules see them.</summary>
    protected MediaViewer Viewer { get; private set; } = MediaViewer.Anonymous;

    /// <summary>
    /// Loads the recording if this visitor may see it. Someone not signed in is sent to sign in (a registrant may just
    /// need to); anyone else who may not see it gets 404, as on the file URL.
    /// </summary>
    protected async Task<IActionResult?> DenyUnlessAllowedAsync(Guid id, CancellationToken cancellationToken)
    {
        var viewer = Viewer = HttpContext.AsMediaViewer(passes, id);
        if (await Media.OpenAsync(id, viewer, cancellationToken) is { Kind: MediaKind.Recording } item
            && await sessions.ViewAsync(item.SessionId, cancellationToken) is { } session)
        {
            (Recording, Session) = (item, session);
            if (viewer.PassRegistrationId is not null)
            {
                PassQuery = "?" + MediaEndpoints.PassParameter + "=" + Uri.EscapeDataString(Request.Query[MediaEndpoints.PassParameter].ToString());
                Response.Headers.CacheControl = "no-store";
            }

            return null;
        }

        return User.Identity?.IsAuthenticated == true ? NotFound() : Challenge();
    }
}
