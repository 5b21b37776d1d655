using System.Globalization;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;

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

/// <summary>A session the catalog shows, with the zone its times are shown in and the day it falls on there.</summary>
public sealed record CatalogEntry(SessionView Session, string Zone, DateOnly Day, IReadOnlyList<string> Tracks);

/// <summary>
/// Applies a <see cref="CatalogFilter"/> to the published catalog. Times, days and the date range are read in the
/// visitor's zone when they chose one, otherwise in each session's own (the zone its time is shown in, so the day a
/// card says is the day it was filtered by).
/// </summary>
public static class CatalogSearch
{
    /// <summary>The sessions the filter admits, soonest first. The list view shows upcoming ones; a month shows its days.</summary>
    public static IReadOnlyList<CatalogEntry> Apply(IReadOnlyList<SeriesView> catalog, CatalogFilter filter, DateTimeOffset now, string? viewerZone, DateOnly month)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(filter);
        var words = (filter.Query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var found = new List<CatalogEntry>();
        foreach (var series in catalog)
        {
            if (filter.Track is { } track && !series.Tracks.Contains(track))
            {
                continue;
            }

            foreach (var session in series.Sessions)
            {
                var zone = viewerZone ?? session.TimeZone;
                var day = DateOnly.FromDateTime(ZonedTime.In(session.StartsAt, zone).DateTime);
                var inView = filter.View == CatalogView.Month
                    ? day.Year == month.Year && day.Month == month.Month
                    : session.StartsAt > now && !session.Cancelled;
                if (inView
                    && (filter.Kind is not { } kind || session.Kind == kind)
                    && (filter.City is not { } city || string.Equals(session.City, city, StringComparison.OrdinalIgnoreCase))
                    && (filter.From is not { } from || day >= from)
                    && (filter.To is not { } to || day <= to)
                    && (!filter.HasSeats || (session.IsOpenAt(now) && session.SeatsLeft > 0))
                    && words.All(word => Mentions(series, session, word)))
                {
                    found.Add(new CatalogEntry(session, zone, day, series.Tracks));
                }
            }
        }

        return found.OrderBy(e => e.Session.StartsAt).ThenBy(e => e.Session.Title, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every city an in-person session of the catalog is held in, for the city filter.</summary>
    public static IReadOnlyList<string> Cities(IReadOnlyList<SeriesView> catalog) =>
        (catalog ?? []).SelectMany(s => s.Sessions).Select(s => s.City).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();

    private static bool Mentions(SeriesView series, SessionView session, string word)
    {
        bool Has(string? text) => text?.Contains(word, StringComparison.CurrentCultureIgnoreCase) == true;
        return Has(session.Title) || Has(series.Title) || Has(session.Description) || Has(session.Venue) || Has(session.City) || Has(session.VenueAddress)
            || session.Presenters.Any(p => Has(p.Name) || Has(p.Affiliation)) || Has(session.Kind.DisplayName());
    }
}

/// <summary>How many seats a card says are left, in words and as a badge class (never colour alone).</summary>
public static class SeatsLeft
{
    /// <summary>At or below this many free seats a card says "few seats left".</summary>
    public const int Few = 5;

    /// <summary>The label and badge class of a session's seats at <paramref name="now"/>.</summary>
    public static (string Text, string Badge) Of(SessionView session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Cancelled)
        {
            return ("Cancelled", "badge-cancelled");
        }

        if (!session.IsOpenAt(now))
        {
            return (session.StartsAt <= now ? "Took place" : "Registration closed", "badge-closed");
        }

        return session.SeatsLeft switch
        {
            0 => ("Full — waitlist open", "badge-full"),
            <= Few => ($"Only {session.SeatsLeft} of {session.Capacity} seats left", "badge-few-seats"),
            _ => ($"{session.SeatsLeft} of {session.Capacity} seats left", "badge-seats"),
        };
    }
}
