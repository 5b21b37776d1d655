using System.Globalization;

namespace LearnHub.Grains.Certificates;

/// <summary>
/// Continuing-education hours, kept in hundredths (1.5 hours = 150) so a certificate never shows a floating-point sum.
/// </summary>
public static class CeHours
{
    /// <summary>The most hours one session or course may carry, in hundredths (99.99).</summary>
    public const int MaxCenti = 9999;

    /// <summary>"1.50": two decimals, invariant culture.</summary>
    public static string Format(long centi) => (centi / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads typed hours ("1.5", "0", "12.25"; empty is zero). Null with a message when the text is not a number of
    /// hours from 0 to 99.99 with at most two decimals.
    /// </summary>
    public static (int? Centi, string? Problem) Parse(string? typed)
    {
        var text = (typed ?? "").Trim();
        if (text.Length == 0)
        {
            return (0, null);
        }

        const string Problem = "Enter CE hours from 0 to 99.99, with at most two decimals (for example 1.5).";
        if (text.Length > 8 || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var hours))
        {
            return (null, Problem);
        }

        var centi = hours * 100m;
        if (centi != decimal.Truncate(centi) || centi > MaxCenti)
        {
            return (null, Problem);
        }

        return ((int)centi, null);
    }
}
