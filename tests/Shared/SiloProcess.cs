using System.Diagnostics;

namespace LearnHub.Testing;

/// <summary>
/// LearnHub's silo as a real worker process (the build's LearnHub.Silo.dll), configured through environment
/// variables as an operator would, so a test can kill it mid-work and start it again.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process) => _process = process;

    /// <summary>Everything the process wrote, for failure messages.</summary>
    public string Output => _output.ToString();

    private readonly System.Text.StringBuilder _output = new();

    /// <summary>Starts a silo worker with these settings (LearnHub__… environment variables).</summary>
    public static SiloProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        var dll = Path.Combine(Repository.Root, "src", "Silo", "bin", configuration, "net10.0", "LearnHub.Silo.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution in {configuration} first.");
        }

        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => { lock (silo._output) { silo._output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (silo._output) { silo._output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>
    /// Waits until the process ends by itself and its output has been read to the end; false when it still runs
    /// after <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills it at once, as a crash or an OOM kill would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
