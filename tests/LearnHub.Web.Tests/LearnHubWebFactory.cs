using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests;

/// <summary>
/// The real web app on a fresh SQLite (or PostgreSQL) database in its own data directory, with the clock pinned.
/// </summary>
public sealed class LearnHubWebFactory(string dataDirectory, DatabaseProvider provider = DatabaseProvider.Sqlite, string? connectionString = null,
    IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>"Now" for the app: tests move it explicitly.</summary>
    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));

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

        if (provider == DatabaseProvider.PostgreSql && settings?.ContainsKey("LearnHub:DataProtection:Key") != true)
        {
            builder.UseSetting("LearnHub:DataProtection:Key", TestKeys.DataProtection);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<LearnHubClock>(Clock);
            if (settings?.GetValueOrDefault(Localization.PseudoLocalization.Setting) == "true")
            {
                Localization.PseudoLocalization.AddTo(services);
            }
        });
    }

    /// <summary>The app on a fresh database of either engine (a PostgreSQL database of its own on the fixture's server).</summary>
    public static async Task<LearnHubWebFactory> OnAsync(DatabaseFixture fixture, DatabaseProvider provider, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        return new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString, settings);
    }

    /// <summary>
    /// The app served by Kestrel on a free loopback port, for a real browser; emailed links point at that same address.
    /// </summary>
    public static (LearnHubWebFactory App, string BaseUrl) ServeOnLoopback(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null,
        DatabaseProvider provider = DatabaseProvider.Sqlite, string? connectionString = null)
    {
        var baseUrl = LearnHubProcess.FreeLoopbackUrl();
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["LearnHub:Mail:PublicBaseUrl"] = baseUrl };
        var app = new LearnHubWebFactory(dataDirectory, provider, connectionString, all);
        app.UseKestrel(new Uri(baseUrl).Port);
        app.StartServer();
        return (app, baseUrl);
    }

    /// <summary>
    /// A series with a webinar (and optionally its learning exchange) starting a week from "now"; a recorded webinar may
    /// ask its registrants for consent to appear in the recording.
    /// </summary>
    public async Task<(Guid Series, Guid Webinar, Guid? Exchange)> SeriesWithWebinarAsync(int capacity = 100, bool withExchange = false, int exchangeCapacity = 20,
        bool recorded = false, bool asksRecordingConsent = false)
    {
        var catalog = new GrainCatalog(Services, Clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"series-{Guid.NewGuid():N}"[..20], "Mind the Gap", "A webinar series."), default);
        var starts = Clock.GetUtcNow().AddDays(7);
        var webinar = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs for Child Welfare Education",
            "How simulation labs train new workers.", starts, starts.AddMinutes(90), "America/New_York", capacity,
            [new Presenter("Dana Ruiz", "State university")]) { Recorded = recorded, RecordingConsentRequired = asksRecordingConsent }, default);
        Guid? exchange = null;
        if (withExchange)
        {
            exchange = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.LearningExchange, "Learning Exchange: Simulation Labs",
                "Small-group discussion.", starts.AddDays(7), starts.AddDays(7).AddHours(1), "America/New_York", exchangeCapacity, [], WebinarId: webinar), default);
        }

        return (series, webinar, exchange);
    }

    /// <summary>An account with these roles and a known password.</summary>
    public async Task<string> AccountAsync(params Role[] roles)
    {
        var email = $"user-{Guid.NewGuid():N}@example.org";
        var created = await Services.GetRequiredService<AccountStore>().CreateAsync(email, "Test Person", Password, roles, default);
        return created.Account?.Email ?? throw new InvalidOperationException(string.Join("; ", created.Errors.Values));
    }

    /// <summary>The password every test account has.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>A client signed in through the real sign-in form.</summary>
    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await SignInAsync(client, email, Password);
        return response.StatusCode == System.Net.HttpStatusCode.Redirect
            ? client
            : throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
    }

    /// <summary>Posts the sign-in form (with its antiforgery token) and returns the answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        return await Forms.PostAsync(client, "/signin", "/signin", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
    }

    /// <summary>
    /// Waits for a mail to <paramref name="recipient"/> in the pickup directory (as the embedded default delivers it)
    /// and returns the first link in it whose path contains <paramref name="pathPart"/>.
    /// </summary>
    public async Task<string> EmailedLinkAsync(string recipient, string pathPart)
    {
        var link = new System.Text.RegularExpressions.Regex($@"https?://[^\s""<]+{System.Text.RegularExpressions.Regex.Escape(pathPart)}[A-Za-z0-9_\-]+");
        var message = await EmailAsync(recipient, m => link.IsMatch(m.TextBody ?? ""), $"a link to {pathPart}");
        return link.Match(message.TextBody ?? "").Value;
    }

    /// <summary>
    /// Waits until the mails to <paramref name="recipient"/> in the pickup directory hold <paramref name="count"/> distinct
    /// links whose path contains <paramref name="pathPart"/>, and returns them as paths.
    /// </summary>
    public async Task<IReadOnlyList<string>> EmailedLinksAsync(string recipient, string pathPart, int count)
    {
        var link = new System.Text.RegularExpressions.Regex($@"https?://[^\s""<]+{System.Text.RegularExpressions.Regex.Escape(pathPart)}[A-Za-z0-9_\-]+");
        var mail = Path.Combine(dataDirectory, "mail");
        var found = new HashSet<string>(StringComparer.Ordinal);
        var arrived = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
        {
            foreach (var file in Directory.Exists(mail) ? Directory.GetFiles(mail, "*.eml") : [])
            {
                using var message = await MimeKit.MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, recipient, StringComparison.OrdinalIgnoreCase)))
                {
                    found.UnionWith(link.Matches(message.TextBody ?? "").Select(m => new Uri(m.Value).AbsolutePath));
                }
            }

            return found.Count >= count;
        });
        return arrived ? [.. found] : throw new InvalidOperationException($"Only {found.Count} of {count} links to {pathPart} reached {recipient}.");
    }

    /// <summary>Waits for a mail to <paramref name="recipient"/> in the pickup directory whose subject contains <paramref name="subjectPart"/>.</summary>
    public Task<MimeKit.MimeMessage> EmailAsync(string recipient, string subjectPart) =>
        EmailAsync(recipient, m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal), $"the subject \"{subjectPart}\"");

    private async Task<MimeKit.MimeMessage> EmailAsync(string recipient, Func<MimeKit.MimeMessage, bool> wanted, string description)
    {
        var mail = Path.Combine(dataDirectory, "mail");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.Exists(mail) ? Directory.GetFiles(mail, "*.eml") : [])
            {
                var message = await MimeKit.MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, recipient, StringComparison.OrdinalIgnoreCase)) && wanted(message))
                {
                    return message;
                }

                message.Dispose();
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"No mail to {recipient} with {description} arrived in {mail}.");
    }
}
