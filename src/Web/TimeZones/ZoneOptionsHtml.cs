using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace LearnHub.Web.TimeZones;

/// <summary>
/// The option list of a time-zone select, rendered once: a session page carries two lists of about 420 zones, and
/// rendering them option by option through Razor was most of what a page view cost. The "all zones" group depends on
/// nothing but which zone is selected, so each option is encoded once at start; the "common" group shows each zone's
/// offset at the session's start, so it is kept per instant (a session page asks for the same one every time).
/// </summary>
public static class ZoneOptionsHtml
{
    private const int MaxInstantsKept = 4096;

    private static readonly Lazy<(string Id, string Html)[]> Others = new(() => ViewerTimeZone.All.Except(ViewerTimeZone.Common)
        .Select(id => (id, Option(id, id, selected: false))).ToArray());

    private static readonly ConcurrentDictionary<long, (string Id, string Html)[]> CommonAt = new();

    /// <summary>
    /// The two option groups, with <paramref name="selected"/> selected and offsets as at <paramref name="at"/>; the
    /// groups' labels are interface text, given in the reader's language (the zones are ids, the same in every language).
    /// </summary>
    public static IHtmlContent Render(string selected, DateTimeOffset at, string commonLabel = "Common", string allLabel = "All time zones") =>
        new Options(selected, CommonOptions(at), Others.Value, commonLabel, allLabel);

    private static (string Id, string Html)[] CommonOptions(DateTimeOffset at)
    {
        if (CommonAt.Count > MaxInstantsKept)
        {
            // Bounded: instants of past sessions are not asked for again; dropping them all now and then is cheaper than an LRU.
            CommonAt.Clear();
        }

        // To the minute: pages that show "now" ask for a new instant on every view, and offsets change on the hour.
        var minute = at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute);
        return CommonAt.GetOrAdd(minute, ticks => ViewerTimeZone.Common
            .Select(id => (id, Option(id, ViewerTimeZone.Label(id, new DateTimeOffset(ticks, TimeSpan.Zero)), selected: false))).ToArray());
    }

    private static string Option(string id, string label, bool selected) =>
        $"<option value=\"{HtmlEncoder.Default.Encode(id)}\"{(selected ? " selected=\"selected\"" : "")}>{HtmlEncoder.Default.Encode(label)}</option>";

    private sealed class Options(string selected, (string Id, string Html)[] common, (string Id, string Html)[] others, string commonLabel, string allLabel) : IHtmlContent
    {
        public void WriteTo(TextWriter writer, HtmlEncoder encoder)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.Write($"<optgroup label=\"{HtmlEncoder.Default.Encode(commonLabel)}\">");
            WriteGroup(writer, common);
            writer.Write($"</optgroup><optgroup label=\"{HtmlEncoder.Default.Encode(allLabel)}\">");
            WriteGroup(writer, others);
            writer.Write("</optgroup>");
        }

        private void WriteGroup(TextWriter writer, (string Id, string Html)[] options)
        {
            foreach (var (id, html) in options)
            {
                // Only the selected option differs from the encoded copy: it is written with the attribute added.
                writer.Write(id == selected ? html.Replace("\">", "\" selected=\"selected\">", StringComparison.Ordinal) : html);
            }
        }
    }
}
