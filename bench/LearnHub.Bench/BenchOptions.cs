using System.Globalization;

namespace LearnHub.Bench;

/// <summary>The command line ("mode --name value …"); bench/platform.sh passes every value.</summary>
internal sealed class BenchOptions
{
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        ["load"] = ["capacity", "growth-series", "registrations", "results"],
        ["storm"] = ["url", "web-pid", "pg-pid", "registrants", "clients", "capacity", "warmup", "clk-tck", "results", "warmup-session", "api-session", "page-session"],
        ["progress"] = ["url", "web-pid", "viewers", "seconds", "clk-tck", "api-session", "results"],
        ["settle"] = ["web-pid", "seconds", "clk-tck"],
    };

    private readonly Dictionary<string, string> _values;

    private BenchOptions(string mode, Dictionary<string, string> values) => (Mode, _values) = (mode, values);

    /// <summary>
    /// "load" (fill the database before the web process starts), "storm" or "progress" (drive it), "settle" (wait until
    /// it is nearly idle).
    /// </summary>
    public string Mode { get; }

    /// <summary>Reads the mode and its "--name value" pairs; unknown names are an error so a typo in a script cannot go unnoticed.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !Known.TryGetValue(args[0], out var known))
        {
            throw new ArgumentException($"Usage: LearnHub.Bench load|storm|progress|settle --name value …; got '{string.Join(' ', args)}'.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{string.Join(' ', args)}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var unknown = values.Keys.Except(known, StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? new BenchOptions(args[0], values)
            : throw new ArgumentException($"Unknown option(s) for {args[0]}: {string.Join(", ", unknown.Select(u => "--" + u))}.");
    }

    /// <summary>A required text value.</summary>
    public string Text(string name) => _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    /// <summary>A whole number, or <paramref name="fallback"/> when it is not given.</summary>
    public int Number(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A session id.</summary>
    public Guid Session(string name) => Guid.Parse(Text(name));
}
