using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Grains.Content;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>Creates a series, or edits one: title, Markdown description (stored rendered and sanitized), tracks.</summary>
[Hosting.MultiLineFields("Description", "CertificateStatement")]
[Authorize(Policy = Policies.Organizer)]
public sealed class SeriesEditModel(CatalogStore catalog, IGrainFactory grains, LearnHubClock clock, RichTextPolicy richText, Silo.Certificates.CertificateStore certificates,
    Silo.Auditing.AuditLog audit, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>The series being edited; null when creating.</summary>
    public SeriesView? Existing { get; private set; }

    /// <summary>The URL slug (only chosen when creating).</summary>
    [BindProperty]
    public string? Slug { get; set; }

    /// <summary>The title.</summary>
    [BindProperty]
    public string? Title { get; set; }

    /// <summary>The description, in Markdown.</summary>
    [BindProperty]
    public string? Description { get; set; }

    /// <summary>The chosen tracks' wire names.</summary>
    [BindProperty]
    public List<string> Tracks { get; set; } = [];

    /// <summary>The share of a session (percent) a person must attend to count as attended.</summary>
    [BindProperty]
    public string? AttendanceThresholdPercent { get; set; } = SeriesTraining.DefaultThresholdPercent.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Certificates of the series wait for the session's evaluation.</summary>
    [BindProperty]
    public bool EvaluationRequired { get; set; }

    /// <summary>The organizer's statement printed on the series' certificates.</summary>
    [BindProperty]
    public string? CertificateStatement { get; set; }

    /// <summary>Registrants who miss the live session may earn self-study credit from its recording.</summary>
    [BindProperty]
    public bool SelfStudyEnabled { get; set; }

    /// <summary>The share of the recording (percent) self-study asks for, as typed.</summary>
    [BindProperty]
    public string? SelfStudyPercent { get; set; } = SelfStudyRule.DefaultPercent.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Days after the recording's publication within which self-study counts, as typed; empty for no limit.</summary>
    [BindProperty]
    public string? SelfStudyDays { get; set; }

    /// <summary>The CE hours of a self-study certificate, as typed; empty for the session's own.</summary>
    [BindProperty]
    public string? SelfStudyCeHours { get; set; }

    /// <summary>The reminder lead times as typed ("7 days, 1 day, 1 hour").</summary>
    [BindProperty]
    public string? ReminderLeadTimes { get; set; } = ReminderLeads.Format([TimeSpan.FromHours(24), TimeSpan.FromHours(1)]);

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Shows the form, empty or filled with the series.</summary>
    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } existing)
        {
            Existing = await catalog.FindSeriesForOrganizersAsync(existing, cancellationToken);
            if (Existing is null)
            {
                return NotFound();
            }

            (Slug, Title, Description, Tracks) = (Existing.Slug, Existing.Title, Existing.Description, Existing.Tracks.ToList());
            var settings = await certificates.SeriesSettingsAsync(existing, cancellationToken);
            (EvaluationRequired, CertificateStatement) = (settings?.EvaluationRequired ?? false, settings?.CertificateStatement);
            AttendanceThresholdPercent = (settings?.AttendanceThresholdPercent ?? SeriesTraining.DefaultThresholdPercent).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var selfStudy = settings?.SelfStudyOrDefault ?? new SelfStudyRule();
            SelfStudyEnabled = selfStudy.Enabled;
            SelfStudyPercent = selfStudy.Percent.ToString(System.Globalization.CultureInfo.InvariantCulture);
            SelfStudyDays = selfStudy.WithinDays?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            SelfStudyCeHours = selfStudy.CeHoursCenti is { } hours ? Grains.Certificates.CeHours.Format(hours) : null;
            ReminderLeadTimes = ReminderLeads.Format(await catalog.ReminderLeadsAsync(existing, cancellationToken));
        }

        return Page();
    }

    /// <summary>Validates everything before writing anything; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } existing && (Existing = await catalog.FindSeriesForOrganizersAsync(existing, cancellationToken)) is null)
        {
            return NotFound();
        }

        var slug = Existing?.Slug ?? (Slug ?? "").Trim();
        var threshold = int.TryParse(AttendanceThresholdPercent, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent) ? percent : 0;
        var (selfStudy, selfStudyProblems) = ReadSelfStudy();
        var training = new SeriesTraining(threshold, EvaluationRequired, CertificateStatement ?? "", selfStudy);
        var draft = new SeriesDraft(slug, (Title ?? "").Trim(), Description ?? "", Tracks, training);
        if (Existing is null && (slug.Length is 0 or > 80 || !slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
        {
            Errors.Add("slug", t["Enter a slug of 1–80 characters: lower-case letters, digits and hyphens."]);
        }

        if (draft.Title.Length is 0 or > 200)
        {
            Errors.Add("title", t["Enter a title of 1–200 characters."]);
        }

        if (!richText.Fits(draft.Description))
        {
            Errors.Add("description", t["The description is too long: the limit is {0} KB.", richText.MaxBytes / 1024]);
        }

        if (Tracks.Any(t => Grains.Catalog.Tracks.NameOf(t) is null))
        {
            Errors.Add("tracks", t["Choose tracks from the list."]);
        }

        foreach (var (field, problem) in selfStudyProblems.Concat(training.Problems().Where(p => !selfStudyProblems.ContainsKey(p.Key))))
        {
            Errors.Add(field, problem);
        }

        var (leads, leadsProblem) = ReminderLeads.Parse(ReminderLeadTimes);
        if (leadsProblem is not null)
        {
            Errors.Add("reminderLeadTimes", leadsProblem);
        }

        if (Errors.None)
        {
            var before = Existing is null ? null : await certificates.SeriesSettingsAsync(Existing.Id, cancellationToken);
            var (seriesId, result) = Existing is null
                ? await grains.TryCreateSeriesAsync(clock, draft, cancellationToken)
                : (Existing.Id, await grains.GetGrain<ISeriesGrain>(Existing.Id).UpdateAsync(draft, cancellationToken));
            switch (result.Outcome)
            {
                case SeriesOutcome.Saved:
                    var leadsBefore = Existing is null ? [] : await catalog.ReminderLeadsAsync(seriesId, cancellationToken);
                    if (!leadsBefore.SequenceEqual(leads!))
                    {
                        // Its sessions' reminders still to come follow, each through its session grain.
                        var leadsSaved = await grains.GetGrain<ISeriesGrain>(seriesId).SetReminderLeadsAsync(leads!, cancellationToken);
                        if (leadsSaved.Outcome != SeriesOutcome.Saved)
                        {
                            Errors.Add("reminderLeadTimes", string.Join(" ", leadsSaved.Problems));
                            break;
                        }

                        await audit.WriteAsync(User.AccountId(), User.Identity?.Name, "series.reminders", "series", seriesId.ToString(),
                            HttpContext.Connection.RemoteIpAddress?.ToString(), $"{ReminderLeads.Format(leadsBefore)} → {ReminderLeads.Format(leads!)}", cancellationToken,
                            title: draft.Title);
                    }

                    await AuditAsync(seriesId, draft, before, cancellationToken);
                    TempData["Notice"] = (Existing is null ? t["Created the series {0}.", draft.Title] : t["Saved the series {0}.", draft.Title]).Value;
                    return Redirect($"/organizer#series-{seriesId}");
                case SeriesOutcome.SlugTaken:
                    // The one problem only the database can know: a slug already in use.
                    Errors.Add("slug", string.Join(" ", result.Problems));
                    break;
                case SeriesOutcome.Invalid or SeriesOutcome.NotFound:
                    Errors.Add("title", string.Join(" ", result.Problems));
                    break;
                default:
                    throw new InvalidOperationException($"Unknown series outcome {result.Outcome}.");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    // The self-study fields as typed: what does not read as a number is a problem of its own field, never a silent zero.
    private (SelfStudyRule Rule, Dictionary<string, string> Problems) ReadSelfStudy()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var percent = int.TryParse((SelfStudyPercent ?? "").Trim(), System.Globalization.NumberStyles.None, invariant, out var p) ? p : -1;
        int? days = null;
        if (!string.IsNullOrWhiteSpace(SelfStudyDays))
        {
            days = int.TryParse(SelfStudyDays.Trim(), System.Globalization.NumberStyles.None, invariant, out var d) ? d : -1;
        }

        int? hours = null;
        if (!string.IsNullOrWhiteSpace(SelfStudyCeHours))
        {
            var (centi, problem) = Grains.Certificates.CeHours.Parse(SelfStudyCeHours);
            if (problem is not null)
            {
                problems["selfStudyCeHours"] = problem;
            }

            hours = centi;
        }

        return (new SelfStudyRule(SelfStudyEnabled, percent, days, hours), problems);
    }

    // Named by title; an edit lists the fields it changed (the page shows their values), so the log reads on its own.
    private Task AuditAsync(Guid seriesId, SeriesDraft draft, SeriesTraining? before, CancellationToken cancellationToken)
    {
        string action, detail;
        if (Existing is null)
        {
            (action, detail) = ("series.created", $"slug {draft.Slug}");
        }
        else
        {
            var training = draft.Training!;
            var changed = new (string Field, bool Differs)[]
            {
                ("title", Existing.Title != draft.Title),
                ("description", Existing.Description != draft.Description),
                ("tracks", !Existing.Tracks.Order().SequenceEqual((draft.Tracks ?? []).Order())),
                ("attendance threshold", before?.AttendanceThresholdPercent != training.AttendanceThresholdPercent),
                ("evaluation requirement", (before?.EvaluationRequired ?? false) != training.EvaluationRequired),
                ("certificate statement", (before?.CertificateStatement ?? "") != training.CertificateStatement),
                ("self-study credit", (before?.SelfStudyOrDefault ?? new SelfStudyRule()) != training.SelfStudyOrDefault),
            }.Where(c => c.Differs).Select(c => c.Field).ToList();
            (action, detail) = ("series.edited", changed.Count == 0 ? "nothing changed" : "changed: " + string.Join(", ", changed));
        }

        return audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, "series", seriesId.ToString(),
            HttpContext.Connection.RemoteIpAddress?.ToString(), detail, cancellationToken, draft.Title);
    }
}
