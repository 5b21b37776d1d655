using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Localization;

/// <summary>
/// Counted phrases ("1 seat left", "3 seats left"). English and Spanish have a singular and a plural form and Chinese
/// one form for every count (its translation of both keys is the same), so the two CLDR categories "one" and "other"
/// are all LearnHub's languages need; the count is formatted by the request's culture.
/// </summary>
public static class Plurals
{
    /// <summary>The phrase for <paramref name="count"/>: <paramref name="one"/> when it is 1, else <paramref name="other"/>; both keys take the count as {0}.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, long count, string one, string other, params object[] more)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return localizer[count == 1 ? one : other, [count, .. more]];
    }
}
