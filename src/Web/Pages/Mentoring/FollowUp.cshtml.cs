using System.Globalization;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Time;
using LearnHub.Silo.Mentoring;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using LearnHub.Web.Localization;

namespace LearnHub.Web.Pages.Mentoring;

/// <summary>
/// One pending follow-up, for its mentor only (anyone else gets "not found"): log it, move it to another date with a
/// reason, or skip it with a reason. Each form is checked on the server; on a problem nothing changes and the page
/// says what is wrong next to the field.
/// </summary>
[Hosting.MultiLineFields("notes", "nextSteps")]
[Authorize(Policy = Policies.Mentor)]
public sealed class FollowUpModel(MentoringStore mentoring, LearnHubClock clock, IStringLocalizer<StaffResource> t) : PageModel
{
    /// <summary>The follow-up and its people.</summary>
    public FollowUpItem? Item { get; private set; }

    /// <summary>Which form was posted with problems ("log", "reschedule", "skip"), if any.</summary>
    public string? FailedForm { get; private set; }

    /// <summary>Problems of the failed form, keyed by field.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    /// <summary>What the mentor typed, shown again after a problem.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; private set; } = new Dictionary<string, string?>();

    /// <summary>The topics the mentor ticked, shown again after a problem.</summary>
    public IReadOnlyList<string> Topics { get; private set; } = [];

    /// <summary>Today in the mentor's zone.</summary>
    public DateOnly Today => Item is null ? default : DateOnly.FromDateTime(ZonedTime.In(clock.GetUtcNow(), Item.MentorTimeZone).DateTime);

    /// <summary>
    /// Which month the meeting logged here counts for, said before it is saved: this follow-up's own month, and when
    /// it is logged before its date, that the next month's is planned at once.
    /// </summary>
    public string CountsForText
    {
        get
        {
            var f = Item!.FollowUp;
            // The month in words in the reader's language ("December 2026"), not the grain's English Month.
            var month = f.ScheduledOn.ToString("Y", CultureInfo.CurrentCulture);
            if (Today >= f.DueOn)
            {
                return t["Logged here, the meeting counts as the {0} follow-up.", month];
            }

            return t["This follow-up is not due until {0}. Logged now, the meeting counts as the {1} follow-up, and the next one is planned for {2}.",
                DayDates.MonthDay(f.DueOn), month, DayDates.Long(Item.NextScheduledOn)];
        }
    }

    /// <summary>The error of a field of a form, if that form failed.</summary>
    public string? ErrorFor(string form, string field) => FailedForm == form ? Errors.GetValueOrDefault(field) : null;

    /// <summary>Shows the follow-up.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, int number, CancellationToken cancellationToken) =>
        await LoadAsync(id, number, cancellationToken) ? Page() : NotFound();

    /// <summary>Logs the follow-up.</summary>
    public async Task<IActionResult> OnPostLogAsync(Guid id, int number, string? heldOn, string? mode, string? durationMinutes, List<string>? topics,
        string? notes, string? nextSteps, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, number, cancellationToken))
        {
            return NotFound();
        }

        Values = new Dictionary<string, string?> { ["heldOn"] = heldOn, ["mode"] = mode, ["durationMinutes"] = durationMinutes, ["notes"] = notes, ["nextSteps"] = nextSteps };
        Topics = topics ?? [];
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var date = ParseDate(heldOn, "heldOn", t["Enter the date it took place."], problems);
        if (!Enum.TryParse<FollowUpMode>(mode, out var how) || !Enum.IsDefined(how))
        {
            problems["mode"] = t["Choose how it took place: phone, video call or in person."];
        }

        if (!int.TryParse(durationMinutes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minutes))
        {
            problems["durationMinutes"] = t["Enter how long it took, in minutes (1 to 480)."];
        }

        if (problems.Count == 0)
        {
            foreach (var (field, message) in await mentoring.LogAsync(id, User.AccountId() ?? Guid.Empty,
                         new FollowUpLog(date, how, minutes, Topics, notes ?? "", nextSteps ?? ""), number, cancellationToken))
            {
                problems[field] = message;
            }
        }

        return problems.Count == 0 ? Done(t["Logged the follow-up with {0}.", Item!.MenteeName]) : Refuse("log", problems);
    }

    /// <summary>Moves the follow-up to another date, with a reason.</summary>
    public async Task<IActionResult> OnPostRescheduleAsync(Guid id, int number, string? dueOn, string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, number, cancellationToken))
        {
            return NotFound();
        }

        Values = new Dictionary<string, string?> { ["dueOn"] = dueOn, ["rescheduleReason"] = reason };
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var date = ParseDate(dueOn, "dueOn", t["Enter the new date."], problems);
        if (problems.Count == 0)
        {
            foreach (var (field, message) in await mentoring.RescheduleAsync(id, User.AccountId() ?? Guid.Empty, number, date, reason, cancellationToken))
            {
                problems[field] = message;
            }
        }

        return problems.Count == 0
            ? Done(t["Moved the follow-up with {0} to {1}.", Item!.MenteeName, DayDates.Long(date)])
            : Refuse("reschedule", problems);
    }

    /// <summary>Skips the follow-up, with a reason.</summary>
    public async Task<IActionResult> OnPostSkipAsync(Guid id, int number, string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, number, cancellationToken))
        {
            return NotFound();
        }

        Values = new Dictionary<string, string?> { ["skipReason"] = reason };
        var problems = await mentoring.SkipAsync(id, User.AccountId() ?? Guid.Empty, number, reason, cancellationToken);
        return problems.Count == 0 ? Done(t["Skipped the follow-up with {0}.", Item!.MenteeName]) : Refuse("skip", problems);
    }

    private async Task<bool> LoadAsync(Guid id, int number, CancellationToken cancellationToken)
    {
        Item = await mentoring.PendingAsync(id, number, cancellationToken);
        return Item is not null && Item.MentorId == User.AccountId();
    }

    private DateOnly ParseDate(string? value, string field, string missing, Dictionary<string, string> problems)
    {
        if (DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        problems[field] = string.IsNullOrWhiteSpace(value) ? missing : t["Enter the date as year-month-day, e.g. 2027-03-01."];
        return default;
    }

    private RedirectToPageResult Done(string notice)
    {
        TempData["Notice"] = notice;
        return RedirectToPage("/Mentoring/Index");
    }

    private PageResult Refuse(string form, IReadOnlyDictionary<string, string> problems)
    {
        FailedForm = form;
        Errors = problems;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
