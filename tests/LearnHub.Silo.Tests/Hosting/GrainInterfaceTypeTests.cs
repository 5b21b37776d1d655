using LearnHub.Grains.Learners;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace LearnHub.Silo.Tests.Hosting;

/// <summary>
/// LearnHub's silo remembers each grain interface's Orleans identity instead of working it out on every GetGrain; what
/// it remembers must be exactly what Orleans would have answered: an interface's attribute where it has one, the
/// naming convention otherwise.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class GrainInterfaceTypeTests(DatabaseFixture fixture)
{
    [Fact]
    public async Task EveryGrainInterface_KeepsTheIdentityOrleansGivesIt_AskedOnceOrTwice()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var (database, _) = await fixture.NewDatabaseAsync(DatabaseProvider.Sqlite, clock);
        await using var silo = await TestSilo.StartAsync(database, clock);
        var resolver = silo.Services.GetRequiredService<GrainInterfaceTypeResolver>();
        Assert.Equal("RememberedGrainInterfaceTypes", silo.Services.GetServices<IGrainInterfaceTypeProvider>().First().GetType().Name);

        // LearnHub's grain interfaces, Orleans' own, and this test's, which names its identity with an attribute.
        var interfaces = new[] { typeof(ILearnerGrain).Assembly, typeof(IManagementGrain).Assembly, typeof(Orleans.Runtime.Silo).Assembly, typeof(INamedGrain).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsInterface && !t.ContainsGenericParameters && typeof(IAddressable).IsAssignableFrom(t) && t != typeof(IAddressable))
            .ToList();
        var named = interfaces.Where(t => t.GetCustomAttributes(false).OfType<IGrainInterfaceTypeProviderAttribute>().Any()).ToList();
        Assert.Equal([typeof(INamedGrain)], named);
        Assert.Contains(typeof(ILearnerGrain), interfaces);

        foreach (var type in interfaces)
        {
            var expected = type.GetCustomAttributes(false).OfType<IGrainInterfaceTypeProviderAttribute>().FirstOrDefault() is { } attribute
                ? attribute.GetGrainInterfaceType(silo.Services, type)
                : resolver.GetGrainInterfaceTypeByConvention(type);
            Assert.Equal(expected, resolver.GetGrainInterfaceType(type));
            Assert.Equal(expected, resolver.GetGrainInterfaceType(type));
        }

        // And references made with it reach their grains.
        Assert.True(await silo.Grains.GetGrain<ILearnerGrain>("ana@example.org").SetTimeZoneAsync("America/Phoenix"));
        Assert.Equal("America/Phoenix", (await silo.Grains.GetGrain<ILearnerGrain>("ana@example.org").PreferencesAsync()).TimeZone);
    }
}

/// <summary>A grain interface whose identity is named, not derived from its type name (no grain implements it).</summary>
[GrainInterfaceType("learnhub-test-named")]
public interface INamedGrain : IGrainWithGuidKey
{
    /// <summary>Answers.</summary>
    Task PingAsync();
}
