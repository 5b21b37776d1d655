using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Hosting;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnHub.Silo.Tests.Privacy;

/// <summary>
/// Backup and restore on both engines, with hosts configured as an operator would (data directory, engine, key): a
/// restored instance holds the same rows and media files, serves the catalog and opens a manage link issued before
/// the backup; a truncated archive and a target holding data are refused with nothing written.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class DataBackupTests(DatabaseFixture fixture)
{
    private sealed record Instance(string DataDirectory, string? ConnectionString, DatabaseProvider Provider);

    private async Task<Instance> EmptyInstanceAsync(DatabaseProvider provider) =>
        new(fixture.NewDirectory(), provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null, provider);

    private static IHost Build(Instance instance, bool seedDemo = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LearnHub:DataDirectory"] = instance.DataDirectory,
            ["LearnHub:Database:Provider"] = instance.Provider.ToString(),
            ["LearnHub:Database:ConnectionString"] = instance.ConnectionString,
            ["LearnHub:SeedDemoData"] = seedDemo ? "true" : "false",
            ["LearnHub:DataProtection:Key"] = TestKeys.DataProtection,
            // Each instance a cluster of its own: the restored one must not look for the silo that made the backup.
            ["LearnHub:Orleans:Clustering"] = "Localhost",
        });
        builder.AddLearnHubStorage();
        builder.AddLearnHubGrains();
        return builder.Build();
    }

    // A running instance with the demo catalog, a registration whose manage link is returned, and two media files.
    private static async Task<(IHost Host, string ManageToken)> RunningSourceAsync(Instance source)
    {
        var host = Build(source, seedDemo: true);
        await host.StartAsync();
        var (_, sessions) = await host.Services.GetRequiredService<CatalogStore>().LoadPublicAsync(default);
        var session = sessions.First(s => s.SeatsLeft > 0 && !s.RegistrationClosedByOrganizer && !s.Cancelled && s.StartsAt > DateTimeOffset.UtcNow.AddDays(1));
        var applicant = Applicant.Validate("Sam Backup", "sam@example.org", "County DCF", "Caseworker", "America/Chicago", "").Applicant!;
        var receipt = await host.Services.GetRequiredService<SessionDirectory>().TryRunAsync(session.Id, g => g.RegisterAsync(applicant, false), default);
        var media = Path.Combine(source.DataDirectory, "media", "ab");
        Directory.CreateDirectory(media);
        await File.WriteAllTextAsync(Path.Combine(media, "ab01"), "a handout");
        await File.WriteAllBytesAsync(Path.Combine(media, "ab02"), [1, 2, 3, 0, 255]);
        var token = host.Services.GetRequiredService<ManageLinks>().TokenFor(receipt!.Group);
        Assert.Equal(SessionAdmissionOutcome.Confirmed, receipt.Session.Outcome);
        return (host, token);
    }

    private static IReadOnlyDictionary<string, string> Files(string dataDirectory)
    {
        var media = Path.Combine(dataDirectory, "media");
        return !Directory.Exists(media) ? new Dictionary<string, string>()
            : Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(media, f), f => Convert.ToHexString(File.ReadAllBytes(f)));
    }

    private sealed record BackedUp(Instance Source, string Archive, string ManageToken, IReadOnlyDictionary<string, long> Rows);

    // The running source backed up (as an operator would, while it runs), then stopped.
    private async Task<BackedUp> BackedUpSourceAsync(DatabaseProvider provider)
    {
        var source = await EmptyInstanceAsync(provider);
        var (running, token) = await RunningSourceAsync(source);
        var archive = Path.Combine(fixture.NewDirectory(), "learnhub-backup.zip");
        using (running)
        {
            await running.Services.GetRequiredService<DataBackup>().BackupAsync(archive, default);
            var rows = await DatabaseScan.RowCountsAsync(running.Services.GetRequiredService<LearnHubDatabase>());
            await running.StopAsync();
            return new BackedUp(source, archive, token, rows);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Restore_IntoAnEmptyInstance_GivesTheSameRowsAndFiles_ServesTheCatalog_AndOpensAnEarlierManageLink(DatabaseProvider provider)
    {
        var (source, archive, token, rowsBefore) = await BackedUpSourceAsync(provider);

        var target = await EmptyInstanceAsync(provider);
        using var restored = Build(target);
        await restored.Services.GetRequiredService<DataBackup>().RestoreAsync(archive, replace: false, default);

        Assert.Equal(rowsBefore, await DatabaseScan.RowCountsAsync(restored.Services.GetRequiredService<LearnHubDatabase>()));
        Assert.Equal(Files(source.DataDirectory), Files(target.DataDirectory));
        Assert.Equal(2, Files(target.DataDirectory).Count);
        await restored.StartAsync();
        try
        {
            var (series, sessions) = await restored.Services.GetRequiredService<CatalogStore>().LoadPublicAsync(default);
            Assert.NotEmpty(series);
            Assert.NotEmpty(sessions);
            var group = await restored.Services.GetRequiredService<ManageLinks>().OpenAsync(token, default);
            Assert.Equal("sam@example.org", Assert.Single(group!.Registrations).Email);
        }
        finally
        {
            await restored.StopAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Restore_OfATruncatedArchive_FailsClearly_AndLeavesTheTargetUntouched(DatabaseProvider provider)
    {
        var archive = (await BackedUpSourceAsync(provider)).Archive;

        await using (var file = new FileStream(archive, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        var target = await EmptyInstanceAsync(provider);
        using var restored = Build(target);
        var database = restored.Services.GetRequiredService<LearnHubDatabase>();
        var before = await DatabaseScan.RowCountsAsync(database);

        var refused = await Assert.ThrowsAsync<BackupInvalidException>(() => restored.Services.GetRequiredService<DataBackup>().RestoreAsync(archive, replace: false, default));

        Assert.Contains("cannot be read as a LearnHub backup", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseScan.RowCountsAsync(database));
        Assert.Empty(Files(target.DataDirectory));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Restore_IntoAnInstanceHoldingData_IsRefused_UnlessToldToReplace(DatabaseProvider provider)
    {
        var (_, archive, token, _) = await BackedUpSourceAsync(provider);

        var target = await EmptyInstanceAsync(provider);
        using var other = Build(target, seedDemo: true);
        await other.StartAsync();
        await other.StopAsync();
        var backup = other.Services.GetRequiredService<DataBackup>();
        var rows = await DatabaseScan.RowCountsAsync(other.Services.GetRequiredService<LearnHubDatabase>());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => backup.RestoreAsync(archive, replace: false, default));
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await DatabaseScan.RowCountsAsync(other.Services.GetRequiredService<LearnHubDatabase>()));

        await backup.RestoreAsync(archive, replace: true, default);
        using var restored = Build(target);
        await restored.StartAsync();
        try
        {
            var group = await restored.Services.GetRequiredService<ManageLinks>().OpenAsync(token, default);
            Assert.Equal("sam@example.org", Assert.Single(group!.Registrations).Email);
        }
        finally
        {
            await restored.StopAsync();
        }
    }
}
