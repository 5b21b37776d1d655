using System.Runtime.CompilerServices;
using LearnHub.Testing;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>
/// A disposed app lets go of everything it built. The suite starts hundreds of apps in one process; while each stayed
/// reachable the process grew about 1 GB a minute until the kernel killed it. Two timers that outlived their app held
/// them (each captured the app's execution context): the partitioned limiter of ASP.NET Core's rate-limiting middleware,
/// which nothing disposes (now <see cref="LearnHub.Web.Hosting.SubmissionLimits"/>, owned by the container), and the pruning timer of
/// the app's SQLite connection pool (now cleared when the database is disposed).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AppDisposalTests(DatabaseFixture fixture)
{
    [Fact]
    public async Task DisposedApps_AreCollected()
    {
        var apps = new List<WeakReference<IServiceProvider>>();
        for (var i = 0; i < 4; i++)
        {
            apps.Add(await UseAndDisposeAsync(fixture.NewDirectory()));
        }

        // Two slots outside LearnHub hold at most one app each, whatever the number of apps: the runtime's event-counter
        // thread keeps the context of the first app it saw, and Hangfire's static job activator the latest app. Every
        // app in between must go.
        var between = apps[1..^1];
        var alive = 0;
        var collected = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), () =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            alive = between.Count(a => a.TryGetTarget(out _));
            return Task.FromResult(alive == 0);
        });

        Assert.True(collected, $"{alive} of {between.Count} disposed apps are still reachable.");
    }

    // Not inlined, so no local of the caller's frame keeps the app alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference<IServiceProvider>> UseAndDisposeAsync(string directory)
    {
        var app = new LearnHubWebFactory(directory);
        using (var client = app.CreateClient())
        {
            (await client.GetAsync("/")).EnsureSuccessStatusCode();
        }

        var services = new WeakReference<IServiceProvider>(app.Services);
        await app.DisposeAsync();
        return services;
    }
}
