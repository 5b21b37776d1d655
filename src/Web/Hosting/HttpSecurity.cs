using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LearnHub.Web.Hosting;

/// <summary>
/// LearnHub:Http — the reverse proxies LearnHub trusts. Only a request arriving from one of them may tell LearnHub the
/// client's address (X-Forwarded-For) and that the client used HTTPS (X-Forwarded-Proto); from anyone else those headers
/// are ignored, so a client cannot pick the address the audit log and the rate limits see.
/// </summary>
public sealed class HttpOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:Http";

    /// <summary>Addresses of trusted proxies, e.g. 10.0.0.5. LearnHub:Http:KnownProxies (a list, or one comma-separated value).</summary>
    public IReadOnlyList<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. 10.0.0.0/24. LearnHub:Http:KnownNetworks (a list, or comma-separated).</summary>
    public IReadOnlyList<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Reads the section. A list may be given as children (KnownProxies:0, :1 — KnownProxies__0 in the environment) or as
    /// one comma-separated value; the configuration binder would silently drop the second form.
    /// </summary>
    public void Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        KnownProxies = List(section.GetSection(nameof(KnownProxies)));
        KnownNetworks = List(section.GetSection(nameof(KnownNetworks)));

        static IReadOnlyList<string> List(IConfigurationSection list) =>
            list.GetChildren().Select(c => c.Value ?? "").Prepend(list.Value ?? "")
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
    }

    /// <summary>Sentences naming the key of every entry that is not an address or a network; empty when all parse.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return $"LearnHub:Http:KnownProxies: '{proxy}' is not an IP address (e.g. 10.0.0.5). Set it in appsettings.json or as LearnHub__Http__KnownProxies__0.";
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return $"LearnHub:Http:KnownNetworks: '{network}' is not a network in CIDR form (e.g. 10.0.0.0/24). Set it in appsettings.json or as LearnHub__Http__KnownNetworks__0.";
        }
    }
}

/// <summary>
/// The transport-level protections of every response: forwarded headers from known proxies only, HSTS over HTTPS,
/// Secure on every cookie of an HTTPS request, no Server header, the browser-policy headers, and no-store caching.
/// </summary>
public static class HttpSecurity
{
    /// <summary>Registers the options these protections read (validated at start).</summary>
    public static WebApplicationBuilder AddLearnHubHttpSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // Kestrel names itself in every response otherwise; the name helps nobody but someone choosing an exploit.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var configuration = builder.Configuration;
        services.AddOptions<HttpOptions>().Configure(http => http.Bind(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((forwarded, options) =>
        {
            var http = options.Value;
            // The defaults trust loopback: any process on the host could then claim any client address. Only what the
            // operator lists is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in http.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }

            foreach (var network in http.KnownNetworks)
            {
                if (IPNetwork.TryParse(network, out var parsed))
                {
                    forwarded.KnownIPNetworks.Add(parsed);
                }
            }

            // With both lists empty the middleware checks no sender at all and believes everyone, so with nothing
            // listed it must not read forwarded headers in the first place.
            forwarded.ForwardedHeaders = forwarded.KnownProxies.Count + forwarded.KnownIPNetworks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // A chain of trusted proxies (a load balancer in front of nginx) is walked back to the first address that
            // is not one of them; that is the client.
            forwarded.ForwardLimit = null;
        });
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            // Other services on sibling subdomains are the operator's business, not LearnHub's to pin to HTTPS.
            hsts.IncludeSubDomains = false;
        });
        // One policy for every cookie, whoever writes it (sign-in, antiforgery, temp data, the zone preference): Secure
        // whenever the request came over HTTPS, directly or through a known proxy.
        services.Configure<CookiePolicyOptions>(cookies =>
        {
            cookies.Secure = CookieSecurePolicy.SameAsRequest;
            cookies.MinimumSameSitePolicy = SameSiteMode.Lax;
            cookies.HttpOnly = HttpOnlyPolicy.None;
        });
        return builder;
    }

    /// <summary>The protections that must run before anything reads the client's address or writes a cookie.</summary>
    public static WebApplication UseLearnHubForwardedHeadersAndHsts(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseHsts();
        app.UseCookiePolicy();
        app.Use(BrowserPolicyHeaders);
        return app;
    }

    /// <summary>
    /// No dynamic response may be kept by a browser or a shared cache unless it says so itself: exports, the audit log,
    /// manage pages and every signed-in page carry personal data, and a default is safer than a list that can miss one.
    /// Static files come before this and keep their own caching.
    /// </summary>
    public static WebApplication UseNoStoreByDefault(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (string.IsNullOrEmpty(context.Response.Headers.CacheControl))
                {
                    context.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            return next();
        });
        return app;
    }

    private static Task BrowserPolicyHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        // Hangfire's and Orleans' dashboards (admins only) need inline script and style; every LearnHub page gets the
        // strict policy.
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/admin/jobs") || context.Request.Path.StartsWithSegments(LearnHubWebHosting.OrleansDashboardPath)
            ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        // Manage links carry their token in the path: never leak it to another site through Referer.
        headers["Referrer-Policy"] = "no-referrer";
        // LearnHub uses none of these powerful features; a script that got in somehow cannot either. Full screen stays
        // for the recording player.
        headers["Permissions-Policy"] = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), fullscreen=(self)";
        return next();
    }

    private sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
    {
        public ValidateOptionsResult Validate(string? name, HttpOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
