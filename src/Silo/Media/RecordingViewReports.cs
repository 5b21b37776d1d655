using Dapper;
using LearnHub.Grains.Media;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Media;

/// <summary>Reads who watched a recording, for the organizer's view and its CSV (a report: it reads the rows directly).</summary>
public sealed class RecordingViewReports(LearnHubDatabase database)
{
    /// <summary>The viewers of <paramref name="recording"/> as written so far (the write-behind may hold the last minute).</summary>
    public async Task<ViewingSummary> SummaryAsync(MediaItem recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var length = recording.LengthSeconds ?? 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        // A registration's viewer is named by the registration; a signed-in viewer without one by their account.
        var rows = await connection.QueryAsync<(string? name, string? email, string spans, long covered_ms, long updated_utc_ms)>(new CommandDefinition(
            """
            SELECT COALESCE(r.name, u.display_name, v.email) AS name, COALESCE(r.email, u.email, v.email) AS email, v.spans, v.covered_ms, v.updated_utc_ms
            FROM recording_views v
            LEFT JOIN registrations r ON r.id = v.registration_id
            LEFT JOIN users u ON u.email_normalized = v.email
            WHERE v.media_id = @media
            """, new { media = recording.Id.ToString() }, cancellationToken: cancellationToken));
        var views = rows.Select(v =>
        {
            var covered = v.covered_ms / 1000.0;
            var row = new ViewerRow(v.name ?? "", v.email ?? "", covered, length <= 0 ? 0 : Math.Min(1, covered / length),
                DateTimeOffset.FromUnixTimeMilliseconds(v.updated_utc_ms));
            return (row, (IReadOnlyList<PlayedSpan>)SqlRecordingViewStore.ParseSpans(v.spans));
        }).ToList();
        return ViewingReport.Summarize(views, length);
    }
}
