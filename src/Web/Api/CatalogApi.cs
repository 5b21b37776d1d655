using System.Globalization;
using System.Text.Json;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LearnHub.Web.Api;

/// <summary>GET /api/series and GET /api/sessions/{id}: the public catalog for integrations, from the grains' memory.</summary>
public static class CatalogApi
{
    /// <summary>Series per page unless the caller asks for another size.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Catalog").AllowAnonymous();
        api.MapGet("/series", ListSeries).WithName("ListSeries").Produces<List<SeriesDto>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Series with their published sessions, a page at a time (?page=1&pageSize=20, at most 100), ordered by title.")
            .WithDescription("The Link header names the next and previous pages (RFC 8288); X-Total-Count is the number of series.");
        api.MapGet("/sessions/{id:guid}", GetSession).WithName("GetSession").WithSummary("One session.");
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ListSeries(
        HttpContext http, IGrainFactory grains, LearnHubClock clock, RenderedPages copies, IOptions<JsonOptions> json, int? page, int? pageSize)
    {
        if (page is < 1 || pageSize is < 1 or > PublicCatalog.MaxPageSize)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Page out of range",
                detail: $"page starts at 1; pageSize is from 1 to {PublicCatalog.MaxPageSize} (default {DefaultPageSize}).");
        }

        var now = clock.GetUtcNow();
        var catalog = await grains.Catalog().PageAsync(page ?? 1, pageSize ?? DefaultPageSize);
        var links = new List<string>();
        if (catalog.Page < catalog.PageCount)
        {
            links.Add($"<{PageUrl(http, catalog.Page + 1, catalog.PageSize)}>; rel=\"next\"");
        }

        if (catalog.Page > 1)
        {
            links.Add($"<{PageUrl(http, Math.Min(catalog.Page - 1, catalog.PageCount), catalog.PageSize)}>; rel=\"prev\"");
        }

        if (links.Count > 0)
        {
            http.Response.Headers.Link = string.Join(", ", links);
        }

        http.Response.Headers["X-Total-Count"] = catalog.TotalSeries.ToString(CultureInfo.InvariantCulture);
        // The same answer for every caller until a series on the page changes or one of its sessions opens, closes or
        // starts: serialized once (a grown programme's page is 20 series with all their sessions, each description's
        // Markdown rendered as text), not per request.
        var body = copies.Body($"GET /api/series|{catalog.Page}|{catalog.PageSize}|{catalog.TotalSeries}", now, catalog.Series,
            catalog.Series.SelectMany(s => s.Sessions).SelectMany(x => new[] { x.StartsAt, x.RegistrationOpensAt, x.RegistrationClosesAt }),
            () => JsonSerializer.SerializeToUtf8Bytes(
                catalog.Series.Select(s => SeriesDto.From(s, s.Sessions.Select(x => SessionDto.From(x, now)).ToList())).ToList(), json.Value.SerializerOptions));
        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    private static string PageUrl(HttpContext http, int page, int pageSize) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/series?page={page}&pageSize={pageSize}";

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> GetSession(
        Guid id, SessionDirectory sessions, IGrainFactory grains, LearnHubClock clock, CancellationToken cancellationToken)
    {
        var session = await sessions.PublishedViewAsync(id, cancellationToken);
        if (session is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"There is no session {id}.");
        }

        var questions = await grains.GetGrain<ISeriesGrain>(session.SeriesId).QuestionsAsync(cancellationToken);
        return TypedResults.Ok(SessionDto.From(session, clock.GetUtcNow()) with { Questions = questions.Select(QuestionDto.From).ToList() });
    }
}
