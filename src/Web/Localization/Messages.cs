using System.Collections.Concurrent;
using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text;
using System.Text.RegularExpressions;

namespace LearnHub.Web.Localization;

/// <summary>
/// Translates the messages of LearnHub's rules when a page or the API shows them. The rules stay plain English C#
/// (the grains know nothing of cultures, and a log or a test reads the same sentence everywhere); the catalog
/// (Resources/MessageResource.*.resx) holds each message as a key, and a message with values in it as a pattern:
/// "The answer to “{0}” is too long (at most {1} characters)." matches the English sentence, and the values it
/// captured are translated again where they are words of their own ("The note" in "{0} must be on one line…").
/// A message the catalog does not know is shown as it is, in English, rather than not at all.
/// </summary>
public static partial class Messages
{
    private static readonly ResourceManager Resources = new($"{typeof(MessageResource).Namespace}.Resources.{nameof(MessageResource)}", typeof(MessageResource).Assembly);
    private static readonly ConcurrentDictionary<string, Catalog> Catalogs = new(StringComparer.Ordinal);

    /// <summary><paramref name="message"/> in <paramref name="culture"/> (the current UI culture when null).</summary>
    public static string Translate(string message, CultureInfo? culture = null) => Translate(message, culture, depth: 0);

    private static string Translate(string message, CultureInfo? culture, int depth)
    {
        ArgumentNullException.ThrowIfNull(message);
        culture ??= CultureInfo.CurrentUICulture;
        if (culture.TwoLetterISOLanguageName is "en" or "iv" || message.Length == 0)
        {
            return message;
        }

        var catalog = Catalogs.GetOrAdd(culture.Name, _ => Catalog.Load(culture));
        if (catalog.Exact.TryGetValue(message, out var exact))
        {
            return exact;
        }

        foreach (var (pattern, translation) in catalog.Patterns)
        {
            if (pattern.Match(message) is { Success: true } match)
            {
                var values = match.Groups.Cast<Group>().Skip(1).OrderBy(g => int.Parse(g.Name.AsSpan(1), CultureInfo.InvariantCulture))
                    .Select(g => (object)(depth < 2 ? Translate(g.Value, culture, depth + 1) : catalog.Exact.GetValueOrDefault(g.Value) ?? g.Value)).ToArray();
                return string.Format(culture, translation, values);
            }
        }

        return message;
    }

    /// <summary>Translates a problem's title, detail and, for a validation problem, each field's messages, in place.</summary>
    public static void Translate(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Title = problem.Title is null ? null : Translate(problem.Title);
        problem.Detail = problem.Detail is null ? null : Translate(problem.Detail);
        if (problem is Microsoft.AspNetCore.Http.HttpValidationProblemDetails validation)
        {
            foreach (var (field, messages) in validation.Errors.ToList())
            {
                validation.Errors[field] = [.. messages.Select(m => Translate(m))];
            }
        }
    }

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Hole();

    /// <summary>One culture's messages: whole sentences, and sentences with holes as patterns (most literal text first).</summary>
    private sealed record Catalog(Dictionary<string, string> Exact, IReadOnlyList<(Regex Pattern, string Translation)> Patterns)
    {
        public static Catalog Load(CultureInfo culture)
        {
            var exact = new Dictionary<string, string>(StringComparer.Ordinal);
            // es-MX reads es, zh-CN reads zh-Hans's parent chain: the nearest culture's sentence wins.
            for (var c = culture; !Equals(c, CultureInfo.InvariantCulture); c = c.Parent)
            {
                ResourceSet? set;
                try
                {
                    set = Resources.GetResourceSet(c, createIfNotExists: true, tryParents: false);
                }
                catch (MissingManifestResourceException)
                {
                    set = null;
                }

                foreach (DictionaryEntry entry in (IEnumerable?)set ?? Array.Empty<DictionaryEntry>())
                {
                    if (entry is { Key: string key, Value: string value })
                    {
                        exact.TryAdd(key, value);
                    }
                }
            }

            // A field or word named inside a sentence ("your name", "youth") is the capitalized entry with a small first
            // letter: resource names are case-insensitive, so both spellings cannot be entries of their own.
            foreach (var (key, value) in exact.Where(e => e.Key.Length > 0 && char.IsUpper(e.Key[0])).ToList())
            {
                exact.TryAdd(char.ToLowerInvariant(key[0]) + key[1..], value.Length == 0 ? value : char.ToLower(value[0], culture) + value[1..]);
            }

            var patterns = exact.Where(e => Hole().IsMatch(e.Key))
                .OrderByDescending(e => Hole().Replace(e.Key, "").Length)
                .Select(e => (ToRegex(e.Key), e.Value))
                .ToList();
            return new Catalog(exact, patterns);
        }

        private static Regex ToRegex(string key)
        {
            var pattern = new StringBuilder("^");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var at = 0;
            foreach (Match hole in Hole().Matches(key))
            {
                pattern.Append(Regex.Escape(key[at..hole.Index]));
                var name = "p" + hole.Groups[1].Value;
                pattern.Append(seen.Add(name) ? $"(?<{name}>.+?)" : $@"\k<{name}>");
                at = hole.Index + hole.Length;
            }

            pattern.Append(Regex.Escape(key[at..])).Append('$');
            return new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
    }
}
