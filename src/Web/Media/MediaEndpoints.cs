using System.Security.Claims;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using Microsoft.Net.Http.Headers;

namespace LearnHub.Web.Media;

/// <summary>
/// The file URLs of handouts, recordings and captions. Each request is checked against the item's visibility here, on
/// the file itself: knowing or guessing the URL gives nothing. Anyone not allowed gets 404, which does not confirm
/// that the item exists.
/// </summary>
public static class MediaEndpoints
{
    /// <summary>Maps the file URLs (anonymous at the door, checked per item).</summary>
    public static IEndpointRouteBuilder MapMediaFiles(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/media/{id:guid}", async (Guid id, HttpContext http, MediaDirectory media, MediaFiles files, MediaPasses passes, CancellationToken cancellationToken) =>
            {
                if (await media.OpenAsync(id, http.AsMediaViewer(passes, id), cancellationToken) is not { Sha256: { } sha } item
                    || files.OpenRead(sha) is not { } stream)
                {
                    return Results.NotFound();
                }

                // Videos play in the page (inline); documents download. Either way the type is the one recognised
                // from the content at upload, and the browser is told not to second-guess it.
                Protect(http, inline: item.Kind == MediaKind.Recording, item.FileName ?? "file");
                return Results.Stream(stream, item.ContentType ?? "application/octet-stream", enableRangeProcessing: true);
            })
            .AllowAnonymous().WithTags("Media").WithName("MediaFile").ExcludeFromDescription();

        routes.MapGet("/media/{id:guid}/captions.vtt", async (Guid id, HttpContext http, MediaDirectory media, MediaFiles files, MediaPasses passes, CancellationToken cancellationToken) =>
            {
                if (await media.OpenAsync(id, http.AsMediaViewer(passes, id), cancellationToken) is not { CaptionsSha256: { } sha }
                    || files.OpenRead(sha) is not { } stream)
                {
                    return Results.NotFound();
                }

                Protect(http, inline: true, "captions.vtt");
                return Results.Stream(stream, "text/vtt; charset=utf-8");
            })
            .AllowAnonymous().WithTags("Media").WithName("MediaCaptions").ExcludeFromDescription();
        return routes;
    }

    /// <summary>Who the signed-in person is for media checks: their email, and whether they are staff.</summary>
    public static MediaViewer AsMediaViewer(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return MediaViewer.Anonymous;
        }

        return new MediaViewer(user.FindFirstValue(ClaimTypes.Email), user.IsInRole(Role.Organizer.ToWire()) || user.IsInRole(Role.Admin.ToWire()));
    }

    /// <summary>
    /// The signed-in person, plus the registration a media pass in the query (<c>?pass=</c>, from a private manage link)
    /// names when it is valid for item <paramref name="mediaId"/>.
    /// </summary>
    public static MediaViewer AsMediaViewer(this HttpContext http, MediaPasses passes, Guid mediaId)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(passes);
        return http.User.AsMediaViewer() with { PassRegistrationId = passes.Open(http.Request.Query[PassParameter], mediaId) };
    }

    /// <summary>The query parameter that carries a media pass.</summary>
    public const string PassParameter = "pass";

    private static void Protect(HttpContext http, bool inline, string fileName)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        // Should a stored file ever be opened as a document, it runs in a sandbox with no script and no same-origin access.
        headers.ContentSecurityPolicy = "sandbox; default-src 'none'; media-src 'self'";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(fileName);
        headers.ContentDisposition = disposition.ToString();
    }
}
