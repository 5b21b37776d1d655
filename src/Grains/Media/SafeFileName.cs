namespace LearnHub.Grains.Media;

/// <summary>
/// The name an uploaded file is offered back under. Storage never uses it (files are stored by content hash), but a
/// name that tries to climb directories or hide control characters is refused outright rather than quietly cleaned:
/// the uploader hears what was wrong.
/// </summary>
public static class SafeFileName
{
    /// <summary>The longest name kept.</summary>
    public const int MaxLength = 150;

    /// <summary>The problem with a name, or null when it is acceptable.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "The file has no name.";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal)
            || name.StartsWith('.') || name.Contains(':', StringComparison.Ordinal))
        {
            return $"The file name “{Printable(name)}” points outside its folder; rename the file and upload it again.";
        }

        if (name.Any(c => char.IsControl(c) || c is '"' or '<' or '>' or '|' or '*' or '?'))
        {
            return "The file name contains characters that are not allowed in a file name.";
        }

        return name.Length > MaxLength ? $"The file name is longer than {MaxLength} characters." : null;
    }

    /// <summary>The download name: the uploaded base name with the extension of the type its content is.</summary>
    public static string WithExtension(string name, FileType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        return Path.GetFileNameWithoutExtension(name) + type.Extension;
    }

    private static string Printable(string name) => new(name.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
