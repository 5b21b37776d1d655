using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages;

/// <summary>The catalog page on SQLite, served from the output cache.</summary>
public sealed class SqliteCatalogCacheTests(DatabaseFixture fixture) : CatalogCacheTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same on PostgreSQL, including a second web node sharing the database.</summary>
public sealed class PostgresCatalogCacheTests(DatabaseFixture fixture) : CatalogCacheTests(fixture, DatabaseProvider.PostgreSql)
{
    [Fact]
    public async Task ASeriesAddedThroughOneNode_AppearsOnTheOtherNodesCachedCatalog_WithinSeconds()
    {
        await using var other = new LearnHubWebFactory(Fixture.NewDirectory(), DatabaseProvider.PostgreSql, ConnectionString);
        var otherClient = other.CreateClient();
        Assert.DoesNotContain("Trauma-Informed Supervision", await otherClient.GetStringAsync("/"));

        await AddSeriesAsync("Trauma-Informed Supervision");

        Assert.True(await ShowsWithinAsync(otherClient, "Trauma-Informed Supervision"), "The other node kept serving its stale copy.");
    }
}

[Collection(DatabaseCollection.Name)]
public abstract class CatalogCacheTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    protected DatabaseFixture Fixture => fixture;

    protected LearnHubWebFactory App { get; private set; } = null!;

    protected string? ConnectionString { get; private set; }

    public async Task InitializeAsync()
    {
        ConnectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        App = new LearnHubWebFactory(fixture.NewDirectory(), provider, ConnectionString);
        await App.SeriesWithWebinarAsync();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    protected Task AddSeriesAsync(string title) =>
        App.Services.GetRequiredService<CatalogStore>().CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..20], title, "New."), default);

    /// <summary>True once the page shows <paramref name="text"/>; a copy lives a minute, so five seconds proves eviction.</summary>
    protected static async Task<bool> ShowsWithinAsync(HttpClient client, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if ((await client.GetStringAsync("/")).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    [Fact]
    public async Task TheSecondAnonymousRequest_IsServedFromTheCache()
    {
        var client = App.CreateClient();

        var first = await client.GetAsync("/");
        var second = await client.GetAsync("/");

        Assert.False(first.Headers.Contains("Age"));
        Assert.True(second.Headers.Contains("Age"), "The second request was rendered again instead of served from the cache.");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ANewSeries_AppearsWithinSeconds_ThoughCopiesLiveAMinute()
    {
        var client = App.CreateClient();
        Assert.DoesNotContain("Supporting Deaf and Hard of Hearing Families", await client.GetStringAsync("/"));

        await AddSeriesAsync("Supporting Deaf and Hard of Hearing Families");

        Assert.True(await ShowsWithinAsync(client, "Supporting Deaf and Hard of Hearing Families"), "The cached catalog was not evicted on change.");
    }

    [Fact]
    public async Task EachTimeZone_GetsItsOwnCopy()
    {
        var chicago = App.CreateClient();
        chicago.DefaultRequestHeaders.Add("Cookie", "lh_tz=America/Chicago");
        var berlin = App.CreateClient();
        berlin.DefaultRequestHeaders.Add("Cookie", "lh_tz=Europe/Berlin");

        var inChicago = await chicago.GetStringAsync("/");
        var inBerlin = await berlin.GetStringAsync("/");

        Assert.Contains("9:00 AM", inChicago, StringComparison.Ordinal);
        Assert.Contains("4:00 PM", inBerlin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignedInPerson_NeverGetsTheAnonymousCopy()
    {
        var anonymous = App.CreateClient();
        await anonymous.GetStringAsync("/");
        await anonymous.GetStringAsync("/");
        var email = await App.AccountAsync(Role.Learner);
        var signedIn = await App.SignedInClientAsync(email);

        var page = await signedIn.GetAsync("/");

        Assert.False(page.Headers.Contains("Age"));
        Assert.Contains("Sign out", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
