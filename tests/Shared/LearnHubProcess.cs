using System.Diagnostics;

namespace LearnHub.Testing;

/// <summary>
/// LearnHub's silo (or web app) as a real process from the build's output, configured through environment variables as
/// an operator would, so a test can run several against one database, kill one mid-work and start it again.
/// </summary>
public sealed class LearnHubProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LearnHubProcess(Process process) => _process = process;

    /// <summary>What the process printed so far; read under the same lock the output handlers append under.</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    private readonly System.Text.StringBuilder _output = new();

    /// <summary>Starts a silo worker with these settings (LearnHub__… environment variables).</summary>
    public static LearnHubProcess Start(IReadOnlyDictionary<string, string> settings) => StartBuilt("Silo", "LearnHub.Silo.dll", settings, "");

    /// <summary>Runs an operator command of the silo (e.g. <c>sessions reschedule …</c>) with these settings.</summary>
    public static LearnHubProcess StartCommand(IReadOnlyDictionary<string, string> settings, string arguments) =>
        StartBuilt("Silo", "LearnHub.Silo.dll", settings, " " + arguments);

    /// <summary>Starts a web process listening on <paramref name="url"/> with these settings.</summary>
    public static LearnHubProcess StartWeb(IReadOnlyDictionary<string, string> settings, string url) =>
        StartBuilt("Web", "LearnHub.Web.dll", settings, $" --urls {url}");

    private static LearnHubProcess StartBuilt(string project, string assembly, IReadOnlyDictionary<string, string> settings, string arguments)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        var dll = Path.Combine(Repository.Root, "src", project, "bin", configuration, "net10.0", assembly);
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution in {configuration} first.");
        }

        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"{arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Production on PostgreSQL refuses to start without a key for the stored data-protection keys; every process of
        // a test shares this one unless the test sets its own.
        start.Environment["LearnHub__DataProtection__Key"] = TestKeys.DataProtection;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var silo = new LearnHubProcess(process);
        process.OutputDataReceived += (_, e) => { lock (silo._output) { silo._output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (silo._output) { silo._output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>An http://127.0.0.1:port address on a port nothing listens on yet, for a web process to take.</summary>
    public static string FreeLoopbackUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
    }

    /// <summary>Waits until this web process answers /health at <paramref name="url"/>; fails the test, with its output, if it never does.</summary>
    public async Task WaitHealthyAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync($"{url}/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{url} did not become healthy. Output:\n{Output}");
    }

    /// <summary>The exit code, once the process has ended.</summary>
    public int ExitCode => _process.ExitCode;

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
