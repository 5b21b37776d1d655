using System.Globalization;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Catalog;

/// <summary>How the catalog lists what it found.</summary>
public enum CatalogView
{
    /// <summary>Upcoming sessions across all series, soonest first: the default.</summary>
    List,

    /// <summary>One month as a calendar.</summary>
    Month,
}

/// <summary>
/// The catalog's search and filters, exactly as the query string carries them, so that a filtered list is a link:
/// the form is a plain GET form (no script), and every value read back here is checked, a bad one simply ignored.
/// </summary>
public sealed record CatalogFilter(string? Query, string? Track, SessionKind? Kind, string? City, DateOnly? From, DateOnly? To, bool HasSeats, CatalogView View, DateOnly? Month)
{
    /// <summary>No filter: upcoming sessions as a list.</summary>
    public static CatalogFilter None { get; } = new(null, null, null, null, null, null, false, CatalogView.List, null);

    /// <summary>True when any filter (not the view) narrows the list.</summary>
    public bool Narrows => Query is not null || Track is not null || Kind is not null || City is not null || From is not null || To is not null || HasSeats;

    /// <summary>Reads the query string: q, track, kind, city, from, to (yyyy-MM-dd), seats=1, view=month, month=yyyy-MM.</summary>
    public static CatalogFilter Read(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Text(string key) => query[key].ToString() is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        DateOnly? Date(string key) => DateOnly.TryParseExact(Text(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var kind = Text("kind") is { } k && Enum.GetValues<SessionKind>().Any(x => x.ToWire() == k) ? SessionKinds.FromWire(k) : (SessionKind?)null;
        var track = Text("track") is { } t && Tracks.NameOf(t) is not null ? t : null;
        var month = DateOnly.TryParseExact(Text("month") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) ? m : (DateOnly?)null;
        var q = Text("q");
        return new CatalogFilter(q is { Length: > 200 } ? q[..200] : q, track, kind, Text("city"), Date("from"), Date("to"), Text("seats") is "1" or "true" or "on",
            Text("view") == "month" ? CatalogView.Month : CatalogView.List, month);
    }

    /// <summary>This filter's link to a page of the upcoming list.</summary>
    public string PageLink(int page) => page <= 1 ? Link() : $"{Link()}{(Link().Contains('?', StringComparison.Ordinal) ? '&' : '?')}page={page.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>What to ask the catalog grain: this filter, the visitor's zone, the month shown, and a page of the list.</summary>
    public CatalogQuery ToQuery(DateTimeOffset now, string? viewerZone, DateOnly month, int page) =>
        new(Query, Track, Kind, City, From, To, HasSeats, View == CatalogView.Month ? month : null, viewerZone, now, Math.Max(1, page));

    /// <summary>This filter's query string with some values replaced (null removes one): for view and month links.</summary>
    public string Link(CatalogView? view = null, DateOnly? month = null, bool keepMonth = true)
    {
        var values = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                values.Add(new(key, value));
            }
        }

        Add("q", Query);
        Add("track", Track);
        Add("kind", Kind?.ToWire());
        Add("city", City);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("seats", HasSeats ? "1" : null);
        var shownView = view ?? View;
        Add("view", shownView == CatalogView.Month ? "month" : null);
        var shownMonth = month ?? (keepMonth ? Month : null);
        Add("month", shownView == CatalogView.Month ? shownMonth?.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null);
        return QueryString.Create(values).ToUriComponent() is { Length: > 0 } q ? "/" + q : "/";
    }
}

/// <summary>How many seats a card says are left, in words and as a badge class (never colour alone).</summary>
public static class SeatsLeft
{
    /// <summary>At or below this many free seats a card says "few seats left".</summary>
    public const int Few = 5;

    /// <summary>The label (in the localizer's language) and badge class of a session's seats at <paramref name="now"/>.</summary>
    public static (string Text, string Badge) Of(SessionView session, DateTimeOffset now, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(localizer);
        if (session.Cancelled)
        {
            return (localizer["Cancelled"], "badge-cancelled");
        }

        if (!session.IsOpenAt(now))
        {
            return (session.StartsAt <= now ? localizer["Took place"] : localizer["Registration closed"], "badge-closed");
        }

        return session.SeatsLeft switch
        {
            0 => (localizer["Full — waitlist open"], "badge-full"),
            <= Few => (localizer["Only {0} of {1} seats left", session.SeatsLeft, session.Capacity], "badge-few-seats"),
            _ => (localizer["{0} of {1} seats left", session.SeatsLeft, session.Capacity], "badge-seats"),
        };
    }
}
