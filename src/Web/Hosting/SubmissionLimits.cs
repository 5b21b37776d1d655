using System.Globalization;
using System.Threading.RateLimiting;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.RateLimiting;

namespace LearnHub.Web.Hosting;

/// <summary>
/// Per-client limits on submissions (sign-in and account forms, registrations), for endpoints marked with
/// <see cref="EnableRateLimitingAttribute"/> or <c>RequireRateLimiting</c>: a client over its limit gets 429 with a
/// Retry-After. Reading a page is never limited.
/// </summary>
/// <remarks>
/// ASP.NET Core's RateLimitingMiddleware would apply the same attributes, but it never disposes the partitioned limiter
/// it builds (dotnet/aspnetcore#66434): that limiter's timer runs for the life of the process and keeps the stopped app
/// (its silo, caches and pools) reachable — hundreds of them in the test suite, which the kernel killed at 23 GB. These
/// limiters belong to the container, which disposes them, and their timers, with the app.
/// </remarks>
public sealed class SubmissionLimits : IAsyncDisposable
{
    private readonly Dictionary<string, PartitionedRateLimiter<HttpContext>> _byPolicy;

    /// <summary>The sign-in and registration limits, per client address and minute.</summary>
    public SubmissionLimits(RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _byPolicy = new Dictionary<string, PartitionedRateLimiter<HttpContext>>(StringComparer.Ordinal)
        {
            [Policies.SignInLimit] = PerClient(limits.SignInPerMinute),
            [Policies.RegistrationLimit] = PerClient(limits.RegistrationsPerMinute),
        };
    }

    /// <summary>Checks the request against its endpoint's policy, before authentication reads anything.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        if (policy is null || context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            await next(context);
            return;
        }

        var limiter = _byPolicy.TryGetValue(policy, out var found) ? found : throw new InvalidOperationException($"No submission limit is named '{policy}'.");
        using var lease = await limiter.AcquireAsync(context, 1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            // A client told to slow down is told for how long (RFC 9110 §10.2.3); the API's body is problem details,
            // written by the status-code-pages middleware like every bare status.
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
        }

        await next(context);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var limiter in _byPolicy.Values)
        {
            await limiter.DisposeAsync();
        }
    }

    // Only submissions count: reading the sign-in page or a session page is never limited.
    private static PartitionedRateLimiter<HttpContext> PerClient(int perMinute) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => !HttpMethods.IsPost(context.Request.Method)
            ? RateLimitPartition.GetNoLimiter("reads")
            : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
}
