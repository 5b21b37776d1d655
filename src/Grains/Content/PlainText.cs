using System.Globalization;

namespace LearnHub.Grains.Content;

/// <summary>Whether a text field may hold line breaks.</summary>
public enum TextShape
{
    /// <summary>One line: titles, names, subjects, reasons. A line break here would split a mail header or a CSV row.</summary>
    SingleLine,

    /// <summary>Several lines: descriptions, notes, messages, free-text answers.</summary>
    MultiLine,
}

/// <summary>
/// What any text a person types may contain: no control characters but tab (and line breaks where the field has
/// several lines), and no half of a surrogate pair. A NUL is refused by PostgreSQL (it answered 500) and stored raw by
/// SQLite; a CR or LF in a title split every mail header it went into; the rest are invisible on a page and dangerous
/// in a CSV or a terminal. Refused with a sentence that names the field, never silently stripped.
/// </summary>
public static class PlainText
{
    /// <summary>What is wrong with <paramref name="value"/> as the field <paramref name="label"/>, or null when nothing is.</summary>
    public static string? Problem(string? value, string label, TextShape shape)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return $"{label} contains a broken character (a lone U+{(int)c:X4}); type or paste it again.";
            }

            if (c is '\r' or '\n' && shape == TextShape.SingleLine)
            {
                return $"{label} must be on one line: remove the line break.";
            }

            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{label} contains an invisible control character (U+{(int)c:X4}) at position {i + 1}; remove it.");
            }
        }

        return null;
    }
}
