using System.Globalization;
using System.Security.Claims;
using System.Text;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Accounts;
using LearnHub.Web.Api;
using LearnHub.Web.TimeZones;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// The organizer's sessions across series: upcoming first (then the past, most recent first), in the organizer's own time zone, filtered by series, kind,
/// state, city and dates, a page at a time, with warnings for states registrants would meet as dead ends, and the same
/// list as CSV. A GET form: every filtered view is a link that can be bookmarked, and it works without JavaScript.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class IndexModel(CatalogStore catalog, IGrainFactory grains, LearnHubClock clock, IStringLocalizer<OrganizerResource> localizer) : PageModel
{
    /// <summary>Sessions per page.</summary>
    public const int PageSize = 25;

    /// <summary>The <c>series</c> filter, a series id.</summary>
    [FromQuery(Name = "series")]
    public string? SeriesFilter { get; set; }

    /// <summary>The <c>kind</c> filter, a kind's wire name.</summary>
    [FromQuery(Name = "kind")]
    public string? KindFilter { get; set; }

    /// <summary>The <c>state</c> filter: all (the default), upcoming, past, draft, published or cancelled.</summary>
    [FromQuery(Name = "state")]
    public string? StateFilter { get; set; }

    /// <summary>The <c>city</c> filter.</summary>
    [FromQuery(Name = "city")]
    public string? CityFilter { get; set; }

    /// <summary>The first day shown (yyyy-MM-dd in the organizer's zone).</summary>
    [FromQuery(Name = "from")]
    public string? FromFilter { get; set; }

    /// <summary>The last day shown (yyyy-MM-dd in the organizer's zone).</summary>
    [FromQuery(Name = "to")]
    public string? ToFilter { get; set; }

    /// <summary>The filter as understood.</summary>
    public SessionListFilter Filter { get; private set; } = new();

    /// <summary>What is wrong with the filters; a wrong one is ignored, not guessed at.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>The sessions of this page, each with its warnings.</summary>
    public IReadOnlyList<(SessionView Session, IReadOnlyList<string> Warnings)> Rows { get; private set; } = [];

    /// <summary>The series to filter by.</summary>
    public IReadOnlyList<(Guid Id, string Title)> SeriesChoices { get; private set; } = [];

    /// <summary>The cities to filter by.</summary>
    public IReadOnlyList<string> CityChoices { get; private set; } = [];

    /// <summary>The organizer's own zone (chosen on any page, or saved with their learner preferences); null until they choose.</summary>
    public string? Zone { get; private set; }

    /// <summary>The zone dates are read and times shown in: the organizer's, or UTC until they choose.</summary>
    public string ListZone => Zone ?? "UTC";

    /// <summary>The instant the list is for.</summary>
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    /// <summary>This page (1-based).</summary>
    public int PageNumber { get; private set; } = 1;

    /// <summary>How many pages there are.</summary>
    public int PageCount { get; private set; } = 1;

    /// <summary>How many sessions match.</summary>
    public int Total { get; private set; }

    /// <summary>The filtered list, a page at a time (<c>?page=2</c>).</summary>
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        await ReadFiltersAsync(cancellationToken);
        // From the query only: "page" is also the route value Razor Pages names the page by.
        PageNumber = Math.Max(1, pageNumber ?? 1);
        var found = await catalog.PageSessionsForOrganizersAsync(Filter, Now, PageNumber, PageSize, cancellationToken);
        Total = found.Total;
        PageCount = Math.Max(1, (Total + PageSize - 1) / PageSize);
        Rows = found.Sessions.Select(s => (s, SessionWarnings.For(s, s.WebinarId is { } w ? found.Webinars.GetValueOrDefault(w) : null, Now))).ToList();
        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    /// <summary>Every session the filters select, as CSV (times in the organizer's zone and in UTC).</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        await ReadFiltersAsync(cancellationToken);
        if (!Errors.None)
        {
            return BadRequest(string.Join(" ", Errors.All.Values));
        }

        var csv = new StringBuilder("series,session,kind,state,starts_local,ends_local,time_zone_shown,starts_utc,city,confirmed,capacity,waitlisted,warnings,url\r\n");
        // One read: the list is every session of the programme at most (20,000 in the grown benchmark), and the store
        // reads presenters in chunks.
        var found = await catalog.PageSessionsForOrganizersAsync(Filter, Now, 1, int.MaxValue / 2, cancellationToken);
        foreach (var s in found.Sessions)
        {
            var warnings = SessionWarnings.For(s, s.WebinarId is { } w ? found.Webinars.GetValueOrDefault(w) : null, Now);
            var zone = Zone ?? s.TimeZone;
            csv.AppendJoin(',', new[]
            {
                s.SeriesTitle, s.Title, s.Kind.DisplayName(), StateLabel(s), Local(s.StartsAt, zone), Local(s.EndsAt, zone), zone,
                s.StartsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), s.City ?? "",
                s.ConfirmedCount.ToString(CultureInfo.InvariantCulture), s.Capacity.ToString(CultureInfo.InvariantCulture),
                s.WaitlistedCount.ToString(CultureInfo.InvariantCulture), string.Join(" ", warnings), $"{Request.Scheme}://{Request.Host}/organizer/sessions/{s.Id}",
            }.Select(Csv.Cell)).Append("\r\n");
        }

        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", "sessions.csv");

        static string Local(DateTimeOffset at, string zone) => ZonedTime.In(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>"Draft", "Published" or "Cancelled".</summary>
    public static string StateLabel(SessionView session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Cancelled ? "Cancelled" : session.Published ? "Published" : "Draft";
    }

    /// <summary>The query string of the current filters with another page (or none), for the pager and the CSV link.</summary>
    public string Query(int? page = null, string? handler = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add(new(key, value.Trim()));
            }
        }

        Add("handler", handler);
        Add("series", Filter.SeriesId?.ToString());
        Add("kind", Filter.Kind?.ToWire());
        Add("state", Filter.State == SessionListState.All ? null : Filter.State.ToString().ToLowerInvariant());
        Add("city", Filter.City);
        Add("from", Errors.For("from") is null ? FromFilter : null);
        Add("to", Errors.For("to") is null ? ToFilter : null);
        Add("page", page is > 1 ? page.Value.ToString(CultureInfo.InvariantCulture) : null);
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs).Value ?? "";
    }

    private async Task ReadFiltersAsync(CancellationToken cancellationToken)
    {
        (SeriesChoices, CityChoices) = await catalog.SessionListChoicesAsync(cancellationToken);
        Zone = ViewerTimeZone.Chosen(Request);
        if (Zone is null && User.FindFirstValue(ClaimTypes.Email) is { } email)
        {
            Zone = (await grains.GetGrain<ILearnerGrain>(Applicant.NormalizeEmail(email)).PreferencesAsync()).TimeZone;
        }

        Guid? series = null;
        if (!string.IsNullOrWhiteSpace(SeriesFilter))
        {
            if (Guid.TryParse(SeriesFilter, out var id) && SeriesChoices.Any(c => c.Id == id))
            {
                series = id;
            }
            else
            {
                Errors.Add("series", localizer["Choose a series from the list."]);
            }
        }

        SessionKind? kind = null;
        if (!string.IsNullOrWhiteSpace(KindFilter))
        {
            try
            {
                kind = SessionKinds.FromWire(KindFilter.Trim());
            }
            catch (ArgumentOutOfRangeException)
            {
                Errors.Add("kind", localizer["Choose a kind from the list."]);
            }
        }

        var state = SessionListState.All;
        if (!string.IsNullOrWhiteSpace(StateFilter)
            && (!Enum.TryParse(StateFilter.Trim(), ignoreCase: true, out state) || !Enum.IsDefined(state) || int.TryParse(StateFilter, out _)))
        {
            Errors.Add("state", localizer["Choose a state from the list."]);
            state = SessionListState.All;
        }

        string? city = null;
        if (!string.IsNullOrWhiteSpace(CityFilter))
        {
            city = CityChoices.FirstOrDefault(c => string.Equals(c, CityFilter.Trim(), StringComparison.Ordinal));
            if (city is null)
            {
                Errors.Add("city", localizer["Choose a city from the list."]);
            }
        }

        var from = Day("from", FromFilter);
        var to = Day("to", ToFilter);
        if (from is not null && to is not null && to < from)
        {
            Errors.Add("to", localizer["The last day must not be before the first day."]);
            to = null;
        }

        var zone = Zones.Get(ListZone);
        Filter = new SessionListFilter(series, kind, state, city,
            from is { } f ? ZonedTime.AtLocal(f, TimeOnly.MinValue, zone) : null,
            to is { } t ? ZonedTime.AtLocal(t.AddDays(1), TimeOnly.MinValue, zone) : null);
    }

    private DateOnly? Day(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        Errors.Add(field, field == "from" ? localizer["Enter the first day as a date, for example 2026-12-08."] : localizer["Enter the last day as a date, for example 2026-12-08."]);
        return null;
    }
}
