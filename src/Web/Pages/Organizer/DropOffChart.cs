using System.Globalization;
using System.Text;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// The drop-off of a recording as an SVG area over its timeline: for each part, the share of viewers who played it.
/// Only the shapes are SVG, stretched to the width; the axis labels are HTML text around it, so they stay readable at
/// every width instead of shrinking with the drawing. Colours come from the stylesheet's classes (the CSP forbids inline
/// style, and dark mode changes them). It is an image with a description; the page follows it with a table.
/// </summary>
/// <param name="Id">The id of the chart's description element.</param>
/// <param name="Description">What the chart shows, read as the image's name.</param>
/// <param name="Shares">The share (0–1) of viewers who played each equal part of the recording, in order.</param>
/// <param name="End">The recording's length as a clock ("20:00"), the axis's last label.</param>
public sealed record DropOffChart(string Id, string Description, IReadOnlyList<double> Shares, string End)
{
    /// <summary>The drawing's width in its own units.</summary>
    public const int Width = 1000;

    /// <summary>The drawing's height in its own units.</summary>
    public const int Height = 200;

    /// <summary>The area's outline: a step per part, closed along the bottom.</summary>
    public string AreaPath => Path(closed: true);

    /// <summary>The line along the area's top.</summary>
    public string LinePath => Path(closed: false);

    private string Path(bool closed)
    {
        var path = new StringBuilder();
        var n = Math.Max(1, Shares.Count);
        path.Append(closed ? "M0 " + Height.ToString(CultureInfo.InvariantCulture) : "");
        for (var i = 0; i < Shares.Count; i++)
        {
            var y = Y(Shares[i]);
            var from = X(i, n);
            var to = X(i + 1, n);
            path.Append(path.Length == 0 ? "M" : " L").Append(from).Append(' ').Append(y).Append(" L").Append(to).Append(' ').Append(y);
        }

        if (closed)
        {
            path.Append(" L").Append(Width.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Height.ToString(CultureInfo.InvariantCulture)).Append(" Z");
        }

        return path.ToString();
    }

    private static string X(int i, int n) => (i * (double)Width / n).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Y(double share) => (Height - Math.Clamp(share, 0, 1) * Height).ToString("0.#", CultureInfo.InvariantCulture);
}
