using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LearnHub.Web.Tests;

/// <summary>
/// The real web app on a fresh SQLite (or PostgreSQL) database in its own data directory, with the clock pinned.
/// </summary>
public sealed class LearnHubWebFactory(string dataDirectory, DatabaseProvider provider = DatabaseProvider.Sqlite, string? connectionString = null)
    : WebApplicationFactory<Program>
{
    /// <summary>"Now" for the app: tests move it explicitly.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("LearnHub:DataDirectory", dataDirectory);
        builder.UseSetting("LearnHub:SeedDemoData", "false");
        builder.UseSetting("LearnHub:Database:Provider", provider.ToString());
        if (connectionString is not null)
        {
            builder.UseSetting("LearnHub:Database:ConnectionString", connectionString);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A series with a webinar (and optionally its learning exchange) starting a week from "now".</summary>
    public async Task<(Guid Series, Guid Webinar, Guid? Exchange)> SeriesWithWebinarAsync(int capacity = 100, bool withExchange = false, int exchangeCapacity = 20)
    {
        var catalog = Services.GetRequiredService<CatalogStore>();
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"series-{Guid.NewGuid():N}"[..20], "Mind the Gap", "A webinar series."), default);
        var starts = Clock.GetUtcNow().AddDays(7);
        var webinar = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs for Child Welfare Education",
            "How simulation labs train new workers.", starts, starts.AddMinutes(90), "America/New_York", capacity,
            [new Presenter("Dana Ruiz", "State university")]), default);
        Guid? exchange = null;
        if (withExchange)
        {
            exchange = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.LearningExchange, "Learning Exchange: Simulation Labs",
                "Small-group discussion.", starts.AddDays(7), starts.AddDays(7).AddHours(1), "America/New_York", exchangeCapacity, [], WebinarId: webinar), default);
        }

        return (series, webinar, exchange);
    }
}
