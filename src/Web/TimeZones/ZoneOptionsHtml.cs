using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace LearnHub.Web.TimeZones;

/// <summary>
/// The option list of a time-zone select, rendered once: a session page carries two lists of about 420 zones, and
/// rendering them option by option through Razor was most of what a page view cost. The "all zones" group depends on
/// nothing but which zone is selected, so it is encoded once at start, whole; the "common" group shows each zone's
/// offset at the session's start, so it is kept per instant (a session page asks for the same one every time).
/// An "all zones" option is labelled with its id, so it carries no value attribute: an option without one submits its
/// text. That halves what the lists weigh, and they were most of a session page's bytes.
/// </summary>
public static class ZoneOptionsHtml
{
    private const int MaxInstantsKept = 4096;

    private static readonly Lazy<Group> Others = new(() => new Group([.. ViewerTimeZone.All.Except(ViewerTimeZone.Common)
        .Select(id => new ZoneOption(id, $"<option>{HtmlEncoder.Default.Encode(id)}</option>", $"<option selected=\"selected\">{HtmlEncoder.Default.Encode(id)}</option>"))]));

    private static readonly ConcurrentDictionary<long, Group> CommonAt = new();

    /// <summary>
    /// The two option groups, with <paramref name="selected"/> selected and offsets as at <paramref name="at"/>; the
    /// groups' labels are interface text, given in the reader's language (the zones are ids, the same in every language).
    /// </summary>
    public static IHtmlContent Render(string selected, DateTimeOffset at, string commonLabel = "Common", string allLabel = "All time zones") =>
        new Options(selected, CommonOptions(at), Others.Value, commonLabel, allLabel);

    private static Group CommonOptions(DateTimeOffset at)
    {
        if (CommonAt.Count > MaxInstantsKept)
        {
            // Bounded: instants of past sessions are not asked for again; dropping them all now and then is cheaper than an LRU.
            CommonAt.Clear();
        }

        // To the minute: pages that show "now" ask for a new instant on every view, and offsets change on the hour.
        var minute = at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute);
        return CommonAt.GetOrAdd(minute, ticks => new Group([.. ViewerTimeZone.Common.Select(id =>
        {
            var (value, label) = (HtmlEncoder.Default.Encode(id), HtmlEncoder.Default.Encode(ViewerTimeZone.Label(id, new DateTimeOffset(ticks, TimeSpan.Zero))));
            return new ZoneOption(id, $"<option value=\"{value}\">{label}</option>", $"<option value=\"{value}\" selected=\"selected\">{label}</option>");
        })]));
    }

    private sealed record ZoneOption(string Id, string Html, string SelectedHtml);

    // A group's options, and all of them as one string for when none of them is the selected one.
    private sealed class Group(ZoneOption[] options)
    {
        private readonly HashSet<string> _ids = options.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);

        public ZoneOption[] Options { get; } = options;

        public string Unselected { get; } = string.Concat(options.Select(o => o.Html));

        public bool Holds(string id) => _ids.Contains(id);
    }

    private sealed class Options(string selected, Group common, Group others, string commonLabel, string allLabel) : IHtmlContent
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

        private void WriteGroup(TextWriter writer, Group group)
        {
            if (!group.Holds(selected))
            {
                writer.Write(group.Unselected);
                return;
            }

            foreach (var option in group.Options)
            {
                writer.Write(option.Id == selected ? option.SelectedHtml : option.Html);
            }
        }
    }
}
