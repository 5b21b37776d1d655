using Hangfire;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Time;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.Cookies;
using LearnHub.Web.Api;
using LearnHub.Web.Branding;
using LearnHub.Web.Localization;
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
        builder.AddLearnHubHttpSecurity();
        var services = builder.Services;
        services.AddRazorPages().AddViewLocalization().AddMvcOptions(options => options.Filters.AddService<RenderedPages>());
        // Interface text comes from Resources/*.resx; the request's language is chosen as Languages.Configure says.
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(Languages.Configure);
        // A problem's title, detail and field messages are rules' English; the API answers in the request's language.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context => Messages.Translate(context.ProblemDetails));
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddSingleton<RegistrationDesk>();
        services.AddSingleton<RenderedPages>();
        services.AddSingleton<Media.SelfStudyReader>();
        // Link requests are answered first and handled after, in the process that took them.
        services.AddSingleton<LinkRequests>();
        services.AddHostedService(sp => sp.GetRequiredService<LinkRequests>());

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.AccessDeniedPath = "/denied";
            cookie.Cookie.Name = "lh_auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Sliding: each use extends the sign-in up to LearnHub:Sessions:IdleTimeout (set below); the session row
            // ends it at LearnHub:Sessions:AbsoluteLifetime however busy it is.
            cookie.SlidingExpiration = true;
            // The API answers with status codes, not with a redirect to a sign-in page.
            cookie.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
            cookie.Events.OnSigningOut = EndSessionAsync;
        });
        // The cookie's own expiry reads the same clock as the session rows, so a test that pins the date pins both.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SignInSessionOptions>, LearnHubClock>((cookie, sessions, clock) =>
            {
                cookie.ExpireTimeSpan = sessions.Value.IdleTimeout;
                cookie.TimeProvider = clock;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Role.Admin.ToWire()))
            .AddPolicy(Policies.Organizer, p => p.RequireRole(Role.Organizer.ToWire(), Role.Admin.ToWire()))
            .AddPolicy(Policies.Coordinator, p => p.RequireRole(Role.Coordinator.ToWire(), Role.Admin.ToWire()))
            .AddPolicy(Policies.Mentor, p => p.RequireRole(Role.Mentor.ToWire()))
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());

        var limits = builder.Configuration.GetSection("LearnHub:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        // The container owns the limiters, so they and their timers go with the app (see SubmissionLimits).
        services.AddSingleton(_ => new SubmissionLimits(limits));
        return builder;
    }

    /// <summary>The HTTP pipeline and every endpoint.</summary>
    public static WebApplication UseLearnHubWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First: everything after (error pages included) reads the client's address and scheme as the trusted proxy
        // reported them.
        app.UseLearnHubForwardedHeadersAndHsts();
        // Next: error pages and problem details are written in the visitor's language too.
        app.UseRequestLocalization();
        // The API answers every error as RFC 9457 problem details: its own results are ProblemHttpResults, and what the
        // framework refuses with a bare status (malformed JSON, wrong types, bad UTF-8, 413, 415, 429, 401/403/404)
        // gets its body from the status-code-pages middleware, which writes through the problem-details service.
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !IsApi(c), pages =>
        {
            pages.UseExceptionHandler("/Error");
            pages.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        });
        app.UseStaticFiles();
        app.UseNoStoreByDefault();
        app.UseRouting();
        app.UseTextInputGuard();
        var submissionLimits = app.Services.GetRequiredService<SubmissionLimits>();
        app.Use(submissionLimits.InvokeAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // Orleans' dashboard shows grain state, which holds staff data: every path under it is the admins' alone, mapped or
        // not. It is built on an admin's first visit, not at start: mapping it reads its whole single-page app into memory
        // (13 MB, a gzipped copy besides, through growing buffers left on the large-object heap), 47 MB of every
        // process's memory for a page opened now and then.
        app.MapWhen(c => c.Request.Path.StartsWithSegments(OrleansDashboardPath), dashboard => dashboard.Run(OrleansDashboard(app.Services)));

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapCatalogApi();
        app.MapRegistrationApi();
        app.MapRecordingProgressApi();
        app.MapCalendarFeeds();
        app.MapOrganizerExports();
        app.MapEvaluationExports();
        app.MapAttendanceExports();
        app.MapMentoringExports();
        app.MapMediaFiles();
        app.MapBranding();
        app.MapRazorPages();
        // Hangfire's dashboard polls its statistics by POST; its handler reads a form and throws on a GET, which would
        // answer 500. The method is simply not allowed.
        app.MapGet("/admin/jobs/stats", (HttpContext http) =>
            {
                http.Response.Headers.Allow = "POST";
                return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
            })
            .RequireAuthorization(Policies.Admin);
        // Hangfire's own page authorization is replaced by the Admin policy on the endpoint.
        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions { Authorization = [], AppPath = "/admin", DisplayStorageConnectionString = false })
            .RequireAuthorization(Policies.Admin);
        app.Lifetime.ApplicationStarted.Register(() => LogUrls(app));
        return app;
    }

    /// <summary>Where Orleans' dashboard is served (admins only).</summary>
    public const string OrleansDashboardPath = "/admin/orleans";

    private static RequestDelegate OrleansDashboard(IServiceProvider services)
    {
        var pipeline = new Lazy<RequestDelegate>(() =>
        {
            // Its own routes, apart from the application's: they exist only once it is built.
            var dashboard = new ApplicationBuilder(services);
            dashboard.UseRouting();
            dashboard.UseAuthorization();
            dashboard.UseEndpoints(endpoints =>
                Orleans.Dashboard.ServiceCollectionExtensions.MapOrleansDashboard(endpoints, OrleansDashboardPath).RequireAuthorization(Policies.Admin));
            return dashboard.Build();
        });
        return async context =>
        {
            // The policy is checked before the dashboard is built: an anonymous probe costs nothing and learns nothing.
            var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
            if (!(await authorization.AuthorizeAsync(context.User, Policies.Admin)).Succeeded)
            {
                await (context.User.Identity?.IsAuthenticated == true ? context.ForbidAsync() : context.ChallengeAsync());
                return;
            }

            await pipeline.Value(context);
        };
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    // Every signed-in request checks that the session its cookie names is still live: one primary-key read. Signing
    // out, a new password, other roles and "sign out everywhere" end sessions, so older cookies fail here on every node.
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
        var live = await sessions.FindLiveAsync(context.Principal?.SessionId(), context.HttpContext.RequestAborted);
        if (live is null || live.AccountId != context.Principal!.AccountId())
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    // Signing out ends the session on the server too: a copy of the cookie taken before is worthless after.
    private static Task EndSessionAsync(CookieSigningOutContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<SignInSessions>()
            .EndAsync(context.HttpContext.User.SessionId(), SessionEndReason.SignedOut, context.HttpContext.RequestAborted);

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

    private static void LogUrls(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<LearnHubOptions>>().Value;
        app.Logger.LogInformation("LearnHub is running on {Urls} with {Provider} (data directory {DataDirectory})",
            string.Join(", ", app.Urls), options.Database.Provider, options.DataDirectoryFullPath);
    }
}
