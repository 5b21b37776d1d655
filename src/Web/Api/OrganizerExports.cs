using System.Globalization;
using System.Text;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Media;
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
                Guid id, CatalogStore catalog, RegistrationReader registrations, AuditLog audit, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken) =>
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
                var rows = await registrations.ForSessionAsync(id, cancellationToken);
                var questions = AnswerColumns(await grains.GetGrain<Grains.Catalog.ISeriesGrain>(session.SeriesId).QuestionsAsync(cancellationToken), rows);
                var csv = new StringBuilder("name,email,agency,job_role,time_zone,accommodations,status,waitlist_position,registered_at_utc,recording_consent,accommodation_state,accommodation_note");
                foreach (var (_, label) in questions)
                {
                    csv.Append(',').Append(Csv.Cell(label));
                }

                csv.Append("\r\n");
                foreach (var r in rows)
                {
                    csv.AppendJoin(',', new[]
                    {
                        r.Name, r.Email, r.Agency, r.JobRole, r.TimeZone, r.Accommodations, r.Status.ToString().ToLowerInvariant(),
                        r.WaitlistPosition?.ToString(CultureInfo.InvariantCulture) ?? "", r.RegisteredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                        // yes or no; empty where the registrant was never asked (the session did not ask when they registered).
                        r.RecordingConsent switch { true => "yes", false => "no", null => "" },
                        // requested, arranged or cannot-arrange; empty where nothing is asked for.
                        Grains.Registrations.Accommodation.ToWire(r.AccommodationState) ?? "", r.AccommodationNote,
                    }.Concat(questions.Select(q => r.Answers.FirstOrDefault(a => a.QuestionId == q.Id)?.Display ?? "")).Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"registrants-{id}.csv");
            })
            .WithTags("Organizer").WithName("RegistrantsCsv").RequireAuthorization(Policies.Organizer);
        routes.MapGet("/organizer/sessions/{id:guid}/media/{mediaId:guid}/views.csv", async (
                Guid id, Guid mediaId, IGrainFactory grains, RecordingViewReports reports, AuditLog audit, HttpContext http, CancellationToken cancellationToken) =>
            {
                if ((await grains.GetGrain<Grains.Media.ISessionMediaGrain>(id).ItemsAsync()).FirstOrDefault(m => m.Id == mediaId) is not
                    { Kind: Grains.Media.MediaKind.Recording } recording)
                {
                    return Results.NotFound();
                }

                // Who watched what is personal data leaving the system: on the record, like the registrant export.
                await audit.WriteAsync(http.User.AccountId(), http.User.Identity?.Name, "recording-views.exported", "media", mediaId.ToString(),
                    http.Connection.RemoteIpAddress?.ToString(), "CSV", cancellationToken, recording.Title);
                var summary = await reports.SummaryAsync(recording, cancellationToken);
                var csv = new StringBuilder("name,email,played_seconds,played_share,last_watched_utc\r\n");
                foreach (var v in summary.Rows)
                {
                    csv.AppendJoin(',', new[]
                    {
                        v.Name, v.Email, v.Covered.ToString("0.0", CultureInfo.InvariantCulture), v.Share.ToString("0.000", CultureInfo.InvariantCulture),
                        v.LastWatched.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    }.Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"recording-views-{mediaId}.csv");
            })
            .WithTags("Organizer").WithName("RecordingViewsCsv").RequireAuthorization(Policies.Organizer);
        routes.MapGet("/organizer/sessions/{id:guid}/preparations.csv", async (
                Guid id, Silo.Sessions.SessionDirectory sessions, Grains.Sessions.IExchangePreparationStore preparations, AuditLog audit, HttpContext http,
                CancellationToken cancellationToken) =>
            {
                if (await sessions.ViewAsync(id, cancellationToken) is not { Kind: Grains.Catalog.SessionKind.LearningExchange } session)
                {
                    return Results.NotFound();
                }

                // What registrants wrote about their practice leaves the system: on the record, like the registrant export.
                await audit.WriteAsync(http.User.AccountId(), http.User.Identity?.Name, "preparations.exported", "session", id.ToString(),
                    http.Connection.RemoteIpAddress?.ToString(), "CSV", cancellationToken, session.Title);
                var csv = new StringBuilder("name,email,question_or_case,submitted_utc,updated_utc\r\n");
                foreach (var p in await preparations.ForSessionAsync(id, cancellationToken))
                {
                    csv.AppendJoin(',', new[]
                    {
                        p.Name, p.Email, p.Text, p.SubmittedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), p.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    }.Select(Csv.Cell)).Append("\r\n");
                }

                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"preparations-{id}.csv");
            })
            .WithTags("Organizer").WithName("PreparationsCsv").RequireAuthorization(Policies.Organizer);
        return routes;
    }

    // One column per question the series asks now, by its label, in its order; then one per question removed since that
    // someone answered, under the label it had when they did.
    private static List<(string Id, string Label)> AnswerColumns(IReadOnlyList<Grains.Catalog.RegistrationQuestion> questions, IReadOnlyList<RegistrationView> rows)
    {
        var columns = questions.Select(q => (q.Id, q.Label)).ToList();
        foreach (var answer in rows.SelectMany(r => r.Answers))
        {
            if (!columns.Exists(c => c.Id == answer.QuestionId))
            {
                columns.Add((answer.QuestionId, answer.Label));
            }
        }

        return columns;
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
