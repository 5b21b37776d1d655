using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Silo.Tests.Catalog;

[Collection(DatabaseCollection.Name)]
public class DemoSeederTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Seed_CreatesMindTheGap_WithTenWebinarsEachFollowedAWeekLaterByItsExchange(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var catalog = new GrainCatalog(silo.Services, _clock);

        Assert.True(await silo.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(default));

        var series = await catalog.FindSeriesAsync(DemoSeeder.SeriesSlug, default);
        var webinars = series!.Sessions.Where(s => s.Kind == SessionKind.NationalWebinar).ToList();
        Assert.Equal(10, webinars.Count);
        Assert.Contains(webinars, w => w.Title == "Peer Mentoring, Crisis Response & Resilience-building: NJ DCF's Worker2Worker Program");
        foreach (var webinar in webinars)
        {
            var exchange = series.Sessions.Single(s => s.Id == webinar.LearningExchangeId);
            Assert.Equal(SessionKind.LearningExchange, exchange.Kind);
            Assert.Equal(7, (exchange.StartsAt - webinar.StartsAt).TotalDays, precision: 0);
            Assert.True(exchange.Capacity < webinar.Capacity);
        }

        Assert.Contains(webinars, w => w.StartsAt < _clock.GetUtcNow());
        Assert.Contains(webinars, w => w.StartsAt > _clock.GetUtcNow());
        var training = await catalog.FindSeriesAsync(DemoSeeder.TrainingSlug, default);
        Assert.Equal(5, training!.Sessions.Select(s => s.City).Distinct().Count());
        Assert.All(training.Sessions, s => Assert.Equal(SessionKind.InPersonTraining, s.Kind));
        // A newcomer sees translated content: the training whole in Spanish and Chinese, Mind the Gap's description.
        Assert.Equal(["es", "zh-Hans"], training.Translations.Select(t => t.Language));
        Assert.All(training.Sessions, s => Assert.Equal("以创伤知情的方式转变服务", ContentTranslations.For(s.Translations, "zh-Hans")!.Title));
        Assert.All(series.Translations, t => Assert.True(t.Title == "" && t.DescriptionHtml.Length > 0));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Seed_DoesNothing_WhenTheCatalogHasASeries(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        await using var silo = await TestSilo.StartAsync(database, _clock);
        var catalog = new GrainCatalog(silo.Services, _clock);
        await catalog.CreateSeriesAsync(new SeriesDraft("existing", "Existing", ""), default);

        Assert.False(await silo.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(default));
        Assert.Single(await catalog.ListSeriesForOrganizersAsync(default));
    }
}
