namespace LearnHub.Silo.Media;

/// <summary>A recording's length, read from its container at upload: what watch progress is measured against.</summary>
public static class MediaLength
{
    /// <summary>Longer than this is taken as a damaged header rather than a recording.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(24);

    /// <summary>
    /// The length in seconds of the MP4 or WebM video at <paramref name="path"/> (its movie header, or its segment's
    /// duration), or null when the container does not say: such a recording plays, but watching it counts no progress.
    /// </summary>
    public static double? Seconds(string path, string contentType)
    {
        ArgumentNullException.ThrowIfNull(path);
        var taglibType = contentType switch
        {
            "video/mp4" => "taglib/mp4",
            "video/webm" => "taglib/webm",
            _ => null,
        };
        if (taglibType is null)
        {
            return null;
        }

        try
        {
            using var file = TagLib.File.Create(new TagLib.File.LocalFileAbstraction(path), taglibType, TagLib.ReadStyle.Average);
            var seconds = file.Properties?.Duration.TotalSeconds ?? 0;
            return seconds > 0 && seconds <= Longest.TotalSeconds ? seconds : null;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // The header is the uploader's bytes: however the reader fails to follow it (a corrupt box, a size past the
            // end, a number out of range), the video may still play in a browser; it just has no length.
            return null;
        }
    }
}
