using Orleans;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Scheduling;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>The silo's mail pipeline on a real database, sending to a real SMTP server, with the clock pinned.</summary>
public sealed class MailWorld : IAsyncDisposable
{
    private readonly TestSilo _silo;

    private MailWorld(TestSilo silo, TestClock clock)
    {
        _silo = silo;
        Clock = clock;
    }

    private IServiceProvider Services => _silo.Services;

    public TestClock Clock { get; }

    public LearnHubDatabase Database => Services.GetRequiredService<LearnHubDatabase>();

    public GrainCatalog Catalog => new(Services, Clock);

    public LearnHub.Silo.Sessions.SessionDirectory Sessions => Services.GetRequiredService<LearnHub.Silo.Sessions.SessionDirectory>();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();

    public ReminderScheduler Reminders => Services.GetRequiredService<ReminderScheduler>();

    public LearnHub.Silo.Accounts.AccountStore Accounts => Services.GetRequiredService<LearnHub.Silo.Accounts.AccountStore>();

    public LearnHub.Silo.Accounts.AccountLinks Links => Services.GetRequiredService<LearnHub.Silo.Accounts.AccountLinks>();

    /// <summary>Where this world writes mail when its transport is the pickup directory.</summary>
    public string PickupDirectory => ((MailKitTransport)Services.GetRequiredService<IMailTransport>()).PickupDirectory;

    /// <summary>The connection string of this world's database (to open a second "process" on it).</summary>
    public string ConnectionString { get; private init; } = "";

    /// <summary>A world whose mail goes to <paramref name="smtpPort"/> on 127.0.0.1.</summary>
    public static async Task<MailWorld> CreateAsync(DatabaseFixture fixture, DatabaseProvider provider, int smtpPort, DateTimeOffset now,
        IDictionary<string, string?>? settings = null, (LearnHubDatabase Database, string ConnectionString)? shared = null)
    {
        var clock = new TestClock(now);
        var (database, connectionString) = shared ?? await fixture.NewDatabaseAsync(provider, clock);
        // The test's own settings come second, so they override these defaults.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LearnHub:Mail:Transport"] = "Smtp",
            ["LearnHub:Mail:Smtp:Host"] = "127.0.0.1",
            ["LearnHub:Mail:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LearnHub:Mail:Smtp:Timeout"] = "00:00:05",
            ["LearnHub:Mail:From"] = "LearnHub Training <training@learnhub.example>",
            ["LearnHub:Mail:PublicBaseUrl"] = "https://learnhub.example",
            ["LearnHub:Mail:MaxAttempts"] = "3",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var silo = await TestSilo.StartAsync(database, clock, services =>
        {
            services.Configure<LearnHubOptions>(o => o.DataDirectory = fixture.NewDirectory());
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            services.AddSingleton<RegistrationReader>();
            services.AddSingleton<ManageLinks>();
            services.AddSingleton<ReminderScheduler>();
            services.AddSingleton<LearnHub.Silo.Accounts.AccountStore>();
            services.AddSingleton<LearnHub.Silo.Accounts.AccountLinks>();
            services.AddLearnHubMail(configuration);
        });
        return new MailWorld(silo, clock) { ConnectionString = connectionString };
    }

    /// <summary>A webinar a week from now, with a join link.</summary>
    public async Task<Guid> WebinarAsync(int capacity, DateTimeOffset? starts = null, string zone = "America/New_York")
    {
        var series = await Catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}", "Mind the Gap", ""), default);
        var at = starts ?? Clock.GetUtcNow().AddDays(7);
        return await Catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs", "Labs, practice; and **<b>more</b>**\n\n- [Slides](https://example.org/slides)",
            at, at.AddMinutes(90), zone, capacity, [], JoinUrl: "https://meet.example/j/4242"), default);
    }

    public static Applicant Person(string email, string zone = "America/Chicago") =>
        Applicant.Validate("Robin Ellis", email, "Waupaca County", "Caseworker", zone, null).Applicant!;

    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
