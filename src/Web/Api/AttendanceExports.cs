using System.Globalization;
using System.Text;
using LearnHub.Silo.Attendance;
using LearnHub.Silo.Auditing;
using LearnHub.Web.Accounts;

namespace LearnHub.Web.Api;

/// <summary>A session's attendance as CSV for organizers (spreadsheet-safe cells, like the registrant export).</summary>
public static class AttendanceExports
{
    /// <summary>Maps the export.</summary>
    public static IEndpointRouteBuilder MapAttendanceExports(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/organizer/sessions/{id:guid}/attendance.csv", async (
                Guid id, AttendanceStore attendance, AuditLog audit, HttpContext http, CancellationToken cancellationToken) =>
            {
                if (await attendance.SessionAsync(id, cancellationToken) is not { } session)
                {
                    return Results.NotFound();
                }

                // Who attended what is personal data leaving the system: every export is on the record.
                await audit.WriteAsync(http.User.AccountId(), http.User.Identity?.Name, "attendance.exported", "session", id.ToString(),
                    http.Connection.RemoteIpAddress?.ToString(), "CSV", cancellationToken, session.Title);
                var csv = new StringBuilder("name,email,agency,status,minutes,attended,source,last_changed_at_utc,last_changed_by,last_change_reason\r\n");
                foreach (var e in await attendance.ListAsync(id, cancellationToken))
                {
                    csv.AppendJoin(',', new[]
                    {
                        e.Name, e.Email, e.Agency, e.Status.ToString().ToLowerInvariant(), e.Minutes?.ToString(CultureInfo.InvariantCulture) ?? "",
                        e.Attended is null ? "" : e.Attended.Value ? "yes" : "no", e.Source ?? "",
                        e.LastChange?.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "", e.LastChange?.ByName ?? "", e.LastChange?.Reason ?? "",
                    }.Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"attendance-{id}.csv");
            })
            .WithTags("Organizer").WithName("AttendanceCsv").RequireAuthorization(Policies.Organizer);
        return routes;
    }
}
