using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LearnHub.Bench;

/// <summary>What one storm measured: every request's latency and how the application answered it.</summary>
internal sealed record StormResult(
    int Requests,
    TimeSpan Elapsed,
    double[] SortedLatencyMs,
    int Created,
    int Confirmed,
    int Waitlisted,
    int Errors,
    IReadOnlyDictionary<string, int> ErrorKinds)
{
    /// <summary>Successful registrations (201) per second of wall time.</summary>
    public double RegistrationsPerSecond => Created / Elapsed.TotalSeconds;

    /// <summary>The nearest-rank percentile of all request latencies, in milliseconds.</summary>
    public double Percentile(double fraction)
    {
        if (SortedLatencyMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * SortedLatencyMs.Length);
        return SortedLatencyMs[Math.Clamp(rank - 1, 0, SortedLatencyMs.Length - 1)];
    }

    /// <summary>The slowest request, in milliseconds.</summary>
    public double MaxMs => SortedLatencyMs.Length == 0 ? double.NaN : SortedLatencyMs[^1];
}

/// <summary>
/// A closed-loop load generator: a fixed number of workers share one HttpClient; each takes the next registrant,
/// POSTs the registration, reads the whole answer, and only then takes another. The latency of a request runs from
/// just before the send to the last byte of the answer.
/// </summary>
internal static class Storm
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public static async Task<StormResult> RunAsync(
        HttpClient http, Uri endpoint, IReadOnlyList<byte[]> bodies, int clients, CancellationToken cancellationToken)
    {
        var count = bodies.Count;
        var latencyTicks = new long[count];
        var outcomes = new Outcome[count];
        var errorKinds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var next = -1;

        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(bodies[i]);
                    content.Headers.ContentType = Json;
                    using var response = await http.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
                    var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    latencyTicks[i] = Stopwatch.GetTimestamp() - started;
                    outcomes[i] = response.StatusCode == HttpStatusCode.Created ? StatusOf(payload) : Outcome.Error;
                    if (outcomes[i] == Outcome.Error)
                    {
                        errorKinds.AddOrUpdate($"HTTP {(int)response.StatusCode}: {Describe(payload)}", 1, (_, n) => n + 1);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    latencyTicks[i] = Stopwatch.GetTimestamp() - started;
                    outcomes[i] = Outcome.Error;
                    errorKinds.AddOrUpdate($"{e.GetType().Name}: {e.Message}", 1, (_, n) => n + 1);
                }
            }
        }

        var begun = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(WorkerAsync, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(begun);

        var latencies = latencyTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(latencies);
        return new StormResult(
            count,
            elapsed,
            latencies,
            outcomes.Count(o => o is Outcome.Confirmed or Outcome.Waitlisted),
            outcomes.Count(o => o == Outcome.Confirmed),
            outcomes.Count(o => o == Outcome.Waitlisted),
            outcomes.Count(o => o == Outcome.Error),
            new Dictionary<string, int>(errorKinds, StringComparer.Ordinal));
    }

    private static Outcome StatusOf(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.TryGetProperty("status", out var status) ? status.GetString() switch
            {
                "confirmed" => Outcome.Confirmed,
                "waitlisted" => Outcome.Waitlisted,
                _ => Outcome.Error,
            } : Outcome.Error;
        }
        catch (JsonException)
        {
            return Outcome.Error;
        }
    }

    // A problem-details title when there is one, else the start of the body: enough to tell error kinds apart.
    private static string Describe(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
            {
                return title.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        var text = System.Text.Encoding.UTF8.GetString(payload);
        return text.Length <= 120 ? text : text[..120];
    }

    private enum Outcome : byte
    {
        Error,
        Confirmed,
        Waitlisted,
    }
}
