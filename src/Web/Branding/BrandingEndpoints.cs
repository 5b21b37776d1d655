using LearnHub.Grains.Branding;
using LearnHub.Silo.Branding;

namespace LearnHub.Web.Branding;

/// <summary>
/// The organisation's logo, served to anyone (it is on every page and email). The signature is never served on its
/// own: it appears only inside a certificate, embedded in the page or PDF that the certificate's own access rules admit.
/// </summary>
public static class BrandingEndpoints
{
    /// <summary>The logo's address; its content hash in the query makes each version cacheable for good.</summary>
    public static string LogoUrl(BrandImage logo)
    {
        ArgumentNullException.ThrowIfNull(logo);
        return $"/branding/logo?v={logo.Sha256[..16]}";
    }

    /// <summary>Maps GET /branding/logo.</summary>
    public static IEndpointRouteBuilder MapBranding(this IEndpointRouteBuilder app)
    {
        app.MapGet("/branding/logo", async (HttpContext context, BrandingStore branding, CancellationToken cancellationToken) =>
        {
            var logo = (await branding.CurrentAsync(cancellationToken)).Logo;
            if (logo is null)
            {
                return Results.NotFound();
            }

            // Only the version asked for is cached for a year; an old or missing version is answered but not kept.
            var current = string.Equals(context.Request.Query["v"], logo.Sha256[..16], StringComparison.Ordinal);
            context.Response.Headers.CacheControl = current ? "public, max-age=31536000, immutable" : "no-cache";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(logo.Content, logo.ContentType);
        }).AllowAnonymous();
        return app;
    }
}
