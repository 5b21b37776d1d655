namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A horizontal bar chart drawn as inline SVG (no script, no inline style, so the strict CSP holds). It is an image
/// with a description; every chart is followed by a table with the same figures for anyone who cannot see it.
/// </summary>
/// <param name="Id">The id of the chart's title element.</param>
/// <param name="Description">What the chart shows, read as the image's name.</param>
/// <param name="Bars">The bars, top to bottom.</param>
/// <param name="Max">The value a full-length bar stands for.</param>
public sealed record BarChart(string Id, string Description, IReadOnlyList<Bar> Bars, double Max);

/// <summary>One bar: its label, its value (null draws none) and the figure written beside it.</summary>
public sealed record Bar(string Label, double? Value, string Shown);
