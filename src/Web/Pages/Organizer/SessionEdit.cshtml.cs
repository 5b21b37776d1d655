using System.Globalization;
using LearnHub.Grains;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Content;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Accounts;
using LearnHub.Web.Registrations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Creates a session in a series (as an unpublished draft), or edits one's details, kind and seats. Times of an existing
/// session change only on its manage page, through the session grain, so registrants are told; seats change through the
/// grain too, so new seats go to the waitlist first and the capacity invariant holds under concurrent registrations.
/// </summary>
[Hosting.MultiLineFields("Form.Description", "Form.VenueAddress", "Form.Presenters[*].Bio")]
[Authorize(Policy = Policies.Organizer)]
public sealed class SessionEditModel(CatalogStore catalog, SessionDirectory sessions, RichTextPolicy richText, LearnHubClock clock,
    Silo.Certificates.CertificateStore certificates, IGrainFactory grains, AuditLog audit, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>How many presenter rows the form offers (a form without JavaScript cannot add rows).</summary>
    public const int PresenterSlots = 3;

    /// <summary>The series the session belongs to.</summary>
    public SeriesView Series { get; private set; } = null!;

    /// <summary>The session being edited; null when creating.</summary>
    public SessionView? Existing { get; private set; }

    /// <summary>The fields.</summary>
    [BindProperty]
    public SessionForm Form { get; set; } = new();

    /// <summary>The session's CE hours as typed (hours with up to two decimals).</summary>
    [BindProperty]
    public string? CeHours { get; set; }

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>The render instant (for zone labels).</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>What the new-session form was filled from ("a copy of …"), shown above it; null for an empty form or an edit.</summary>
    public string? PrefilledFrom { get; private set; }

    /// <summary>
    /// Shows the form: empty for a new session of <paramref name="series"/>, or filled with session <paramref name="id"/>.
    /// A new session may start from a copy of another of the series (<paramref name="duplicate"/>), or as the Learning
    /// Exchange of one of its national webinars (<paramref name="exchangeFor"/>); either way nothing is stored until the
    /// organizer saves, and then as a draft without registrants.
    /// </summary>
    public async Task<IActionResult> OnGetAsync(Guid? id, Guid? series, Guid? duplicate, Guid? exchangeFor, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, series, cancellationToken))
        {
            return NotFound();
        }

        Form = Existing is { } s ? SessionForm.From(s) : new SessionForm();
        var ceHoursOf = Existing?.Id;
        if (Existing is null && duplicate is { } copyOf)
        {
            // Only a session of this series: the form posts to this series, whatever the link said.
            if (Series.Sessions.FirstOrDefault(x => x.Id == copyOf) is not { } original)
            {
                return NotFound();
            }

            Form = SessionForm.Duplicate(original);
            ceHoursOf = original.Id;
            PrefilledFrom = t["A copy of “{0}”, a week later at the same local time: check the title and times before saving. Registrants are not copied, and it is saved as a draft.", original.Title];
        }
        else if (Existing is null && exchangeFor is { } webinarId)
        {
            if (WebinarChoices.FirstOrDefault(x => x.Id == webinarId && x.LearningExchangeId is null) is not { } webinar)
            {
                return NotFound();
            }

            Form = SessionForm.ExchangeFor(webinar);
            PrefilledFrom = t["The Learning Exchange of “{0}”, which it follows: a week later at the same local time. Set the seats and check the times before saving; it is saved as a draft.", webinar.Title];
        }

        CeHours = ceHoursOf is { } ceId && await certificates.SessionCeHoursAsync(ceId, cancellationToken) is { } centi
            ? Grains.Certificates.CeHours.Format(centi) : null;
        AddEmptyPresenterRows();
        return Page();
    }

    /// <summary>Validates everything before writing anything; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostAsync(Guid? id, Guid? series, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, series, cancellationToken))
        {
            return NotFound();
        }

        var presenters = Form.Presenters.Where(p => !string.IsNullOrWhiteSpace(p.Name) || !string.IsNullOrWhiteSpace(p.Bio) || !string.IsNullOrWhiteSpace(p.Affiliation))
            .Select(p => new Presenter((p.Name ?? "").Trim(), (p.Affiliation ?? "").Trim(), p.Bio ?? "")).ToList();
        Validate();
        var (ceHoursCenti, ceHoursProblem) = Grains.Certificates.CeHours.Parse(CeHours);
        if (ceHoursProblem is not null)
        {
            Errors.Add("ceHours", ceHoursProblem);
        }

        if (Errors.None)
        {
            var joinUrl = Blank(Form.JoinUrl);
            if (Existing is { } s)
            {
                return await SaveExistingAsync(s, joinUrl, presenters, ceHoursCenti!.Value, cancellationToken);
            }

            var zone = Zones.Get(Form.TimeZone!);
            var (created, result) = await grains.TryCreateSessionAsync(clock, new SessionDraft(Series.Id, Form.ParsedKind!.Value, Form.Title!.Trim(), Form.Description ?? "",
                Instant(Form.Starts, zone)!.Value, Instant(Form.Ends, zone)!.Value, Form.TimeZone!, Form.Capacity!.Value, presenters,
                Blank(Form.Venue), Blank(Form.City), Form.ParsedKind == SessionKind.LearningExchange ? Form.WebinarId : null, joinUrl, Published: false)
            {
                CeHoursCenti = ceHoursCenti!.Value,
                VenueAddress = Blank(Form.VenueAddress),
                Recorded = Form.Recorded,
                RecordingConsentRequired = Form.RecordingConsentRequired,
                Window = _window,
            }, cancellationToken);
            if (result.Outcome == SessionCreateOutcome.Created)
            {
                await AuditAsync(created, Form.Title!.Trim(), "session.created",
                    $"{Form.ParsedKind!.Value.DisplayName()} in {Series.Title}" + (Form.ParsedKind == SessionKind.LearningExchange ? $", following {WebinarTitle(Form.WebinarId)}" : ""), cancellationToken);
                TempData["Notice"] = t["Created the session as a draft: publish it when it is ready."].Value;
                return Redirect($"/organizer/sessions/{created}");
            }

            // Rules the grains check against the other sessions (the webinar a learning exchange follows, and when it
            // ends): shown, nothing written.
            Errors.Add(Form.ParsedKind == SessionKind.LearningExchange ? "webinarId" : "title", string.Join(" ", result.Problems));
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(Form.Title) || Form.Title.Trim().Length > 300)
        {
            Errors.Add("title", t["Enter a title of 1–300 characters."]);
        }

        if (!richText.Fits(Form.Description ?? ""))
        {
            Errors.Add("description", t["The description is too long: the limit is {0} KB.", richText.MaxBytes / 1024]);
        }

        var kind = Form.ParsedKind;
        if (kind is null)
        {
            Errors.Add("kind", t["Choose the kind of session."]);
        }

        if (Form.Capacity is not (>= 0 and <= SessionRoster.MaxCapacity))
        {
            Errors.Add("capacity", t["Enter the number of seats, from 0 to 100,000."]);
        }
        else if (Existing is { } current && Form.Capacity < current.ConfirmedCount)
        {
            Errors.Add("capacity", FewerSeatsThanConfirmed(current.ConfirmedCount));
        }

        if (kind == SessionKind.LearningExchange && !WebinarChoices.Any(s => s.Id == Form.WebinarId))
        {
            Errors.Add("webinarId", t["Choose the webinar this learning exchange follows (one without a learning exchange yet)."]);
        }

        if (Existing is { } linked && linked.LearningExchangeId is not null && kind is not null && kind != SessionKind.NationalWebinar)
        {
            Errors.Add("kind", t["A learning exchange follows this webinar, so it stays a national webinar; change or remove the exchange first."]);
        }

        if (Existing is not null && Existing.Cancelled && Form.Capacity != Existing.Capacity)
        {
            Errors.Add("capacity", t["A cancelled session's seats cannot change."]);
        }

        if (Existing is null)
        {
            var zoneKnown = Zones.TryFind(Form.TimeZone, out var zone);
            if (!zoneKnown)
            {
                Errors.Add("timeZone", t["Choose the session's time zone."]);
            }

            var starts = zoneKnown ? Instant(Form.Starts, zone) : null;
            var ends = zoneKnown ? Instant(Form.Ends, zone) : null;
            if (zoneKnown && starts is null)
            {
                Errors.Add("starts", t["Enter when the session starts, as a date and time."]);
            }

            if (zoneKnown && ends is null)
            {
                Errors.Add("ends", t["Enter when the session ends, as a date and time."]);
            }
            else if (starts is not null && ends <= starts)
            {
                Errors.Add("ends", t["The session must end after it starts."]);
            }
        }

        ValidateWindow();

        if (Blank(Form.JoinUrl) is { } join && !(Uri.TryCreate(join, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            Errors.Add("joinUrl", t["Enter the join link as an https:// address, or leave it empty."]);
        }

        if (kind == SessionKind.InPersonTraining)
        {
            if (Blank(Form.Venue) is null)
            {
                Errors.Add("venue", t["Enter the venue of an in-person training."]);
            }

            if (Blank(Form.City) is null)
            {
                Errors.Add("city", t["Enter the city of an in-person training."]);
            }
        }

        if (!VenueAddresses.Fits(Form.VenueAddress))
        {
            Errors.Add("venueAddress", VenueAddresses.Problem);
        }

        if (!Recording.Fits(Form.Recorded, Form.RecordingConsentRequired))
        {
            Errors.Add("recordingConsentRequired", Recording.ConsentWithoutRecordingProblem);
        }

        for (var i = 0; i < Form.Presenters.Count; i++)
        {
            var p = Form.Presenters[i];
            var used = !string.IsNullOrWhiteSpace(p.Name) || !string.IsNullOrWhiteSpace(p.Bio) || !string.IsNullOrWhiteSpace(p.Affiliation);
            if (used && (string.IsNullOrWhiteSpace(p.Name) || p.Name.Trim().Length > 200))
            {
                Errors.Add($"presenter{i}-name", t["Enter presenter {0}'s name (at most 200 characters), or clear their row.", i + 1]);
            }

            if (!richText.Fits(p.Bio ?? ""))
            {
                Errors.Add($"presenter{i}-bio", t["Presenter {0}'s bio is too long: the limit is {1} KB.", i + 1, richText.MaxBytes / 1024]);
            }
        }
    }

    /// <summary>The registration window as typed, in the session's zone (set by <see cref="ValidateWindow"/>).</summary>
    private RegistrationWindow _window = RegistrationWindow.Always;

    private void ValidateWindow()
    {
        var zoneId = Existing?.TimeZone ?? Form.TimeZone;
        if (!Zones.TryFind(zoneId, out var zone))
        {
            return;
        }

        DateTimeOffset? Read(string? typed, string field, string what)
        {
            if (string.IsNullOrWhiteSpace(typed))
            {
                return null;
            }

            var instant = Instant(typed, zone);
            if (instant is null)
            {
                Errors.Add(field, what == "opens" ? t["Enter when registration opens as a date and time, or leave it empty."] : t["Enter when registration closes as a date and time, or leave it empty."]);
            }

            return instant;
        }

        _window = new RegistrationWindow(Read(Form.RegistrationOpens, RegistrationWindow.OpensField, "opens"),
            Read(Form.RegistrationCloses, RegistrationWindow.ClosesField, "closes"));
        var ends = Existing?.EndsAt ?? Instant(Form.Ends, zone);
        if (ends is { } end)
        {
            foreach (var (field, problem) in _window.Problems(end))
            {
                Errors.Add(field, problem);
            }
        }
    }

    /// <summary>The webinars a learning exchange may follow: national webinars of the series without another exchange.</summary>
    public IEnumerable<SessionView> WebinarChoices => Series.Sessions.Where(s =>
        s.Kind == SessionKind.NationalWebinar && s.Id != Existing?.Id && (s.LearningExchangeId is null || s.LearningExchangeId == Existing?.Id));

    private string FewerSeatsThanConfirmed(int confirmed) =>
        t["{0} people already hold a confirmed seat, so the session needs at least {0} seats. Nobody's seat is taken away: cancel registrations first if fewer seats are needed.", confirmed];

    // Seats first, through the grain: it is the one step whose answer can change under concurrency (registrations
    // arriving meanwhile), and its refusal must leave everything else unchanged too.
    private async Task<IActionResult> SaveExistingAsync(SessionView s, string? joinUrl, List<Presenter> presenters, int ceHoursCenti, CancellationToken cancellationToken)
    {
        var notices = new List<string> { t["Saved the session."] };
        string? seatsChanged = null;
        if (Form.Capacity!.Value != s.Capacity)
        {
            var change = await sessions.RunAsync(s.Id, g => g.ChangeCapacityAsync(Form.Capacity.Value, cancellationToken),
                new CapacityChangeResult(CapacityChangeResultOutcome.SessionNotFound, 0, 0, []), cancellationToken);
            if (change.Outcome == CapacityChangeResultOutcome.BelowConfirmed)
            {
                Errors.Add("capacity", FewerSeatsThanConfirmed(change.ConfirmedCount));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            if (change.Outcome == CapacityChangeResultOutcome.Changed)
            {
                await AuditAsync(s.Id, s.Title, "session.capacity", $"{s.Capacity} → {change.Capacity}; promoted {change.Promoted.Count}", cancellationToken);
                seatsChanged = t["Seats: {0}.", change.Capacity] + (change.Promoted.Count > 0 ? " " + t["{0} waiting registrant(s) now hold a seat and are being emailed.", change.Promoted.Count] : "");
                notices.Add(seatsChanged);
            }
        }

        var kind = Form.ParsedKind!.Value;
        var updated = new SessionDetails(Form.Title!.Trim(), Form.Description ?? "", joinUrl, Blank(Form.Venue), Blank(Form.City), presenters)
        {
            Kind = kind,
            WebinarId = kind == SessionKind.LearningExchange ? Form.WebinarId : null,
            CeHoursCenti = ceHoursCenti,
            VenueAddress = Blank(Form.VenueAddress),
            Recorded = Form.Recorded,
            RecordingConsentRequired = Form.RecordingConsentRequired,
            Window = _window,
        };
        var details = await sessions.RunAsync(s.Id, g => g.UpdateDetailsAsync(updated, cancellationToken), new DetailsResult(DetailsOutcome.SessionNotFound, ["The session no longer exists."], 0), cancellationToken);
        if (details.Outcome != DetailsOutcome.Changed)
        {
            // Another edit changed the rules under this one (say, the webinar got its exchange meanwhile). The seats
            // went through the grain already and stand: say so, rather than suggest nothing was written.
            var problem = string.Join(" ", details.Problems);
            Errors.Add("title", seatsChanged is null ? problem : $"{problem} {t["The seat change was saved ({0}); the other details were not.", seatsChanged]}");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var told = details.JoinLinkNotified;
        var changes = SessionEditSummary.Changes(s, updated);
        if (changes.Count > 0)
        {
            await AuditAsync(s.Id, updated.Title, "session.edited", "changed: " + string.Join(", ", changes), cancellationToken);
        }

        if (_window != s.Window)
        {
            await AuditAsync(s.Id, updated.Title, "session.registration-window", WindowText.Of(s with { RegistrationOpensAt = _window.OpensAt, RegistrationClosesAt = _window.ClosesAt }, s.TimeZone),
                cancellationToken);
        }

        if (kind != s.Kind)
        {
            await AuditAsync(s.Id, updated.Title, "session.kind", $"{s.Kind.DisplayName()} → {kind.DisplayName()}", cancellationToken);
        }

        // An exchange re-linked to another webinar changes who it is for: named by both webinars' titles.
        if (kind == SessionKind.LearningExchange && updated.WebinarId != s.WebinarId)
        {
            await AuditAsync(s.Id, updated.Title, "session.relinked", $"{WebinarTitle(s.WebinarId)} → {WebinarTitle(updated.WebinarId)}", cancellationToken);
        }

        if (!string.Equals(joinUrl, s.JoinUrl, StringComparison.Ordinal) && joinUrl is not null)
        {
            notices.Add(t["The new join link is being emailed to {0} registrant(s) holding a seat.", told]);
        }

        TempData["Notice"] = string.Join(" ", notices);
        return Redirect($"/organizer/sessions/{s.Id}");
    }

    private Task AuditAsync(Guid sessionId, string title, string action, string detail, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, "session", sessionId.ToString(),
            HttpContext.Connection.RemoteIpAddress?.ToString(), detail, cancellationToken, title);

    private string WebinarTitle(Guid? id) =>
        id is null ? "no webinar" : Series.Sessions.FirstOrDefault(w => w.Id == id)?.Title ?? "a webinar no longer in the series";

    private async Task<bool> LoadAsync(Guid? id, Guid? series, CancellationToken cancellationToken)
    {
        if (id is { } existing)
        {
            Existing = await catalog.FindSessionForOrganizersAsync(existing, cancellationToken);
            series = Existing?.SeriesId;
        }

        if (series is not { } seriesId || await catalog.FindSeriesForOrganizersAsync(seriesId, cancellationToken) is not { } found)
        {
            return false;
        }

        Series = found;
        AddEmptyPresenterRows();
        return true;
    }

    private void AddEmptyPresenterRows()
    {
        while (Form.Presenters.Count < PresenterSlots)
        {
            Form.Presenters.Add(new PresenterForm());
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? Instant(string? local, TimeZoneInfo zone) =>
        DateTime.TryParseExact(local, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? ZonedTime.AtLocal(DateOnly.FromDateTime(parsed), TimeOnly.FromDateTime(parsed), zone)
            : null;
}

/// <summary>The session form's fields, as typed.</summary>
public sealed class SessionForm
{
    /// <summary>The kind's wire name.</summary>
    public string? Kind { get; set; }

    /// <summary>The kind, when it names one.</summary>
    public SessionKind? ParsedKind => Kind switch
    {
        "national-webinar" => SessionKind.NationalWebinar,
        "learning-exchange" => SessionKind.LearningExchange,
        "in-person-training" => SessionKind.InPersonTraining,
        _ => null,
    };

    /// <summary>The title.</summary>
    public string? Title { get; set; }

    /// <summary>The description, in Markdown.</summary>
    public string? Description { get; set; }

    /// <summary>The local start, as a datetime-local value.</summary>
    public string? Starts { get; set; }

    /// <summary>The local end, as a datetime-local value.</summary>
    public string? Ends { get; set; }

    /// <summary>The session's IANA zone.</summary>
    public string? TimeZone { get; set; } = "America/New_York";

    /// <summary>Seats.</summary>
    public int? Capacity { get; set; }

    /// <summary>The join link.</summary>
    public string? JoinUrl { get; set; }

    /// <summary>The venue of an in-person training.</summary>
    public string? Venue { get; set; }

    /// <summary>The venue's street address (in-person trainings).</summary>
    public string? VenueAddress { get; set; }

    /// <summary>The city of an in-person training.</summary>
    public string? City { get; set; }

    /// <summary>The webinar a learning exchange follows.</summary>
    public Guid? WebinarId { get; set; }

    /// <summary>When registration opens, as a datetime-local value in the session's zone; empty: once published.</summary>
    public string? RegistrationOpens { get; set; }

    /// <summary>When registration closes, as a datetime-local value in the session's zone; empty: at the start.</summary>
    public string? RegistrationCloses { get; set; }

    /// <summary>The session is recorded (an unticked box sends nothing: false).</summary>
    public bool Recorded { get; set; }

    /// <summary>Registrants are asked for consent to appear in the recording.</summary>
    public bool RecordingConsentRequired { get; set; }

    /// <summary>The presenter rows.</summary>
    public List<PresenterForm> Presenters { get; set; } = [];

    /// <summary>
    /// A new session's form filled from <paramref name="s"/>: its title, kind, details, presenters, seats, zone and
    /// recording flags, a week later at the same local time. A learning exchange's copy follows no webinar yet (its
    /// webinar has its exchange already): the organizer chooses.
    /// </summary>
    public static SessionForm Duplicate(SessionView s)
    {
        var form = From(s);
        form.Starts = SessionFormCopies.WeekLater(s.StartsAt, s.TimeZone);
        form.Ends = SessionFormCopies.WeekLater(s.EndsAt, s.TimeZone);
        form.WebinarId = null;
        return form;
    }

    /// <summary>
    /// The form of a new Learning Exchange that follows webinar <paramref name="webinar"/>: its series (the page's), its
    /// zone, presenters and recording flags; an hour long, a week after the webinar at the same local time; seats left
    /// to the organizer.
    /// </summary>
    public static SessionForm ExchangeFor(SessionView webinar)
    {
        ArgumentNullException.ThrowIfNull(webinar);
        return new SessionForm
        {
            Kind = SessionKind.LearningExchange.ToWire(),
            Title = $"Learning Exchange: {webinar.Title}",
            Starts = SessionFormCopies.WeekLater(webinar.StartsAt, webinar.TimeZone),
            Ends = SessionFormCopies.WeekLater(webinar.StartsAt.AddHours(1), webinar.TimeZone),
            TimeZone = webinar.TimeZone,
            JoinUrl = webinar.JoinUrl,
            WebinarId = webinar.Id,
            Recorded = webinar.Recorded,
            RecordingConsentRequired = webinar.RecordingConsentRequired,
            Presenters = webinar.Presenters.Select(p => new PresenterForm { Name = p.Name, Affiliation = p.Affiliation, Bio = p.Bio }).ToList(),
        };
    }

    /// <summary>The form filled with a stored session.</summary>
    public static SessionForm From(SessionView s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new SessionForm
        {
            Kind = s.Kind.ToWire(),
            Title = s.Title,
            Description = s.Description,
            Starts = ZonedTime.In(s.StartsAt, s.TimeZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            Ends = ZonedTime.In(s.EndsAt, s.TimeZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            TimeZone = s.TimeZone,
            Capacity = s.Capacity,
            JoinUrl = s.JoinUrl,
            Venue = s.Venue,
            VenueAddress = s.VenueAddress,
            City = s.City,
            WebinarId = s.WebinarId,
            Recorded = s.Recorded,
            RecordingConsentRequired = s.RecordingConsentRequired,
            RegistrationOpens = s.RegistrationOpensAt is { } opens ? ZonedTime.In(opens, s.TimeZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null,
            RegistrationCloses = s.RegistrationClosesAt is { } closes ? ZonedTime.In(closes, s.TimeZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null,
            Presenters = s.Presenters.Select(p => new PresenterForm { Name = p.Name, Affiliation = p.Affiliation, Bio = p.Bio }).ToList(),
        };
    }
}

/// <summary>How a new session's form starts from another session.</summary>
public static class SessionFormCopies
{
    /// <summary>How far a duplicate or a new learning exchange is put after the session it starts from.</summary>
    public static readonly TimeSpan Later = TimeSpan.FromDays(7);

    /// <summary>The same local time (wall clock, in the session's zone) a week later: a daylight-saving change does not shift it.</summary>
    public static string WeekLater(DateTimeOffset instant, string zone) =>
        ZonedTime.In(instant, zone).Add(Later).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
}

/// <summary>One presenter row.</summary>
public sealed class PresenterForm
{
    /// <summary>Name.</summary>
    public string? Name { get; set; }

    /// <summary>Organization.</summary>
    public string? Affiliation { get; set; }

    /// <summary>Bio, in Markdown.</summary>
    public string? Bio { get; set; }
}
