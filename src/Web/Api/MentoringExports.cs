using System.Globalization;
using System.Text;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;

namespace LearnHub.Web.Api;

/// <summary>
/// Mentoring follow-ups as CSV for coordinators: dates, states and modes, never the confidential notes. States and
/// modes carry the pages' labels ("In person", "Logged"): the file is read by people in a spreadsheet.
/// </summary>
public static class MentoringExports
{
    /// <summary>Maps the export.</summary>
    public static IEndpointRouteBuilder MapMentoringExports(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/coordination/follow-ups.csv", async (MentoringReports reports, AuditLog audit, HttpContext http, CancellationToken cancellationToken) =>
            {
                // Who mentors whom leaves the system here: every export is on the record.
                await audit.WriteAsync(http.User.AccountId(), http.User.Identity?.Name, "mentoring.exported", "follow-ups", null,
                    http.Connection.RemoteIpAddress?.ToString(), "CSV without notes", cancellationToken);
                var csv = new StringBuilder("mentorship_id,mentor_email,mentee_email,mentorship_status,assigned_on,follow_up,scheduled_on,due_on,state,reason,held_on,mode,duration_minutes\r\n");
                static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
                foreach (var r in await reports.ExportAsync(cancellationToken))
                {
                    csv.AppendJoin(',', new[]
                    {
                        r.MentorshipId.ToString(), r.MentorEmail, r.MenteeEmail, r.MentorshipStatus.Label(), Day(r.AssignedOn), r.Number.ToString(CultureInfo.InvariantCulture),
                        Day(r.ScheduledOn), Day(r.DueOn), r.State.Label(), r.Reason, Day(r.HeldOn), r.Mode?.Label(), r.DurationMinutes?.ToString(CultureInfo.InvariantCulture),
                    }.Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", "mentoring-follow-ups.csv");
            })
            .WithTags("Coordination").WithName("FollowUpsCsv").RequireAuthorization(Policies.Coordinator);
        return routes;
    }
}
