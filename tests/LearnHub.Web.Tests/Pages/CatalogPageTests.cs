using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Web.Tests.Pages;

/// <summary>The catalog page and API on SQLite, served from the catalog grain's memory.</summary>
public sealed class SqliteCatalogPageTests(DatabaseFixture fixture) : CatalogPageTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same on PostgreSQL, including a second web node sharing the database (and so the cluster).</summary>
public sealed class PostgresCatalogPageTests(DatabaseFixture fixture) : CatalogPageTests(fixture, DatabaseProvider.PostgreSql)
{
    [Fact]
    public async Task ASeriesAddedThroughOneNode_IsListedAtOnceByTheOtherNode()
    {
        await using var other = new LearnHubWebFactory(Fixture.NewDirectory(), DatabaseProvider.PostgreSql, ConnectionString);
        var otherClient = other.CreateClient();
        Assert.DoesNotContain("Trauma-Informed Supervision", await otherClient.GetStringAsync("/"));

        await AddSeriesAsync("Trauma-Informed Supervision");

        // One catalog grain for the cluster: the series grain told it before the change was answered.
        Assert.Contains("Trauma-Informed Supervision", await otherClient.GetStringAsync("/"), StringComparison.Ordinal);
    }
}

[Collection(DatabaseCollection.Name)]
public abstract class CatalogPageTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
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

    protected Task<Guid> AddSeriesAsync(string title) =>
        new GrainCatalog(App.Services, App.Clock).CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..20], title, "New."), default);

    [Fact]
    public async Task ANewSeries_IsListedAtOnce()
    {
        var client = App.CreateClient();
        Assert.DoesNotContain("Supporting Deaf and Hard of Hearing Families", await client.GetStringAsync("/"));

        await AddSeriesAsync("Supporting Deaf and Hard of Hearing Families");

        Assert.Contains("Supporting Deaf and Hard of Hearing Families", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimesShow_InEachVisitorsChosenZone()
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
    public async Task ManySeries_ArePaged_OnThePageAndInTheApi_WithLinksToTheNextAndPreviousPages()
    {
        for (var i = 0; i < 25; i++)
        {
            await AddSeriesAsync($"Paged series {i:00}");
        }

        var client = App.CreateClient();
        var first = await client.GetStringAsync("/");
        var second = await client.GetStringAsync("/?spage=2");
        Assert.Contains("Page 1 of 2 (26 series)", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/?spage=2#series-heading\" rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 2", second, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\"", second, StringComparison.Ordinal);
        Assert.Contains("Paged series 24", first + second, StringComparison.Ordinal);

        var api = await client.GetAsync("/api/series?page=2&pageSize=10");
        var body = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10, body.GetArrayLength());
        Assert.Equal("26", api.Headers.GetValues("X-Total-Count").Single());
        var links = api.Headers.GetValues("Link").Single();
        Assert.Contains("page=3&pageSize=10>; rel=\"next\"", links, StringComparison.Ordinal);
        Assert.Contains("page=1&pageSize=10>; rel=\"prev\"", links, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/series?pageSize=101")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/series?page=0")).StatusCode);
    }
}
