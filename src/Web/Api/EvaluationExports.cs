using System.Globalization;
using System.Text;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Evaluations;
using LearnHub.Web.Accounts;

namespace LearnHub.Web.Api;

/// <summary>A session's evaluation responses as CSV for organizers.</summary>
public static class EvaluationExports
{
    /// <summary>Maps the export.</summary>
    public static IEndpointRouteBuilder MapEvaluationExports(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/organizer/sessions/{id:guid}/evaluation.csv", async (
                Guid id, EvaluationReports reports, LearnHub.Silo.Catalog.CatalogStore catalog, AuditLog audit, HttpContext http, CancellationToken cancellationToken) =>
            {
                // An empty file would read as "nobody answered" for a session that is not there (a mistyped id).
                if (await catalog.FindSessionForOrganizersAsync(id, cancellationToken) is not { } session)
                {
                    return Results.NotFound();
                }

                // Named answers carry who gave them: every export is on the record, as with the registrant lists.
                await audit.WriteAsync(http.User.AccountId(), http.User.Identity?.Name, "evaluations.exported", "session", id.ToString(),
                    http.Connection.RemoteIpAddress?.ToString(), "CSV", cancellationToken, session.Title);
                var csv = new StringBuilder("response_id,submitted_on,anonymous,name,email,overall,content,presenters,relevance,recommend,most_useful,suggestions\r\n");
                foreach (var r in await reports.ExportAsync(id, cancellationToken))
                {
                    csv.AppendJoin(',', new[]
                    {
                        r.ResponseId.ToString(), r.SubmittedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Name is null ? "yes" : "no", r.Name, r.Email,
                        Number(r.Overall), Number(r.Content), Number(r.Presenters), Number(r.Relevance), r.Recommend, r.MostUseful, r.Suggestions,
                    }.Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"evaluation-{id}.csv");
            })
            .WithTags("Organizer").WithName("EvaluationResponsesCsv").RequireAuthorization(Policies.Organizer);
        return routes;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
