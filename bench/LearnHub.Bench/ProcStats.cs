using System.Globalization;

namespace LearnHub.Bench;

/// <summary>CPU time and memory of processes on this machine, read from /proc (Linux only).</summary>
internal static class ProcStats
{
    /// <summary>One reading of every counter the benchmark compares before and after the storm.</summary>
    public sealed record CpuSnapshot(
        long WebTicks, long WebSystemTicks, long PostgresTicks, long PostgresSystemTicks, TimeSpan Self, long MachineBusyTicks, long MachineTotalTicks);

    /// <summary>Reads the counters now.</summary>
    public static CpuSnapshot Take(int webPid, int postmasterPid)
    {
        var (busy, total) = MachineTicks();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var web = webPid > 0 ? ProcessTicks(webPid, includeReaped: false) : (0, 0);
        var postgres = postmasterPid > 0 ? PostgresTicks(postmasterPid) : (0, 0);
        return new CpuSnapshot(
            web.Total,
            web.System,
            postgres.Total,
            postgres.System,
            self.TotalProcessorTime,
            busy,
            total);
    }

    /// <summary>True while the process exists.</summary>
    public static bool IsAlive(int pid) => pid <= 0 || Directory.Exists($"/proc/{pid}");

    /// <summary>How long a wait for a quiet process took, and whether the process became quiet before the limit.</summary>
    public readonly record struct Quiet(TimeSpan Elapsed, bool Reached);

    /// <summary>
    /// Waits until the process has used less than <paramref name="coreShare"/> of a core in each of two seconds in a row,
    /// or until <paramref name="limit"/>; says how long it waited and whether the process became quiet.
    /// </summary>
    public static async Task<Quiet> WaitUntilQuietAsync(int pid, int clockTicks, double coreShare, TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (previous, _) = ProcessTicks(pid, includeReaped: false);
        var quietSeconds = 0;
        while (quietSeconds < 2 && watch.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var (now, _) = ProcessTicks(pid, includeReaped: false);
            quietSeconds = now - previous < coreShare * clockTicks ? quietSeconds + 1 : 0;
            previous = now;
        }

        return new Quiet(watch.Elapsed, quietSeconds >= 2);
    }

    /// <summary>A "kB" field of /proc/PID/status (VmHWM, VmRSS, …) in KiB, or null when it cannot be read.</summary>
    public static long? StatusKib(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var number = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>User plus system (and system alone) clock ticks of the postmaster and every live child (backends, walwriter …).</summary>
    private static (long Total, long System) PostgresTicks(int postmasterPid)
    {
        // The postmaster's own reaped-children counters cover backends that ended between the two readings.
        var (ticks, systemTicks) = ProcessTicks(postmasterPid, includeReaped: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmasterPid)
            {
                continue;
            }

            if (ReadStat(pid) is { } stat && stat.ParentPid == postmasterPid)
            {
                ticks += stat.User + stat.System;
                systemTicks += stat.System;
            }
        }

        return (ticks, systemTicks);
    }

    private static (long Total, long System) ProcessTicks(int pid, bool includeReaped) => ReadStat(pid) is { } stat
        ? (stat.User + stat.System + (includeReaped ? stat.ChildrenUser + stat.ChildrenSystem : 0),
            stat.System + (includeReaped ? stat.ChildrenSystem : 0))
        : (0, 0);

    private static (long Busy, long Total) MachineTicks()
    {
        // First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var idle = values[3] + values[4];
        return (total - idle, total);
    }

    private static Stat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int index) => long.Parse(rest[index], CultureInfo.InvariantCulture);
        return new Stat((int)Field(1), Field(11), Field(12), Field(13), Field(14));
    }

    private sealed record Stat(int ParentPid, long User, long System, long ChildrenUser, long ChildrenSystem);
}
