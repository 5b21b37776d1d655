using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LearnHub.Testing;

/// <summary>What the sink's parser read from one received message.</summary>
public sealed record ReceivedMail(
    string MailFrom, string[] RcptTos, string MessageId, string From, string To, string Subject, string? Text, string? Html, ReceivedCalendar[] Calendars);

/// <summary>A calendar part of a received message.</summary>
public sealed record ReceivedCalendar(string ContentType, string? Method, string? Filename, string Content);

/// <summary>
/// A real SMTP server (tests/tools/smtp_sink.py on Debian's python3-aiosmtpd) on a loopback port of its own. It can be
/// stopped and started again on the same port to play an outage.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string? _refuse;
    private Process? _process;

    private SmtpSink(int port, string directory, string? refuse)
    {
        Port = port;
        Directory = directory;
        _refuse = refuse;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Where it writes what it receives.</summary>
    public string Directory { get; }

    /// <summary>
    /// Starts a sink on a free port. It answers RCPT TO with 550 for addresses ending in
    /// <paramref name="refuseRecipientsEndingWith"/>, as a server does for a mailbox it does not have.
    /// </summary>
    public static async Task<SmtpSink> StartAsync(string? refuseRecipientsEndingWith = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var sink = new SmtpSink(port, Path.Combine(Path.GetTempPath(), $"learnhub-smtp-{Guid.NewGuid():N}"), refuseRecipientsEndingWith);
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>Starts the server (again), on the same port and directory.</summary>
    public async Task StartAgainAsync()
    {
        var script = Path.Combine(Repository.Root, "tests", "tools", "smtp_sink.py");
        var start = new ProcessStartInfo("/usr/bin/python3", $"{script} --port {Port} --dir {Directory}{(_refuse is null ? "" : $" --refuse {_refuse}")}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(15))) != ready || ready.Result is null)
        {
            var error = await _process.StandardError.ReadToEndAsync();
            _process.Kill();
            throw new InvalidOperationException(
                $"The SMTP sink did not start ({error.Trim()}). It needs Debian's python3-aiosmtpd: run ./test.sh, which installs it.");
        }
    }

    /// <summary>Stops the server, as an outage would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Everything received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMail> Received() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<ReceivedMail>(File.ReadAllText(f), Json)!).ToList()
            : [];

    /// <summary>Waits (with a deadline, polling) until at least <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = Received();
            if (received.Count >= count || DateTime.UtcNow > deadline)
            {
                return received;
            }

            await Task.Delay(50);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

/// <summary>Where the repository is, from the test binaries.</summary>
public static class Repository
{
    /// <summary>The folder holding LearnHub.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LearnHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("LearnHub.sln not found above the test binaries.");
    }
}
