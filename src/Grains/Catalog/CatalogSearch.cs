using LearnHub.Grains.Time;

namespace LearnHub.Grains.Catalog;

/// <summary>
/// What a visitor asks of the catalog: words, a track, a kind, a city, a date range, only sessions with seats, and
/// either the upcoming list (a page of it) or one month. <paramref name="ViewerZone"/> is the zone they read times in,
/// if they chose one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CatalogQuery(
    string? Words,
    string? Track,
    SessionKind? Kind,
    string? City,
    DateOnly? From,
    DateOnly? To,
    bool HasSeats,
    DateOnly? Month,
    string? ViewerZone,
    DateTimeOffset Now,
    int Page = 1,
    int PageSize = CatalogQuery.DefaultPageSize)
{
    /// <summary>Sessions a page of the upcoming list shows.</summary>
    public const int DefaultPageSize = 50;
}

/// <summary>A session the catalog found, with the zone its times are shown in, the day it falls on there, and its series' tracks.</summary>
[GenerateSerializer, Immutable]
public sealed record CatalogMatch(SessionView Session, string Zone, DateOnly Day, IReadOnlyList<string> Tracks);

/// <summary>
/// What the catalog found: a page of the upcoming list (or a whole month), how many matched in all, and the cities any
/// in-person session is held in (for the city filter).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CatalogSearchResult(IReadOnlyList<CatalogMatch> Matches, int Total, int Page, int PageSize, IReadOnlyList<string> Cities)
{
    /// <summary>The number of pages of the list (at least one).</summary>
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// The catalog's search over its series, as plain rules. Times, days and the date range are read in the visitor's zone
/// when they chose one, otherwise in each session's own (the zone its time is shown in, so the day a card says is the
/// day it was filtered by). The list shows upcoming sessions that are not cancelled; a month shows its days.
/// </summary>
public static class CatalogSearch
{
    /// <summary>Every session the query admits, soonest first.</summary>
    public static IReadOnlyList<CatalogMatch> Apply(IEnumerable<SeriesView> catalog, CatalogQuery query)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(query);
        var words = (query.Words ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var found = new List<CatalogMatch>();
        foreach (var series in catalog)
        {
            if (query.Track is { } track && !series.Tracks.Contains(track))
            {
                continue;
            }

            foreach (var session in series.Sessions)
            {
                if (query.Month is null && (session.StartsAt <= query.Now || session.Cancelled))
                {
                    continue;
                }

                var zone = query.ViewerZone ?? session.TimeZone;
                var day = DateOnly.FromDateTime(ZonedTime.In(session.StartsAt, zone).DateTime);
                if ((query.Month is not { } m || (day.Year == m.Year && day.Month == m.Month))
                    && (query.Kind is not { } kind || session.Kind == kind)
                    && (query.City is not { } city || string.Equals(session.City, city, StringComparison.OrdinalIgnoreCase))
                    && (query.From is not { } from || day >= from)
                    && (query.To is not { } to || day <= to)
                    && (!query.HasSeats || (session.IsOpenAt(query.Now) && session.SeatsLeft > 0))
                    && words.All(word => Mentions(series, session, word)))
                {
                    found.Add(new CatalogMatch(session, zone, day, series.Tracks));
                }
            }
        }

        return found.OrderBy(e => e.Session.StartsAt).ThenBy(e => e.Session.Title, StringComparer.Ordinal).ThenBy(e => e.Session.Id).ToList();
    }

    /// <summary>Every city an in-person session of the catalog is held in, for the city filter.</summary>
    public static IReadOnlyList<string> Cities(IEnumerable<SeriesView> catalog) =>
        (catalog ?? []).SelectMany(s => s.Sessions).Select(s => s.City).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();

    private static bool Mentions(SeriesView series, SessionView session, string word)
    {
        bool Has(string? text) => text?.Contains(word, StringComparison.OrdinalIgnoreCase) == true;
        return Has(session.Title) || Has(series.Title) || Has(session.Description) || Has(session.Venue) || Has(session.City) || Has(session.VenueAddress)
            || session.Presenters.Any(p => Has(p.Name) || Has(p.Affiliation)) || Has(session.Kind.DisplayName());
    }
}
