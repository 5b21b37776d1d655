using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Does the time of a sign-in answer tell whether an email has an account? bench/sign-in-timing.sh starts LearnHub.Web
// (behind a "proxy" on loopback, so each email's attempts can come from an address of their own and only the per-email
// throttle is in play), then this program creates the accounts in the same database and times, over HTTP, the same
// requests for an existing and an unknown email, interleaved pair by pair (the order alternating, so drift in the
// machine's load falls on both sides alike): wrong passwords while they are still checked (attempts 1-5), attempts
// while the email waits (6-8), and three emailed-link requests each. It prints key=value lines for the script's table.
var url = new Uri(args.Length > 0 ? args[0] : throw new ArgumentException("usage: LearnHub.SignInBench <base-url> [emails]"));
var emails = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
const string Password = "correct horse battery staple";
var invariant = CultureInfo.InvariantCulture;

// The same configuration as the web process (LearnHub__* environment variables), so the same database.
var builder = Host.CreateApplicationBuilder();
builder.AddLearnHubStorage();
using var host = builder.Build();
var accounts = host.Services.GetRequiredService<AccountStore>();
var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(invariant);
var existing = new List<string>();
for (var i = 0; i < emails + 10; i++)
{
    var created = await accounts.CreateAsync($"bench-{stamp}-{i}@example.org", "Bench Person", Password, [Role.Learner], CancellationToken.None);
    existing.Add(created.Account?.Email ?? throw new InvalidOperationException(string.Join("; ", created.Errors.Values)));
}

var unknown = Enumerable.Range(0, emails + 10).Select(i => $"nobody-{stamp}-{i}@example.org").ToList();

using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
var page = await http.GetAsync("/signin");
var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Split(';')[0];
var token = Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

async Task<(double Ms, string Body)> PostAsync(string path, string email, string clientAddress, string? password)
{
    var fields = new Dictionary<string, string> { ["Email"] = email, ["__RequestVerificationToken"] = token };
    if (password is not null)
    {
        fields["Password"] = password;
    }

    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
    request.Headers.Add("Cookie", antiforgeryCookie);
    request.Headers.Add("X-Forwarded-For", clientAddress);
    var clock = Stopwatch.StartNew();
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    return (clock.Elapsed.TotalMilliseconds, body);
}

// Each email's attempts come from an address of its own (10.1.x.y for existing emails, 10.2.x.y for unknown ones).
static string Address(int side, int i) => $"10.{side}.{i / 250}.{(i % 250) + 1}";

var samples = new Dictionary<string, (List<double> Existing, List<double> Unknown)>();
var wrongAnswers = 0;
async Task PairAsync(string stage, string path, int i, bool existingFirst, string? password, string expect)
{
    if (!samples.TryGetValue(stage, out var lists))
    {
        samples[stage] = lists = ([], []);
    }

    foreach (var side in existingFirst ? new[] { 1, 2 } : [2, 1])
    {
        var (ms, body) = await PostAsync(path, side == 1 ? existing[i] : unknown[i], Address(side, i), password);
        (side == 1 ? lists.Existing : lists.Unknown).Add(ms);
        if (!body.Contains(expect, StringComparison.Ordinal))
        {
            wrongAnswers++;
        }
    }
}

// Warm-up on emails of their own (JIT, pools, the hasher), excluded from the numbers.
for (var i = emails; i < emails + 10; i++)
{
    await PairAsync("warm-up", "/signin", i, i % 2 == 0, "not the password", "The email or the password is wrong.");
}

for (var i = 0; i < emails; i++)
{
    for (var attempt = 0; attempt < 5; attempt++)
    {
        await PairAsync("wrong password (attempts 1-5)", "/signin", i, (i + attempt) % 2 == 0, "not the password", "The email or the password is wrong.");
    }

    for (var attempt = 0; attempt < 3; attempt++)
    {
        await PairAsync("while waiting (attempts 6-8)", "/signin", i, (i + attempt) % 2 == 0, "not the password", "Too many failed attempts");
    }

    for (var request = 0; request < 3; request++)
    {
        await PairAsync("emailed-link request", "/signin?handler=Link", i, (i + request) % 2 == 0, null, "If an account exists for that address");
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}

var index = 0;
foreach (var (stage, (known, missing)) in samples.Where(s => s.Key != "warm-up"))
{
    index++;
    Console.WriteLine(string.Create(invariant,
        $"stage{index}={stage};{known.Count};{Percentile(known, 0.5):F2};{Percentile(known, 0.9):F2};{Percentile(missing, 0.5):F2};{Percentile(missing, 0.9):F2};{Percentile(known, 0.5) / Percentile(missing, 0.5):F3}"));
}

Console.WriteLine($"wrong_answers={wrongAnswers}");
return wrongAnswers == 0 ? 0 : 2;
