using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LearnHub.Web.Api;

/// <summary>GET /api/series and GET /api/sessions/{id}: the public catalog for integrations.</summary>
public static class CatalogApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Catalog").AllowAnonymous();
        api.MapGet("/series", ListSeries).WithName("ListSeries").WithSummary("Every series with its sessions.");
        api.MapGet("/sessions/{id:guid}", GetSession).WithName("GetSession").WithSummary("One session.");
        return routes;
    }

    private static async Task<Ok<List<SeriesDto>>> ListSeries(CatalogStore catalog, LearnHubClock clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var series = await catalog.ListSeriesAsync(cancellationToken);
        return TypedResults.Ok(series.Select(s => new SeriesDto(s.Id, s.Slug, s.Title, s.Description,
            s.Sessions.Select(x => SessionDto.From(x, now)).ToList())).ToList());
    }

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> GetSession(
        Guid id, CatalogStore catalog, LearnHubClock clock, CancellationToken cancellationToken)
    {
        var session = await catalog.FindSessionAsync(id, cancellationToken);
        return session is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"There is no session {id}.")
            : TypedResults.Ok(SessionDto.From(session, clock.GetUtcNow()));
    }
}
