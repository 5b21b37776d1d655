using LearnHub.Grains.Attendance;
using LearnHub.Grains.Time;
using LearnHub.Silo.Attendance;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A session's attendance for its organizers: import the meeting platform's participant report (a small CSV, posted as
/// an ordinary form and capped), see what it found — minutes per person and every row that was not counted — and check
/// people in or out by hand, one form per person, so it works without JavaScript.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class AttendanceModel(AttendanceStore attendance, LearnHubClock clock, IStringLocalizer<OrganizerResource> t) : PageModel
{
    // The report's own cap plus room for the other fields of the form.
    private const long MaxRequestBytes = ParticipantReport.MaxBytes + 64 * 1024;

    /// <summary>The session.</summary>
    public AttendanceSession Session { get; private set; } = null!;

    /// <summary>Its confirmed registrants (and anyone else with attendance), with their attendance.</summary>
    public IReadOnlyList<AttendanceEntry> Entries { get; private set; } = [];

    /// <summary>The latest import and what it found, if any.</summary>
    public AttendanceImportView? LatestImport { get; private set; }

    /// <summary>The uploaded participant report.</summary>
    [BindProperty]
    public IFormFile? Report { get; set; }

    /// <summary>The zone the report's times are in (the session's by default).</summary>
    [BindProperty]
    public string? TimeZone { get; set; }

    /// <summary>What is wrong with a refused report, line by line.</summary>
    public IReadOnlyList<ReportProblem> Problems { get; private set; } = [];

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>The check-in row whose form was refused, with the reason typed.</summary>
    public (Guid RegistrationId, string Reason)? FailedCheckIn { get; private set; }

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Shows the page.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        TimeZone = Session.TimeZone;
        return Page();
    }

    /// <summary>Imports a participant report; a refused one is shown with its problems and changes nothing.</summary>
    public async Task<IActionResult> OnPostImportAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        TimeZone = string.IsNullOrWhiteSpace(TimeZone) ? Session.TimeZone : TimeZone.Trim();
        if (!Zones.TryFind(TimeZone, out _))
        {
            Errors.Add("zone", t["Choose the time zone the report's times are in."]);
        }

        if (Report is null || Report.Length == 0)
        {
            Errors.Add("report", t["Choose the participant report (a CSV file) to import."]);
        }
        else if (Report.Length > ParticipantReport.MaxBytes)
        {
            Errors.Add("report", $"The file is {Report.Length:N0} bytes; a participant report may be at most {ParticipantReport.MaxBytes:N0} bytes.");
        }

        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        byte[] content;
        using (var buffer = new MemoryStream())
        {
            await Report!.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }

        var result = await attendance.ImportAsync(id, new AttendanceUpload(Report.FileName, content, TimeZone!),
            new AttendanceActor(User.AccountId(), User.Identity?.Name, HttpContext.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        if (result is null)
        {
            return NotFound();
        }

        if (result.Refusal is not null)
        {
            Errors.Add("report", result.Refusal);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        if (!result.Imported)
        {
            Problems = result.Problems;
            Errors.Add("report", t["“{0}” was not imported and nothing changed: fix the problems listed below and upload it again.", Report.FileName]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var report = result.Report!;
        Notice = t["Imported “{0}”: {1} row(s), {2} registrant(s) matched, {3} changed.", Report.FileName, report.RowsRead, report.People.Count, result.Changed]
            + (report.KeptByHand.Count > 0 ? " " + t["{0} kept as recorded by hand; compare them below.", report.KeptByHand.Count] : "")
            + (report.Unmatched.Count + report.Ambiguous.Count + report.Waitlisted.Count > 0 ? " " + t["Some rows were not counted; see below."] : "")
            + (result.SameFileImportedBefore ? " " + t["This same file had been imported before."] : "");
        return Redirect($"/organizer/sessions/{id}/attendance#import-result");
    }

    /// <summary>Checks a confirmed registrant in, or marks them absent; changing recorded attendance needs a reason.</summary>
    public async Task<IActionResult> OnPostCheckInAsync(Guid id, Guid registrationId, bool present, string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if ((reason ?? "").Trim().Length > 500)
        {
            return Refuse(registrationId, reason!, t["Keep the reason to 500 characters."]);
        }

        var entry = Entries.FirstOrDefault(e => e.RegistrationId == registrationId);
        var outcome = await attendance.CheckInAsync(id, registrationId, present, reason,
            new AttendanceActor(User.AccountId(), User.Identity?.Name, HttpContext.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        switch (outcome)
        {
            case CheckInOutcome.NotARegistrant:
                return NotFound();
            case CheckInOutcome.SessionCancelled:
                return Refuse(registrationId, reason ?? "", t["“{0}” was cancelled, so nobody can be checked in or out; nothing changed.", Session.Title],
                    StatusCodes.Status409Conflict);
            case CheckInOutcome.NotStarted:
                return Refuse(registrationId, reason ?? "",
                    FactTiming.AttendanceRefusal(Session.Title, Session.StartsAt, Session.TimeZone, clock.GetUtcNow()) ?? t["“{0}” has not started yet; nothing changed.", Session.Title],
                    StatusCodes.Status409Conflict);
            case CheckInOutcome.ReasonRequired:
                return Refuse(registrationId, reason ?? "",
                    t["{0} already has attendance recorded; give a reason for changing it (it is kept with the change).", entry?.Name ?? ""]);
            case CheckInOutcome.Unchanged:
                Notice = present ? t["Nothing changed: {0} was already marked present.", entry?.Name ?? ""] : t["Nothing changed: {0} was already marked absent.", entry?.Name ?? ""];
                break;
            default:
                Notice = present ? t["{0} is checked in.", entry?.Name ?? ""] : t["{0} is marked absent.", entry?.Name ?? ""];
                break;
        }

        return Redirect($"/organizer/sessions/{id}/attendance#checkin-{registrationId}");
    }

    private PageResult Refuse(Guid registrationId, string reason, string message, int status = StatusCodes.Status400BadRequest)
    {
        Errors.Add($"reason-{registrationId}", message);
        FailedCheckIn = (registrationId, reason);
        TimeZone = Session.TimeZone;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await attendance.SessionAsync(id, cancellationToken) is not { } session)
        {
            return false;
        }

        Session = session;
        Entries = await attendance.ListAsync(id, cancellationToken);
        LatestImport = await attendance.LatestImportAsync(id, cancellationToken);
        return true;
    }
}
