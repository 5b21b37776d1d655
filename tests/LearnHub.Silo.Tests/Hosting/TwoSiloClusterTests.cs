using Dapper;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Media;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace LearnHub.Silo.Tests.Hosting;

/// <summary>
/// LearnHub's grains in an in-process cluster of two silos (Orleans' TestingHost) over one database, on both engines:
/// a call made on one silo reaches the activation on the other, and grain state outlives its activation.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class TwoSiloClusterTests(DatabaseFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);

    private sealed class Cluster(InProcessTestCluster cluster, LearnHubDatabase database, TestClock clock) : IAsyncDisposable
    {
        public InProcessTestCluster Inner => cluster;

        public LearnHubDatabase Database => database;

        public IGrainFactory Client => cluster.Client;

        public GrainCatalog Catalog => new(cluster.Silos[0].ServiceProvider, clock);

        /// <summary>The silo hosting the grain's activation, and the grain factory of the other one.</summary>
        public (SiloAddress Host, IGrainFactory Other) Sides(IAddressable grain)
        {
            Assert.True(cluster.TryGetGrainContext(grain.GetGrainId(), out var context), $"{grain.GetGrainId()} has no activation.");
            var host = context!.Address.SiloAddress!;
            var other = cluster.Silos.Single(s => !s.SiloAddress.Equals(host));
            return (host, other.ServiceProvider.GetRequiredService<IGrainFactory>());
        }

        public SiloAddress HostOf(IAddressable grain)
        {
            Assert.True(cluster.TryGetGrainContext(grain.GetGrainId(), out var context), $"{grain.GetGrainId()} has no activation.");
            return context!.Address.SiloAddress!;
        }

        public async ValueTask DisposeAsync()
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private async Task<Cluster> StartAsync(DatabaseProvider provider)
    {
        var clock = new TestClock(Now);
        var (database, _) = await fixture.NewDatabaseAsync(provider, clock);
        var dataDirectory = fixture.NewDirectory();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<LearnHubClock>(clock);
            host.Services.AddSingleton(database);
            host.Services.Configure<LearnHubOptions>(o => (o.DataDirectory, o.SeedDemoData) = (dataDirectory, false));
            host.Services.Configure<MailOptions>(o => o.PublicBaseUrl = "https://learnhub.example.org");
            host.Services.AddLearnHubGrainServices();
        });
        builder.ConfigureSilo((_, silo) => silo.AddLearnHubGrainStorage());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new Cluster(cluster, database, clock);
    }

    private static Applicant Person(string email) =>
        Applicant.Validate("Pat Doe", email, "County DCF", "Caseworker", "America/Chicago", "").Applicant!;

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARegistrationAndARecordingChange_MadeOnOneSilo_AreCarriedOutByTheActivationOnTheOther(DatabaseProvider provider)
    {
        await using var cluster = await StartAsync(provider);
        var series = await cluster.Catalog.CreateSeriesAsync(new SeriesDraft("two-silos", "Two silos", ""), default);
        var session = await cluster.Catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Webinar", "", Now.AddDays(3), Now.AddDays(3).AddHours(1),
            "UTC", 1, []), default);
        var grain = cluster.Client.GetGrain<ISessionGrain>(session);
        var first = await grain.RegisterAsync(Person("first@example.org"), false);
        var (host, other) = cluster.Sides(grain);

        var second = await other.GetGrain<ISessionGrain>(session).RegisterAsync(Person("second@example.org"), false);

        // The one activation admitted both, in order, and still lives where it did.
        Assert.Equal((SessionAdmissionOutcome.Confirmed, SessionAdmissionOutcome.Waitlisted), (first.Session.Outcome, second.Session.Outcome));
        Assert.Equal(host, cluster.HostOf(grain));
        var view = await other.GetGrain<ISessionGrain>(session).GetViewAsync();
        Assert.Equal((1, 1), (view!.ConfirmedCount, view.WaitlistedCount));

        var media = cluster.Client.GetGrain<ISessionMediaGrain>(session);
        var recording = (await media.AddAsync(new MediaDraft(session, MediaKind.Recording, "Recording", MediaVisibility.Registrants,
            ExternalUrl: "https://video.example.org/r"))).MediaId!.Value;
        var (mediaHost, mediaOther) = cluster.Sides(media);

        var published = await mediaOther.GetGrain<ISessionMediaGrain>(session).PublishRecordingAsync(recording);

        Assert.Equal((MediaChangeOutcome.Changed, 1), (published.Outcome, published.Queued));
        Assert.Equal(mediaHost, cluster.HostOf(media));
        // Who may open it is decided on the media grain's silo, asking the learner grain wherever that lives.
        Assert.NotNull(await mediaOther.GetGrain<ISessionMediaGrain>(session).OpenAsync(recording, new MediaViewer("first@example.org", false)));
        Assert.Null(await media.OpenAsync(recording, new MediaViewer("second@example.org", false)));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ALearnersState_OutlivesItsActivation_AndIsReadBackOnEitherSilo(DatabaseProvider provider)
    {
        await using var cluster = await StartAsync(provider);
        var learner = cluster.Client.GetGrain<ILearnerGrain>("pat@example.org");
        Assert.True(await learner.SetTimeZoneAsync("America/Denver"));
        Assert.Equal(1, await learner.RevokeFeedAsync());
        Assert.False(await learner.SetTimeZoneAsync("Mars/Olympus_Mons"));
        var (_, other) = cluster.Sides(learner);

        await cluster.Inner.DeactivateAsync(learner);
        await cluster.Inner.WaitForDeactivationAsync(learner);

        Assert.Equal(new LearnerPreferences("America/Denver", 1), await other.GetGrain<ILearnerGrain>("pat@example.org").PreferencesAsync());
        await using var connection = await cluster.Database.OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orleansstorage WHERE graintypestring = 'learner'"));
    }
}
