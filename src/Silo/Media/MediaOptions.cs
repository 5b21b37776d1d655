namespace LearnHub.Silo.Media;

/// <summary>
/// LearnHub:Media — upload limits, and how often watch progress is written. Files live under the data directory (a
/// shared volume when several nodes run).
/// </summary>
public sealed class MediaOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:Media";

    /// <summary>Largest handout, in bytes (default 25 MB). LearnHub:Media:HandoutMaxBytes.</summary>
    public long HandoutMaxBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Largest recording, in bytes (default 4 GB). LearnHub:Media:RecordingMaxBytes.</summary>
    public long RecordingMaxBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Largest captions file, in bytes (default 2 MB). LearnHub:Media:CaptionsMaxBytes.</summary>
    public long CaptionsMaxBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>
    /// How often a viewer's watch progress, counted in memory, is written at most (default one minute): a crash loses
    /// at most this much of it. LearnHub:Media:ProgressWriteInterval, from 1 second to 10 minutes.
    /// </summary>
    public TimeSpan ProgressWriteInterval { get; set; } = Grains.Media.WriteBehindPolicy.Default.Interval;
}
