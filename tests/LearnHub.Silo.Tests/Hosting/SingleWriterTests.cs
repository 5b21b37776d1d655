using System.Text.RegularExpressions;

namespace LearnHub.Silo.Tests.Hosting;

/// <summary>
/// Each grain is the only writer of its entity: no code outside its store may write the entity's rows, and the web
/// layer may not reach a grain's store at all. Read from the sources themselves, so a second writer cannot appear
/// unnoticed.
/// </summary>
public sealed partial class SingleWriterTests
{
    // Table → the only source files allowed to write it (paths under src/, '/' separated).
    private static readonly Dictionary<string, string[]> Writers = new(StringComparer.Ordinal)
    {
        ["sessions"] = ["Silo/Sessions/SqlSessionStore.cs"],
        ["session_presenters"] = ["Silo/Sessions/SqlSessionStore.cs"],
        ["registrations"] = ["Silo/Sessions/SqlSessionStore.cs"],
        ["series"] = ["Silo/Catalog/SqlSeriesStore.cs"],
        ["session_media"] = ["Silo/Media/SqlMediaStore.cs", "Silo/Media/MediaRemoval.cs"],
        // Orleans' ADO.NET provider writes grain state through the named queries of migration 0016; no code of ours does.
        ["orleansstorage"] = [],
    };

    private static readonly string[] StoreTypes =
        ["ISessionStore", "SqlSessionStore", "ISeriesStore", "SqlSeriesStore", "IMediaStore", "SqlMediaStore", "MediaRemoval", "ILearnerStore"];

    [GeneratedRegex(@"\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+""?(?<table>[A-Za-z_]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Write();

    private static string SourceRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LearnHub.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("No LearnHub.sln above the test binaries."), "src");
    }

    /// <summary>Every (file, table) where a write statement names an entity table outside that table's writers.</summary>
    private static List<string> SecondWriters(IEnumerable<(string Path, string Text)> files) =>
        files.SelectMany(f => Write().Matches(f.Text).Select(m => (f.Path, Table: m.Groups["table"].Value.ToLowerInvariant())))
            .Where(w => Writers.TryGetValue(w.Table, out var allowed) && !allowed.Contains(w.Path))
            .Select(w => $"{w.Path} writes {w.Table}")
            .Distinct()
            .ToList();

    private static IEnumerable<(string Path, string Text)> Sources(string under) =>
        Directory.EnumerateFiles(Path.Combine(SourceRoot(), under), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(SourceRoot(), p).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(p)));

    [Fact]
    public void NoCodeOutsideAGrainsStore_WritesItsEntitysRows()
    {
        var sources = Sources("").ToList();
        Assert.True(sources.Count > 100, $"Only {sources.Count} source files found under {SourceRoot()}.");

        Assert.Empty(SecondWriters(sources));
    }

    [Fact]
    public void NegativeControl_ASecondWriterOfTheSessionsRow_IsCaught()
    {
        var planted = new[] { ("Silo/Catalog/Sneaky.cs", "const string Sql = \"UPDATE sessions SET title = @t WHERE id = @id\";") };

        Assert.Equal(["Silo/Catalog/Sneaky.cs writes sessions"], SecondWriters(planted));
    }

    [Fact]
    public void TheWebLayer_ReachesGrainsOnly_NeverTheirStores()
    {
        var offenders = Sources("Web")
            .SelectMany(f => StoreTypes.Where(t => Regex.IsMatch(f.Text, $@"\b{t}\b")).Select(t => $"{f.Path} uses {t}"))
            .ToList();

        Assert.Empty(offenders);
    }
}
