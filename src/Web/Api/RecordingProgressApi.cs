using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Web.Media;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LearnHub.Web.Api;

/// <summary>A progress report from the watch page's player: the stretches played since its last report, in seconds.</summary>
/// <param name="Played">Each stretch as [from, to], in the order played (a seek starts a new stretch).</param>
public sealed record ProgressReport(IReadOnlyList<double[]>? Played);

/// <summary>What is counted of the viewer's watching after a report.</summary>
/// <param name="Counted">False when this viewer's watching is not counted (staff previewing without a seat).</param>
/// <param name="Covered">Seconds played at least once.</param>
/// <param name="Share">That share of the recording, from 0 to 1.</param>
/// <param name="Position">Where playback continues next time, in seconds.</param>
public sealed record ProgressDto(bool Counted, double Covered, double Share, double Position);

/// <summary>
/// Watch progress (issue 14): the player on a recording's page reports what it played every 15 seconds, for a
/// signed-in viewer or one who came through the pass link in their mail (<c>?pass=</c>, as on the file URL). The door
/// is the recording's own: whoever may not open it gets 404.
/// </summary>
public static class RecordingProgressApi
{
    /// <summary>The largest report taken (413 beyond): 50 stretches of two numbers.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapRecordingProgressApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/recordings/{id:guid}/progress", ReportAsync).WithTags("Recordings").WithName("ReportProgress").AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("Report the stretches of a recording played since the last report (the watch page's player does this).");
        return routes;
    }

    private static async Task<Results<Ok<ProgressDto>, NotFound, ProblemHttpResult>> ReportAsync(Guid id, ProgressReport? body, HttpContext http,
        MediaDirectory media, MediaPasses passes, CancellationToken cancellationToken)
    {
        var viewer = http.AsMediaViewer(passes, id);
        var played = body?.Played is { } stretches && stretches.All(p => p is { Length: 2 }) ? stretches : null;

        // A player's report, the common case: the view grain asks the media grain whether the viewer may open the
        // recording (and remembers a yes for a minute), so a report is one grain call rather than three.
        if (played is not null
            && await media.SessionOfAsync(id, cancellationToken) is { } session
            && await media.ViewOfAsync(id, session, viewer) is { } view)
        {
            http.Response.Headers.CacheControl = "no-store";
            var answer = await view.Grain.ReportAsViewerAsync(session, viewer, view.Watcher, [.. played.Select(p => new PlayedSpan(p[0], p[1]))]);
            return answer switch
            {
                { Outcome: ViewerReportOutcome.NotOpen } => TypedResults.NotFound(),
                { Outcome: ViewerReportOutcome.LengthUnknown } => LengthUnknown(),
                { Outcome: ViewerReportOutcome.Accepted, Progress: { } progress } => TypedResults.Ok(new ProgressDto(true, progress.Covered, progress.Share, progress.Position)),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Report refused", detail: answer.Problem),
            };
        }

        // Anything else (a malformed report, an unknown item, a viewer whose watching is not counted) is answered in
        // the same order as ever: whoever may not open the recording learns nothing about it.
        if (await media.OpenAsync(id, viewer, cancellationToken) is not { Kind: MediaKind.Recording } recording)
        {
            return TypedResults.NotFound();
        }

        if (played is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed report",
                detail: "Send a JSON body {\"played\": [[from, to], ...]} with each stretch played, in seconds, in the order played.");
        }

        return recording.LengthSeconds is null ? LengthUnknown() : TypedResults.Ok(new ProgressDto(false, 0, 0, 0));
    }

    private static ProblemHttpResult LengthUnknown() =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Progress not counted",
            detail: "This recording's length is not known, so watching it is not counted.");
}
