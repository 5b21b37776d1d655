using System.Globalization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A horizontal bar chart drawn in HTML and CSS (no script, no inline style, so the strict CSP holds): its labels are
/// text at the page's size, so they stay readable (at least 14 px) at every width instead of shrinking with a scaled
/// image. It is an image with a description; every chart is followed by a table with the same figures.
/// Its text (description, labels, figures, the legend's meanings) comes in already localized by the calling page;
/// the partial's own legend words come from OrganizerResource, whichever page renders it.
/// </summary>
/// <param name="Id">The id of the chart's description element.</param>
/// <param name="Description">What the chart shows, read as the image's name.</param>
/// <param name="Bars">The bars, top to bottom.</param>
/// <param name="Max">The value a full-length bar stands for.</param>
public sealed record BarChart(string Id, string Description, IReadOnlyList<Bar> Bars, double Max)
{
    /// <summary>What a hatched bar means (shown in the legend); null when no bar is flagged.</summary>
    public string? FlagMeaning { get; init; }

    /// <summary>What the marker line in a bar stands for (shown in the legend); null when bars have no reference.</summary>
    public string? ReferenceMeaning { get; init; }

    /// <summary>The width class (w-0 … w-100) of a value on this chart's scale.</summary>
    public string WidthClass(double? value) =>
        "w-" + (Max <= 0 || value is null ? 0 : (int)Math.Round(Math.Clamp(value.Value / Max, 0, 1) * 100)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One bar: its label, its value (null draws none) and the figure written beside it. A flagged bar is hatched as well
/// as coloured, and its figure says why, so it is told apart without colour; a reference draws a marker (say, capacity).
/// </summary>
public sealed record Bar(string Label, double? Value, string Shown, bool Flagged = false, double? Reference = null);
