using System.Threading.RateLimiting;
using Hangfire;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Web.Accounts;
using LearnHub.Web.Catalog;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using LearnHub.Web.Api;
using LearnHub.Web.Branding;
using LearnHub.Web.Media;
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
        services.AddCatalogCache();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.AccessDeniedPath = "/denied";
            cookie.Cookie.Name = "lh_auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            // The API answers with status codes, not with a redirect to a sign-in page.
            cookie.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = ValidateAgainstAccountAsync;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Role.Admin.ToWire()))
            .AddPolicy(Policies.Organizer, p => p.RequireRole(Role.Organizer.ToWire(), Role.Admin.ToWire()))
            .AddPolicy(Policies.Coordinator, p => p.RequireRole(Role.Coordinator.ToWire(), Role.Admin.ToWire()))
            .AddPolicy(Policies.Mentor, p => p.RequireRole(Role.Mentor.ToWire()))
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());

        var limits = builder.Configuration.GetSection("LearnHub:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policies.SignInLimit, context => PerClient(context, limits.SignInPerMinute));
            limiter.AddPolicy(Policies.RegistrationLimit, context => PerClient(context, limits.RegistrationsPerMinute));
        });
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
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: the default policy never serves or stores a signed-in person's page.
        app.UseOutputCache();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapCatalogApi();
        app.MapRegistrationApi();
        app.MapCalendarFeeds();
        app.MapOrganizerExports();
        app.MapEvaluationExports();
        app.MapAttendanceExports();
        app.MapMentoringExports();
        app.MapMediaFiles();
        app.MapBranding();
        app.MapRazorPages();
        // Hangfire's own page authorization is replaced by the Admin policy on the endpoint.
        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions { Authorization = [], AppPath = "/admin", DisplayStorageConnectionString = false })
            .RequireAuthorization(Policies.Admin);
        app.Lifetime.ApplicationStarted.Register(() => LogUrls(app));
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    // Every signed-in request checks the cookie against the account as it is now: a revoked role or a new password
    // ends older sessions at once, on every node.
    private static async Task ValidateAgainstAccountAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<Silo.Accounts.AccountStore>();
        var id = context.Principal?.AccountId();
        var account = id is { } accountId ? await accounts.FindAsync(accountId, context.HttpContext.RequestAborted) : null;
        if (account is null || context.Principal!.FindFirst(Policies.StampClaim)?.Value != Policies.Stamp(account))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.HttpContext))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    // Only submissions count: reading the sign-in page or a session page is never limited.
    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        !HttpMethods.IsPost(context.Request.Method) ? RateLimitPartition.GetNoLimiter("reads") : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        // Hangfire's dashboard (admins only) needs inline script and style; every LearnHub page gets the strict policy.
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/admin/jobs")
            ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
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
