using System.CommandLine;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo;

/// <summary>The silo's entry point: with no arguments a worker process; with a command, an operator tool.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("LearnHub silo: runs the backend worker, or an operator command.");
        root.SetAction((_, token) => RunWorkerAsync(token));

        var migrate = new Command("migrate", "Apply database migrations and exit.");
        migrate.SetAction(async (_, token) =>
        {
            using var host = BuildHost();
            var applied = await host.Services.GetRequiredService<Migrator>().MigrateAsync(token);
            Console.WriteLine($"Applied {applied} migration(s); the schema is up to date.");
            return 0;
        });
        root.Subcommands.Add(migrate);

        var seed = new Command("seed-demo", "Seed the demo catalog if the database has no series yet.");
        seed.SetAction(async (_, token) =>
        {
            await using var host = await StartGrainHostAsync(token);
            var seeded = await host.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(token);
            Console.WriteLine(seeded ? "Seeded the demo catalog." : "The catalog has series already; nothing seeded.");
            return 0;
        });
        root.Subcommands.Add(seed);

        var sessionId = new Argument<Guid>("session-id") { Description = "The session's id (as shown in the API)." };
        var close = new Command("close", "Close registration for a session.") { sessionId };
        close.SetAction(async (parse, token) =>
        {
            await using var host = await StartGrainHostAsync(token);
            var id = parse.GetValue(sessionId);
            var result = await host.Services.GetRequiredService<SessionDirectory>().RunAsync(id, g => g.CloseRegistrationAsync(token), CloseResult.SessionNotFound, token);
            Console.WriteLine(result switch
            {
                CloseResult.Closed => $"Registration for session {id} is closed.",
                CloseResult.AlreadyClosed => $"Registration for session {id} was already closed.",
                _ => $"There is no session {id}.",
            });
            return result == CloseResult.SessionNotFound ? 1 : 0;
        });
        var startsOption = new Option<DateTimeOffset>("--starts") { Description = "New start, ISO 8601 with offset.", Required = true };
        var endsOption = new Option<DateTimeOffset>("--ends") { Description = "New end, ISO 8601 with offset.", Required = true };
        var reschedule = new Command("reschedule", "Move a session; registrants get the change and an updated invite.") { sessionId, startsOption, endsOption };
        reschedule.SetAction(async (parse, token) =>
        {
            await using var host = await StartGrainHostAsync(token);
            var id = parse.GetValue(sessionId);
            var result = await host.Services.GetRequiredService<SessionDirectory>().RunAsync(id,
                g => g.RescheduleAsync(parse.GetValue(startsOption), parse.GetValue(endsOption), token), new SessionChangeResult(SessionChangeOutcome.SessionNotFound, 0), token);
            Console.WriteLine(result.Problem ?? $"{result.Outcome}: {result.RegistrantsNotified} registrant(s) will be told.");
            return result.Outcome is SessionChangeOutcome.SessionNotFound or SessionChangeOutcome.Refused ? 1 : 0;
        });
        var cancelSession = new Command("cancel", "Cancel a session; registrants are told and reminders dropped.") { sessionId };
        cancelSession.SetAction(async (parse, token) =>
        {
            await using var host = await StartGrainHostAsync(token);
            var result = await host.Services.GetRequiredService<SessionDirectory>().RunAsync(parse.GetValue(sessionId),
                g => g.CancelSessionAsync(token), new SessionChangeResult(SessionChangeOutcome.SessionNotFound, 0), token);
            Console.WriteLine($"{result.Outcome}: {result.RegistrantsNotified} registrant(s) will be told.");
            return result.Outcome == SessionChangeOutcome.SessionNotFound ? 1 : 0;
        });
        root.Subcommands.Add(new Command("sessions", "Operate on sessions.") { close, reschedule, cancelSession });

        var slugArgument = new Argument<string>("series-slug") { Description = "The series' slug (as in its URL)." };
        var leadsOption = new Option<string>("--leads") { Description = "Reminder lead times before each session, e.g. 24h,1h or 2d,30m.", Required = true };
        var reminders = new Command("reminders", "Set the reminder lead times of a series (its new sessions, and reminders still to come of its sessions).") { slugArgument, leadsOption };
        reminders.SetAction(async (parse, token) =>
        {
            var leads = new List<TimeSpan>();
            foreach (var part in parse.GetValue(leadsOption)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var unit = part.Length > 1 ? part[^1] : ' ';
                if (!int.TryParse(part[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount) || amount <= 0
                    || unit is not ('d' or 'h' or 'm'))
                {
                    Console.Error.WriteLine($"'{part}' is not a lead time: write a whole number followed by d, h or m (e.g. 24h).");
                    return 2;
                }

                leads.Add(unit == 'd' ? TimeSpan.FromDays(amount) : unit == 'h' ? TimeSpan.FromHours(amount) : TimeSpan.FromMinutes(amount));
            }

            await using var host = await StartGrainHostAsync(token);
            if (await host.Services.GetRequiredService<CatalogStore>().FindSeriesAsync(parse.GetValue(slugArgument)!, token) is not { } series)
            {
                Console.Error.WriteLine($"There is no series '{parse.GetValue(slugArgument)}'.");
                return 1;
            }

            var saved = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISeriesGrain>(series.Id).SetReminderLeadsAsync(leads, token);
            if (saved.Outcome != SeriesOutcome.Saved)
            {
                Console.Error.WriteLine(string.Join(" ", saved.Problems));
                return 1;
            }

            Console.WriteLine($"Reminders for the sessions of '{series.Title}': {ReminderLeads.Format(leads)} before the start.");
            return 0;
        });
        root.Subcommands.Add(new Command("series", "Operate on series.") { reminders });

        var emailOption = new Option<string>("--email") { Description = "The person's email address.", Required = true };
        var passwordOption = new Option<string?>("--password") { Description = $"A password of at least {PasswordPolicy.MinLength} characters (omit for sign-in by emailed link only)." };
        var nameOption = new Option<string?>("--name") { Description = "The name shown to others." };
        var roleOption = new Option<string[]>("--role") { Description = "A role (Learner, Mentor, Coordinator, Organizer, Admin); repeat for several.", AllowMultipleArgumentsPerToken = true };
        var addUser = new Command("add", "Create an account, e.g. the first admin.") { emailOption, passwordOption, nameOption, roleOption };
        addUser.SetAction(async (parse, token) =>
        {
            var roles = new List<Role>();
            foreach (var value in parse.GetValue(roleOption) ?? [])
            {
                if (!Roles.TryParse(value, out var role))
                {
                    Console.Error.WriteLine($"'{value}' is not a role. Roles: {string.Join(", ", Enum.GetNames<Role>())}.");
                    return 2;
                }

                roles.Add(role);
            }

            using var host = BuildHost();
            await host.Services.GetRequiredService<Migrator>().MigrateAsync(token);
            var created = await host.Services.GetRequiredService<AccountStore>().CreateAsync(
                parse.GetValue(emailOption), parse.GetValue(nameOption), parse.GetValue(passwordOption), roles, token);
            if (created.Account is not { } account)
            {
                foreach (var (field, message) in created.Errors)
                {
                    Console.Error.WriteLine($"--{field}: {message}");
                }

                return 2;
            }

            await host.Services.GetRequiredService<AuditLog>().WriteAsync(null, "command line", "user.created", "user", account.Id.ToString(),
                Environment.MachineName, $"roles: {string.Join(", ", account.Roles)}", token);
            Console.WriteLine($"Created {account.Email} with roles: {(account.Roles.Count == 0 ? "none" : string.Join(", ", account.Roles))}.");
            return 0;
        });
        root.Subcommands.Add(new Command("users", "Manage accounts.") { addUser });
        root.Subcommands.Add(PrivacyCommands.People(StartGrainHostAsync));
        root.Subcommands.Add(PrivacyCommands.Retention(StartGrainHostAsync));
        root.Subcommands.Add(PrivacyCommands.Backup(BuildHost));
        root.Subcommands.Add(PrivacyCommands.Restore(BuildHost));

        return await root.Parse(args).InvokeAsync();
    }

    private static IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddLearnHubStorage();
        return builder.Build();
    }

    // The session commands talk to a session grain, so they start a silo of their own for the length of the command;
    // the grain's state is in the database, which is what the running LearnHub processes share with it.
    private static async Task<GrainHost> StartGrainHostAsync(CancellationToken token)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddLearnHubStorage();
        builder.AddLearnHubGrains();
        // The mail transport, for the one mail sent without the outbox (an erasure's confirmation).
        builder.Services.AddLearnHubMail(builder.Configuration);
        builder.Services.AddSingleton<Privacy.ErasureConfirmation>();
        var host = builder.Build();
        await host.StartAsync(token);
        return new GrainHost(host);
    }

    // Stopped, not only disposed: the silo then leaves the cluster's membership table at once, instead of staying
    // "active" there until the other members vote it dead.
    internal sealed class GrainHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private static async Task<int> RunWorkerAsync(CancellationToken token)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddLearnHubStorage();
        builder.AddLearnHubSilo();
        builder.AddLearnHubGrains();
        using var host = builder.Build();
        await host.RunAsync(token);
        return 0;
    }
}
