using System.Globalization;
using System.Text;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Web.Accounts;

namespace LearnHub.Web.Api;

/// <summary>Registrant lists as CSV for organizers (spreadsheet-safe: formula-looking cells are neutralised).</summary>
public static class OrganizerExports
{
    /// <summary>Maps the export.</summary>
    public static IEndpointRouteBuilder MapOrganizerExports(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/organizer/sessions/{id:guid}/registrants.csv", async (
                Guid id, CatalogStore catalog, RegistrationReader registrations, AuditLog audit, HttpContext http, CancellationToken cancellationToken) =>
            {
                // A mistyped id is not an export: an empty file would read as "nobody registered", and the audit log
                // would record personal data leaving that never did.
                if (await catalog.FindSessionForOrganizersAsync(id, cancellationToken) is not { } session)
                {
                    return Results.NotFound();
                }

                // Registrants' personal data leaves the system here: every export is on the record.
                await audit.WriteAsync(http.User.AccountId(), http.User.Identity?.Name, "registrants.exported", "session", id.ToString(),
                    http.Connection.RemoteIpAddress?.ToString(), "CSV", cancellationToken, session.Title);
                var csv = new StringBuilder("name,email,agency,job_role,time_zone,accommodations,status,waitlist_position,registered_at_utc,recording_consent\r\n");
                foreach (var r in await registrations.ForSessionAsync(id, cancellationToken))
                {
                    csv.AppendJoin(',', new[]
                    {
                        r.Name, r.Email, r.Agency, r.JobRole, r.TimeZone, r.Accommodations, r.Status.ToString().ToLowerInvariant(),
                        r.WaitlistPosition?.ToString(CultureInfo.InvariantCulture) ?? "", r.RegisteredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                        // yes or no; empty where the registrant was never asked (the session did not ask when they registered).
                        r.RecordingConsent switch { true => "yes", false => "no", null => "" },
                    }.Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"registrants-{id}.csv");
            })
            .WithTags("Organizer").WithName("RegistrantsCsv").RequireAuthorization(Policies.Organizer);
        return routes;
    }
}

/// <summary>CSV cells for exports opened in spreadsheets.</summary>
public static class Csv
{
    /// <summary>
    /// RFC 4180 quoting; a leading =, +, - or @ would run as a formula in a spreadsheet, so it is prefixed with '.
    /// </summary>
    public static string Cell(string? value)
    {
        value ??= "";
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
