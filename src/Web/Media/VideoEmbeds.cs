using System.Text.RegularExpressions;

namespace LearnHub.Web.Media;

/// <summary>
/// Recordings hosted on YouTube or Vimeo play in the page, through each host's privacy-enhanced player: YouTube's
/// youtube-nocookie.com (no cookies until the visitor plays) and Vimeo's player with dnt=1 (no tracking). Only links
/// whose video id has the host's own shape are embedded; anything else stays a plain link out.
/// </summary>
public static partial class VideoEmbeds
{
    /// <summary>The frame sources the recording page's CSP admits: these two players and nothing else.</summary>
    public const string FrameSources = "https://www.youtube-nocookie.com https://player.vimeo.com";

    /// <summary>The player address for a hosted recording's link, or null when it is not a YouTube or Vimeo video.</summary>
    public static string? PlayerUrl(string? link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var host = url.Host.ToLowerInvariant();
        var path = url.AbsolutePath.Trim('/');
        string? youtube = host switch
        {
            "youtu.be" => path,
            "www.youtube.com" or "youtube.com" or "m.youtube.com" or "www.youtube-nocookie.com" when path == "watch" => Query(url, "v"),
            "www.youtube.com" or "youtube.com" or "m.youtube.com" or "www.youtube-nocookie.com" when path.StartsWith("embed/", StringComparison.Ordinal)
                || path.StartsWith("shorts/", StringComparison.Ordinal) || path.StartsWith("live/", StringComparison.Ordinal) => path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..],
            _ => null,
        };
        if (youtube is not null)
        {
            return YouTubeId().IsMatch(youtube) ? $"https://www.youtube-nocookie.com/embed/{youtube}" : null;
        }

        // vimeo.com/123456789, vimeo.com/123456789/abcdef1234 (an unlisted video's hash), player.vimeo.com/video/123456789?h=…
        var vimeo = host switch
        {
            "vimeo.com" or "www.vimeo.com" => VimeoPage().Match(path),
            "player.vimeo.com" => VimeoPlayer().Match(path),
            _ => null,
        };
        if (vimeo is not { Success: true })
        {
            return null;
        }

        var hash = vimeo.Groups["hash"].Success ? vimeo.Groups["hash"].Value : Query(url, "h");
        return $"https://player.vimeo.com/video/{vimeo.Groups["id"].Value}?dnt=1" + (hash is not null && VimeoHash().IsMatch(hash) ? $"&h={hash}" : "");
    }

    private static string? Query(Uri url, string key) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query).TryGetValue(key, out var value) ? value.ToString() : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{11}$")]
    private static partial Regex YouTubeId();

    [GeneratedRegex("^(?<id>[0-9]{1,12})(?:/(?<hash>[0-9a-f]{6,20}))?$")]
    private static partial Regex VimeoPage();

    [GeneratedRegex("^video/(?<id>[0-9]{1,12})$")]
    private static partial Regex VimeoPlayer();

    [GeneratedRegex("^[0-9a-f]{6,20}$")]
    private static partial Regex VimeoHash();
}
