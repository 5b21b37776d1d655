using Hangfire;
using Hangfire.PostgreSql;
using LearnHub.Grains.Time;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Scheduling;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Hosting;

/// <summary>What a host (the web process or the worker) adds to run LearnHub's backend.</summary>
public static class LearnHubSiloHosting
{
    /// <summary>
    /// Options, database, roster store and the stores that read and write state; a started host migrates the schema
    /// (and seeds the demo catalog where that is on) before anything else starts.
    /// </summary>
    public static IHostApplicationBuilder AddLearnHubStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<LearnHubOptions>()
            .Bind(builder.Configuration.GetSection(LearnHubOptions.Section))
            .Validate(
                o => o.Database.Provider != DatabaseProvider.PostgreSql || !string.IsNullOrWhiteSpace(o.Database.ConnectionString),
                "LearnHub:Database:ConnectionString is required when LearnHub:Database:Provider is PostgreSql. Set it in appsettings.json or as the environment variable LearnHub__Database__ConnectionString.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory),
                "LearnHub:DataDirectory must not be empty. Set it in appsettings.json or as LearnHub__DataDirectory (default ./data).")
            .ValidateOnStart();
        services.TryAddSingleton(LearnHubClock.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LearnHubOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectoryFullPath);
            var connectionString = options.Database.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.Database.ConnectionString)
                ? LearnHubDatabase.DefaultSqliteConnectionString(options.DataDirectoryFullPath)
                : options.Database.ConnectionString!;
            return new LearnHubDatabase(options.Database.Provider, connectionString);
        });
        services.AddSingleton<Migrator>();
        // The first hosted service, so the schema is current before anything else that starts reads it (the
        // data-protection key ring, the Orleans silo, the schedulers).
        services.AddHostedService<SiloStartup>();
        services.TryAddSingleton(new Grains.Content.RichTextPolicy());
        services.TryAddSingleton<CatalogStore>();
        services.AddOptions<Media.MediaOptions>().BindConfiguration(Media.MediaOptions.Section)
            .Validate(o => o.ProgressWriteInterval >= TimeSpan.FromSeconds(1) && o.ProgressWriteInterval <= TimeSpan.FromMinutes(10),
                "LearnHub:Media:ProgressWriteInterval must be from 00:00:01 to 00:10:00 (default 00:01:00).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new Grains.Media.WriteBehindPolicy(sp.GetRequiredService<IOptions<Media.MediaOptions>>().Value.ProgressWriteInterval));
        services.TryAddSingleton<Media.MediaFiles>();
        services.TryAddSingleton<Media.MediaPasses>();
        services.AddSingleton<RegistrationReader>();
        services.AddSingleton<ManageLinks>();
        services.AddSingleton<RegistrationLists>();
        services.AddSingleton<CalendarFeeds>();
        services.AddSingleton<OutboxAdmin>();

        services.AddSingleton<AccountStore>();
        services.AddSingleton<AccountLinks>();
        services.AddSingleton<Invitations>();
        services.AddSingleton<SignUps>();
        services.AddOptions<SignInSessionOptions>().Bind(builder.Configuration.GetSection(SignInSessionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInSessionOptions>>(new ProblemsValidator<SignInSessionOptions>(o => o.Problems()));
        services.AddSingleton<SignInSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton(sp => new Mentoring.MentoringStore(sp.GetRequiredService<LearnHubDatabase>(), sp.GetRequiredService<LearnHubClock>(),
            sp.GetRequiredService<IOptions<MailOptions>>().Value.PublicBaseUrl));
        services.AddSingleton<Mentoring.MentoringReports>();
        services.AddSingleton<AuditLog>();
        services.TryAddSingleton<Branding.BrandingStore>();
        services.AddSingleton<Training.ITrainingRecordObserver, Evaluations.EvaluationInviter>();
        services.AddSingleton<Evaluations.EvaluationStore>();
        services.AddSingleton<Evaluations.EvaluationReports>();
        services.AddSingleton<Media.RecordingViewReports>();
        services.AddSingleton(sp => new Certificates.CertificateObserver(sp.GetRequiredService<IOptions<MailOptions>>().Value.PublicBaseUrl));
        services.AddSingleton<Training.ITrainingRecordObserver>(sp => sp.GetRequiredService<Certificates.CertificateObserver>());
        services.AddSingleton<Certificates.CertificateStore>();
        services.AddSingleton<Attendance.AttendanceStore>();
        services.AddOptions<Privacy.RetentionOptions>().Bind(builder.Configuration.GetSection(Privacy.RetentionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Privacy.RetentionOptions>>(new ProblemsValidator<Privacy.RetentionOptions>(o => o.Problems()));
        services.AddSingleton<Privacy.PersonExport>();
        // Erasure and retention tell the session and learner grains after their commit: resolved only where a silo runs.
        services.AddSingleton<Privacy.PersonErasure>();
        services.AddSingleton<Privacy.RetentionRun>();
        services.AddSingleton<DataBackup>();

        // Sign-in cookies, antiforgery tokens and manage links (in pages and in emails) are protected with these keys;
        // keeping them in the database means a restart invalidates nothing and every node accepts what another made.
        // The ring is encrypted where it is stored, with the operator's key or certificate (LearnHub:DataProtection), so a
        // copy of the database alone forges nothing.
        services.AddOptions<DataProtectionKeyOptions>().Bind(builder.Configuration.GetSection(DataProtectionKeyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataProtectionKeyOptions>>(sp => new ProblemsValidator<DataProtectionKeyOptions>(o =>
            o.Problems(sp.GetRequiredService<IHostEnvironment>().IsProduction(), sp.GetRequiredService<IOptions<LearnHubOptions>>().Value.Database.Provider)));
        services.AddSingleton<KeyRingEncryption>();
        var dataProtection = services.AddDataProtection().SetApplicationName("LearnHub");
        services.AddOptions<KeyManagementOptions>().Configure<LearnHubDatabase, LearnHubClock, KeyRingEncryption>((keys, database, clock, encryption) =>
        {
            keys.XmlRepository = new DatabaseXmlRepository(database, clock);
            keys.XmlEncryptor = encryption.Encryptor;
        });
        // Certificate decryption is configured only through this builder call, with the certificates in hand (a file
        // that cannot be read is left out here and stops the start through the options' validation instead).
        if (KeyRingEncryption.DecryptionCertificates(builder.Configuration.GetSection(DataProtectionKeyOptions.Section).Get<DataProtectionKeyOptions>()) is { Length: > 0 } certificates)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(certificates);
        }
        return builder;
    }

    /// <summary>
    /// The silo's work: deliver the outbox and fire reminders
    /// on Hangfire (PostgreSQL storage in production so each firing runs once across silos; in-memory storage in the
    /// embedded default, which loses nothing because reminders are rows in LearnHub's own database).
    /// </summary>
    /// <remarks>
    /// A web node in a deployment with separate silo processes sets LearnHub:Silo:BackgroundWork to false: it then
    /// only migrates at start, and leaves delivery and scheduling to the silos.
    /// </remarks>
    public static IHostApplicationBuilder AddLearnHubSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddLearnHubMail(builder.Configuration);
        services.AddSingleton<ReminderScheduler>();
        services.AddSingleton<Registrations.AccommodationNotices>();
        services.AddSingleton<Sessions.ExchangePreparationMail>();
        services.AddOptions<Mentoring.MentoringOptions>().Bind(builder.Configuration.GetSection(Mentoring.MentoringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Mentoring.MentoringOptions>, MentoringOptionsValidator>();
        services.AddSingleton<Mentoring.FollowUpScheduler>();

        // Hangfire's storage is registered on every node (the admin dashboard reads it); its server and LearnHub's
        // delivery loop run only where background work is on.
        var storage = builder.Configuration.GetSection(LearnHubOptions.Section).Get<LearnHubOptions>() ?? new LearnHubOptions();
        services.AddHangfire(hangfire =>
        {
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (storage.Database.Provider == DatabaseProvider.PostgreSql && !string.IsNullOrWhiteSpace(storage.Database.ConnectionString))
            {
                hangfire.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(storage.Database.ConnectionString));
            }
            else
            {
                hangfire.UseInMemoryStorage();
            }
        });
        if (!builder.Configuration.GetValue("LearnHub:Silo:BackgroundWork", defaultValue: true))
        {
            return builder;
        }

        services.AddHostedService<OutboxDeliveryService>();
        services.AddHangfireServer(o => o.WorkerCount = 2);
        services.AddHostedService<SchedulingStartup>();
        return builder;
    }

    /// <summary>Mail settings (validated at start), the transport, the composer and the dispatcher.</summary>
    public static IServiceCollection AddLearnHubMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.TryAddSingleton<IMailTransport, MailKitTransport>();
        // The composer adds a certificate's key to its link at delivery (the outbox row never holds it).
        services.TryAddSingleton<Certificates.CertificateKeys>();
        // ... and a media pass to a recording's link, likewise.
        services.TryAddSingleton<Media.MediaPasses>();
        // Every email carries the organisation's name and logo.
        services.TryAddSingleton<Branding.BrandingStore>();
        services.AddSingleton<MailComposer>();
        services.AddSingleton<OutboxDispatcher>();
        return services;
    }

    private sealed class MailOptionsValidator : IValidateOptions<MailOptions>
    {
        public ValidateOptionsResult Validate(string? name, MailOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    private sealed class MentoringOptionsValidator : IValidateOptions<Mentoring.MentoringOptions>
    {
        public ValidateOptionsResult Validate(string? name, Mentoring.MentoringOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    // Registered again at every start: Hangfire's in-memory storage forgets recurring jobs with the process.
    private sealed class SchedulingStartup(IRecurringJobManager jobs, ReminderScheduler reminders, Mentoring.FollowUpScheduler followUps, Registrations.AccommodationNotices accommodations,
        Sessions.ExchangePreparationMail preparation) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // Reminders that fell due while no silo ran are handled now, by the misfire policy, not a minute later.
            await reminders.FireDueAsync(cancellationToken);
            jobs.AddOrUpdate<ReminderScheduler>("learnhub-reminders", s => s.FireDueAsync(CancellationToken.None), Cron.Minutely());
            // Learning Exchange preparation: two days before, the webinar's recording to those who missed the webinar.
            await preparation.QueueDueAsync(cancellationToken);
            jobs.AddOrUpdate<Sessions.ExchangePreparationMail>("learnhub-exchange-preparation", p => p.QueueDueAsync(CancellationToken.None), Cron.Minutely());
            // Mentoring follow-ups likewise: what fell due while no silo ran goes out now.
            await followUps.RunAsync(cancellationToken);
            jobs.AddOrUpdate<Mentoring.FollowUpScheduler>("learnhub-follow-ups", s => s.RunAsync(CancellationToken.None), Cron.Minutely());
            // Accommodation requests: the organizers' digest (at most hourly, whatever the job's pace) and the 7-day reminder.
            await accommodations.RunAsync(cancellationToken);
            jobs.AddOrUpdate<Registrations.AccommodationNotices>("learnhub-accommodations", a => a.RunAsync(CancellationToken.None), Cron.Minutely());
            // Retention periods are days long: once a day (03:00 UTC, when few people use LearnHub) removes what has passed.
            jobs.AddOrUpdate<Privacy.RetentionRun>("learnhub-retention", r => r.RunAsync(false, CancellationToken.None), Cron.Daily(3));
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class SiloStartup(Migrator migrator, KeyRingEncryption keyRing, LearnHubDatabase database, IServiceProvider services,
        IOptions<LearnHubOptions> options, ILogger<SiloStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var applied = await migrator.MigrateAsync(cancellationToken);
            logger.LogInformation("Database ready ({Provider}); {Applied} migration(s) applied", options.Value.Database.Provider, applied);
            // Keys stored in clear by an earlier version, or under a key since rotated out, come under the current one.
            await keyRing.EncryptStoredKeysAsync(database, services, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
