using System.CommandLine;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Privacy;
using LearnHub.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnHub.Silo;

/// <summary>The operator's privacy and data-lifecycle commands: people export/erase, retention run, backup, restore.</summary>
internal static class PrivacyCommands
{
    /// <summary><c>people export --email E [--out FILE]</c> and <c>people erase --email E --reason R</c>.</summary>
    public static Command People(Func<CancellationToken, Task<Program.GrainHost>> startGrains)
    {
        var email = new Option<string>("--email") { Description = "The person's email address.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the JSON to this file instead of printing it." };
        var export = new Command("export", "Everything LearnHub holds about a person, as one JSON document.") { email, output };
        export.SetAction(async (parse, token) =>
        {
            await using var host = await startGrains(token);
            var json = await host.Services.GetRequiredService<PersonExport>().ExportJsonAsync(parse.GetValue(email)!, token);
            await host.Services.GetRequiredService<Auditing.AuditLog>().WriteAsync(null, "command line", "person.exported", "person", null,
                Environment.MachineName, $"{Grains.Registrations.Applicant.NormalizeEmail(parse.GetValue(email)!)}: export by the operator", token);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, json, token);
                Console.WriteLine($"Wrote {file}.");
            }
            else
            {
                Console.WriteLine(json);
            }

            return 0;
        });

        var reason = new Option<string?>("--reason") { Description = "Why the person is erased (e.g. the request's date and channel); recorded in the audit log." };
        var erase = new Command("erase", "Remove or anonymize everything about a person, in one transaction, and mail them a confirmation.") { email, reason };
        erase.SetAction(async (parse, token) =>
        {
            // Refused before any silo starts: a missing reason changes nothing.
            if (string.IsNullOrWhiteSpace(parse.GetValue(reason)))
            {
                Console.Error.WriteLine("--reason is required: say why the person is erased (it goes into the audit log).");
                return 2;
            }

            await using var host = await startGrains(token);
            var address = parse.GetValue(email)!;
            var result = await host.Services.GetRequiredService<PersonErasure>().EraseAsync(address, parse.GetValue(reason), "command line", token);
            switch (result.Outcome)
            {
                case ErasureOutcome.Refused:
                    Console.Error.WriteLine(result.Problem);
                    return 2;
                case ErasureOutcome.NothingHeld:
                    Console.WriteLine("LearnHub holds nothing under that email; nothing was erased.");
                    return 0;
                case ErasureOutcome.Erased:
                    Console.WriteLine($"Erased ({result.ErasureId}): {string.Join(", ", result.Counts.Select(c => $"{c.Key} {c.Value}"))}.");
                    try
                    {
                        await host.Services.GetRequiredService<ErasureConfirmation>().SendAsync(address, token);
                        Console.WriteLine("The confirmation was mailed.");
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Console.Error.WriteLine($"The erasure stands, but the confirmation could not be mailed: {e.Message}");
                        return 1;
                    }

                    return 0;
                default:
                    throw new InvalidOperationException($"Unknown erasure outcome {result.Outcome}.");
            }
        });
        return new Command("people", "A person's data: export it, or erase it on request.") { export, erase };
    }

    /// <summary><c>retention run [--dry-run]</c>.</summary>
    public static Command Retention(Func<CancellationToken, Task<Program.GrainHost>> startGrains)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only count what is past its retention period; change nothing." };
        var run = new Command("run", "Remove or anonymize what is past its LearnHub:Retention:* period (also a daily job).") { dryRun };
        run.SetAction(async (parse, token) =>
        {
            await using var host = await startGrains(token);
            var report = await host.Services.GetRequiredService<RetentionRun>().RunAsync(parse.GetValue(dryRun), token);
            foreach (var line in report.Lines)
            {
                Console.WriteLine($"{line.DataClass}: {line.Count} {line.What} from before {line.Before:yyyy-MM-dd HH:mm} UTC{(report.DryRun ? " would be removed" : " removed")}.");
            }

            return 0;
        });
        return new Command("retention", "Retention periods.") { run };
    }

    /// <summary><c>backup --out FILE</c>.</summary>
    public static Command Backup(Func<IHost> buildHost)
    {
        var output = new Option<string>("--out") { Description = "The archive to write (zip).", Required = true };
        var backup = new Command("backup", "Back up the database and media files into one archive (LearnHub may keep running).") { output };
        backup.SetAction(async (parse, token) =>
        {
            using var host = buildHost();
            var manifest = await host.Services.GetRequiredService<DataBackup>().BackupAsync(parse.GetValue(output)!, token);
            Console.WriteLine($"Wrote {parse.GetValue(output)}: the {manifest.Provider} database and {manifest.Entries.Count - 1} media file(s).");
            return 0;
        });
        return backup;
    }

    /// <summary><c>restore --from FILE [--replace]</c>.</summary>
    public static Command Restore(Func<IHost> buildHost)
    {
        var from = new Option<string>("--from") { Description = "The archive written by backup.", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Overwrite a database and media directory that hold data." };
        var restore = new Command("restore", "Restore a backup into an empty database and data directory (stop LearnHub first).") { from, replace };
        restore.SetAction(async (parse, token) =>
        {
            using var host = buildHost();
            try
            {
                var manifest = await host.Services.GetRequiredService<DataBackup>().RestoreAsync(parse.GetValue(from)!, parse.GetValue(replace), token);
                Console.WriteLine($"Restored the backup of {manifest.CreatedUtc:yyyy-MM-dd HH:mm} UTC: the database and {manifest.Entries.Count - 1} media file(s).");
                return 0;
            }
            catch (Exception e) when (e is BackupInvalidException or InvalidOperationException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return restore;
    }
}
