using LearnHub.Silo.Storage;
using LearnHub.Web.Api;
using LearnHub.Web.Registrations;
using Microsoft.Extensions.Options;

namespace LearnHub.Web.Hosting;

/// <summary>What the web process adds on top of the silo: pages, the API, and the HTTP pipeline.</summary>
public static class LearnHubWebHosting
{
    /// <summary>Registers the web services.</summary>
    public static WebApplicationBuilder AddLearnHubWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A build (not a publish) keeps wwwroot in the project; the static-web-assets manifest beside the binaries maps
        // it in every environment, so a Release build run for a benchmark or a second node serves its CSS too.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorPages();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddSingleton<RegistrationDesk>();
        return builder;
    }

    /// <summary>The HTTP pipeline and every endpoint.</summary>
    public static WebApplication UseLearnHubWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(IsApi, api => api.UseExceptionHandler());
        app.UseWhen(c => !IsApi(c), pages =>
        {
            pages.UseExceptionHandler("/Error");
            pages.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        });
        app.Use(SecurityHeaders);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapCatalogApi();
        app.MapRegistrationApi();
        app.MapCalendarFeeds();
        app.MapRazorPages();
        app.Lifetime.ApplicationStarted.Register(() => LogUrls(app));
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        // Manage links carry their token in the path: never leak it to another site through Referer.
        headers["Referrer-Policy"] = "no-referrer";
        return next();
    }

    private static void LogUrls(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<LearnHubOptions>>().Value;
        app.Logger.LogInformation("LearnHub is running on {Urls} with {Provider} (data directory {DataDirectory})",
            string.Join(", ", app.Urls), options.Database.Provider, options.DataDirectoryFullPath);
    }
}
