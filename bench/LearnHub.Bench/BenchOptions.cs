using System.Globalization;

namespace LearnHub.Bench;

/// <summary>The command line of the load generator; bench/run.sh passes every value.</summary>
internal sealed record BenchOptions(
    Uri BaseUrl,
    int WebPid,
    int PostmasterPid,
    int Registrants,
    int Clients,
    int Capacity,
    int Warmup,
    int ClockTicksPerSecond,
    string ResultsFile)
{
    /// <summary>Reads "--name value" pairs; unknown names are an error so a typo in run.sh cannot go unnoticed.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{string.Join(' ', args)}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var known = new[] { "url", "web-pid", "pg-pid", "registrants", "clients", "capacity", "warmup", "clk-tck", "results" };
        var unknown = values.Keys.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }

        string Required(string name) => values.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"--{name} is required.");

        int Number(string name, int fallback) => values.TryGetValue(name, out var value)
            ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;

        var options = new BenchOptions(
            new Uri(Required("url"), UriKind.Absolute),
            Number("web-pid", 0),
            Number("pg-pid", 0),
            Number("registrants", 11_000),
            Number("clients", 64),
            Number("capacity", 500),
            Number("warmup", 200),
            Number("clk-tck", 100),
            Required("results"));
        if (options.Registrants <= options.Capacity || options.Clients < 1 || options.Capacity < 1 || options.Warmup < 0)
        {
            throw new ArgumentException("Need registrants > capacity >= 1, clients >= 1 and warmup >= 0.");
        }

        return options;
    }
}
