using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace LearnHub.Bench;

/// <summary>
/// The storm as registrants make it in a browser without JavaScript: each one loads the session page (which sets the
/// antiforgery cookie and carries its token), then posts the registration form with both, and is redirected to the
/// confirmation. Measured per registrant: the page load, the post, and the two together.
/// </summary>
internal static partial class PageStorm
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    public sealed record Result(StormResult Registration, double[] SortedPageMs, long PageBytes);

    public static async Task<Result> RunAsync(HttpClient http, Guid session, int registrants, string prefix, int clients, CancellationToken cancellationToken)
    {
        var path = new Uri($"sessions/{session}", UriKind.Relative);
        var postTicks = new long[registrants];
        var pageTicks = new long[registrants];
        var created = new bool[registrants];
        var errorKinds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long pageBytes = 0;
        var next = -1;

        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < registrants)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var page = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
                    var html = await page.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    pageTicks[i] = Stopwatch.GetTimestamp() - started;
                    Interlocked.Exchange(ref pageBytes, html.Length);
                    var cookie = page.Headers.TryGetValues("Set-Cookie", out var cookies)
                        ? string.Join("; ", cookies.Select(c => c.Split(';')[0]))
                        : "";
                    var token = Token().Match(html).Groups[1].Value;
                    using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["Form.Name"] = $"Bench Registrant {i}",
                        ["Form.Email"] = $"{prefix}-{i}@example.org",
                        ["Form.Agency"] = "Bench County Public Health",
                        ["Form.JobRole"] = "Program analyst",
                        ["Form.TimeZone"] = "America/Chicago",
                        ["Form.Accommodations"] = "",
                        ["__RequestVerificationToken"] = token,
                    });
                    using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
                    post.Headers.Add("Cookie", cookie);
                    var posted = Stopwatch.GetTimestamp();
                    using var answer = await http.SendAsync(post, cancellationToken).ConfigureAwait(false);
                    await answer.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    postTicks[i] = Stopwatch.GetTimestamp() - posted;
                    created[i] = answer.StatusCode == HttpStatusCode.Redirect
                        && answer.Headers.Location?.OriginalString.Contains("/registrations/", StringComparison.Ordinal) == true;
                    if (!created[i])
                    {
                        errorKinds.AddOrUpdate($"HTTP {(int)answer.StatusCode} {answer.Headers.Location}", 1, (_, n) => n + 1);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    postTicks[i] = Stopwatch.GetTimestamp() - started;
                    errorKinds.AddOrUpdate($"{e.GetType().Name}: {e.Message}", 1, (_, n) => n + 1);
                }
            }
        }

        var begun = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(WorkerAsync, cancellationToken))).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(begun);

        static double[] Sorted(long[] ticks)
        {
            var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
            Array.Sort(ms);
            return ms;
        }

        var ok = created.Count(c => c);
        // The form answers a redirect either way; whether a seat or a waitlist place, the database check tells.
        var registration = new StormResult(registrants, elapsed, Sorted(postTicks), ok, 0, 0, registrants - ok, new Dictionary<string, int>(errorKinds, StringComparer.Ordinal));
        return new Result(registration, Sorted(pageTicks), Interlocked.Read(ref pageBytes));
    }
}
