using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace LearnHub.Silo.Hosting;

/// <summary>
/// Remembers which Orleans interface identity each grain interface has. Orleans works it out again on every
/// <c>GetGrain</c>: it reads the interface's attributes by reflection and, for an interface without one (all of
/// LearnHub's), formats its type name into a new string. A session page asks for four grains, so that was 3% of the
/// page's CPU in <c>perf</c>. The answer for a type never changes while the process runs, so it is worked out once, by
/// Orleans' own providers and conventions in their own order, and kept.
/// </summary>
/// <remarks>Registered ahead of Orleans' providers (see <see cref="GrainHosting.AddLearnHubGrainStorage"/>), so it is asked
/// first. Orleans asks it only about interfaces. It keeps one entry per grain interface type, a few dozen.</remarks>
internal sealed class RememberedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private GrainInterfaceTypeResolver? _resolver;

    /// <inheritdoc />
    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        if (!_known.TryGetValue(type, out grainInterfaceType))
        {
            grainInterfaceType = Resolver.GetGrainInterfaceType(type);
            _known.TryAdd(type, grainInterfaceType);
        }

        return true;
    }

    // Orleans' resolver over every provider but this one: attributes first, then the naming convention. Built on first
    // use, since the container is still being built when this provider is created.
    private GrainInterfaceTypeResolver Resolver => _resolver ??= new GrainInterfaceTypeResolver(
        services.GetServices<IGrainInterfaceTypeProvider>().Where(p => p is not RememberedGrainInterfaceTypes),
        services.GetRequiredService<TypeConverter>());
}
