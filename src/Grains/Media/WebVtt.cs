using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LearnHub.Grains.Media;

/// <summary>One caption: when it shows, and its text without markup (voice names kept as "Name: ").</summary>
public sealed record Cue(TimeSpan Start, TimeSpan End, string Text);

/// <summary>A WebVTT file read line by line: its cues, or every problem found with the line it is on.</summary>
public sealed record WebVttDocument(IReadOnlyList<Cue> Cues, IReadOnlyList<string> Errors)
{
    /// <summary>True when the file can be stored and played.</summary>
    public bool IsValid => Errors.Count == 0 && Cues.Count > 0;
}

/// <summary>
/// Validates captions against the WebVTT format (the parts browsers need to play them): the WEBVTT signature, cue
/// timings (a start and an end joined by an arrow) with ordered, well-formed timestamps, and a text line per cue. Notes, styles and regions
/// are accepted and skipped. Problems are reported with 1-based line numbers, all of them, not just the first.
/// </summary>
public static partial class WebVtt
{
    /// <summary>The most problems reported for one file (a binary file would otherwise yield one per line).</summary>
    public const int MaxErrors = 20;

    [GeneratedRegex(@"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"<v(?:\.[^\s>]*)?\s+([^>]*)>", RegexOptions.CultureInvariant)]
    private static partial Regex Voice();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    /// <summary>Reads captions from UTF-8 bytes.</summary>
    public static WebVttDocument Parse(ReadOnlySpan<byte> utf8)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return new WebVttDocument([], ["Line 1: the file is not UTF-8 text; WebVTT captions must be."]);
        }

        return Parse(text);
    }

    /// <summary>Reads captions from text.</summary>
    public static WebVttDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        var errors = new List<string>();
        var cues = new List<Cue>();
        if (!(lines[0] == "WEBVTT" || lines[0].StartsWith("WEBVTT ", StringComparison.Ordinal) || lines[0].StartsWith("WEBVTT\t", StringComparison.Ordinal)))
        {
            errors.Add("Line 1: a WebVTT file must start with “WEBVTT”.");
            return new WebVttDocument([], errors);
        }

        var i = 1;
        // The header runs to the first blank line.
        while (i < lines.Length && lines[i].Length > 0)
        {
            i++;
        }

        while (i < lines.Length && errors.Count < MaxErrors)
        {
            if (lines[i].Trim().Length == 0)
            {
                i++;
                continue;
            }

            var blockStart = i;
            var block = new List<string>();
            while (i < lines.Length && lines[i].Trim().Length > 0)
            {
                block.Add(lines[i]);
                i++;
            }

            if (block[0].StartsWith("NOTE", StringComparison.Ordinal) || block[0] is "STYLE" or "REGION")
            {
                continue;
            }

            // An optional identifier line comes before the timing line.
            var timingOffset = block[0].Contains("-->", StringComparison.Ordinal) ? 0 : 1;
            if (timingOffset >= block.Count || !block[timingOffset].Contains("-->", StringComparison.Ordinal))
            {
                errors.Add($"Line {blockStart + 1}: expected a cue timing such as “00:01.000 --> 00:04.000”, found “{Shorten(block[0])}”.");
                continue;
            }

            var timingLine = blockStart + timingOffset + 1;
            var parts = block[timingOffset].Split("-->", 2);
            var start = ParseTime(parts[0].Trim());
            var endText = parts[1].Trim().Split([' ', '\t'], 2)[0];
            var end = ParseTime(endText);
            if (start is null)
            {
                errors.Add($"Line {timingLine}: the start time “{Shorten(parts[0].Trim())}” is not a WebVTT timestamp (mm:ss.ttt or hh:mm:ss.ttt).");
            }

            if (end is null)
            {
                errors.Add($"Line {timingLine}: the end time “{Shorten(endText)}” is not a WebVTT timestamp (mm:ss.ttt or hh:mm:ss.ttt).");
            }

            if (start is not null && end is not null && end <= start)
            {
                errors.Add($"Line {timingLine}: the cue ends ({endText}) before or when it starts ({parts[0].Trim()}).");
            }

            if (start is not null && cues.Count > 0 && start < cues[^1].Start)
            {
                errors.Add($"Line {timingLine}: the cue starts before the cue above it; cues must be in time order.");
            }

            var payload = block.Skip(timingOffset + 1).ToList();
            if (payload.Count == 0)
            {
                errors.Add($"Line {timingLine}: the cue has no text.");
            }
            else if (payload.FirstOrDefault(p => p.Contains("-->", StringComparison.Ordinal)) is { } stray)
            {
                errors.Add($"Line {timingLine + 1 + payload.IndexOf(stray)}: a cue's text cannot contain “-->”; is a blank line missing before it?");
            }

            if (start is not null && end is not null && end > start && payload.Count > 0)
            {
                cues.Add(new Cue(start.Value, end.Value, PlainText(payload)));
            }
        }

        if (errors.Count == 0 && cues.Count == 0)
        {
            errors.Add($"Line {lines.Length}: the file has no cues.");
        }

        return new WebVttDocument(cues, errors);
    }

    private static TimeSpan? ParseTime(string value)
    {
        var match = Timestamp().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var hours = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(0, hours, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture));
    }

    // Cue text is markup of its own (<v Speaker>, <i>, <c.class>); the transcript wants words, and entities decoded.
    private static string PlainText(IEnumerable<string> payload)
    {
        var joined = string.Join(" ", payload.Select(p => p.Trim()));
        joined = Voice().Replace(joined, m => m.Groups[1].Value.Trim() + ": ");
        return System.Net.WebUtility.HtmlDecode(Tag().Replace(joined, "")).Trim();
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
