namespace LearnHub.Grains.Catalog;

/// <summary>
/// The public catalog grain. It reads every series and published session once when it starts, then takes the reports
/// of the grains that write them; pages read immutable views from it without touching the database.
/// </summary>
/// <remarks>
/// A report names the row version it was made at, so one that arrives late never replaces a newer one. A report lost
/// with a crashed silo, or a change made by a process outside the cluster (an operator command on SQLite, where every
/// process is a cluster of its own), is corrected by reading the rows again every <see cref="ResyncInterval"/>. Every change gives the series it touches a new revision, from a counter that starts
/// at a random point in each activation, so a cache keyed by revisions never mistakes a new view for an old one.
/// </remarks>
public sealed class CatalogGrain(ICatalogStore store) : Grain, ICatalogGrain
{
    /// <summary>How often the catalog is read again from its rows.</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromMinutes(1);

    /// <summary>How many distinct searches are kept between two changes of the catalog.</summary>
    private const int SearchesKept = 256;

    private readonly Dictionary<Guid, Entry> _series = [];
    private readonly Dictionary<string, Guid> _bySlug = new(StringComparer.Ordinal);
    private List<Entry> _ordered = [];
    private long _revision = Random.Shared.NextInt64(1, long.MaxValue / 2);
    private long _orderRevision;
    // Answers kept while the catalog stays at _answersRevision: searches by question, and the cities of the city filter.
    private readonly Dictionary<CatalogQuery, IReadOnlyList<CatalogMatch>> _searches = [];
    private IReadOnlyList<string>? _cities;
    private long _answersRevision = -1;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        this.RegisterGrainTimer(ResyncAsync, ResyncInterval, ResyncInterval);
    }

    /// <inheritdoc />
    public async Task SessionChangedAsync(SessionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!_series.TryGetValue(view.SeriesId, out var entry))
        {
            if (await store.LoadSeriesAsync(view.SeriesId, CancellationToken.None) is not { } info)
            {
                return;
            }

            entry = Add(info);
        }

        Apply(entry, view);
    }

    /// <inheritdoc />
    public Task SeriesChangedAsync(SeriesInfo series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (!_series.TryGetValue(series.Id, out var entry))
        {
            Add(series);
            return Task.CompletedTask;
        }

        // The row's version orders reports: an older or repeated one changes nothing.
        if (series.Revision <= entry.Info.Revision)
        {
            return Task.CompletedTask;
        }

        var reordered = series.Title != entry.Info.Title || series.Slug != entry.Info.Slug;
        _bySlug.Remove(entry.Info.Slug);
        _bySlug[series.Slug] = series.Id;
        entry.Info = series;
        foreach (var (id, session) in entry.Sessions.ToList())
        {
            entry.Sessions[id] = session with { SeriesSlug = series.Slug, SeriesTitle = series.Title };
        }

        Touch(entry);
        if (reordered)
        {
            Reorder();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CatalogPage> PageAsync(int page, int pageSize)
    {
        pageSize = Math.Clamp(pageSize, 1, PublicCatalog.MaxPageSize);
        page = Math.Max(1, page);
        var slice = _ordered.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var revision = slice.Select(e => e.View.Revision).DefaultIfEmpty(0).Max();
        return Task.FromResult(new CatalogPage(slice.Select(e => e.View).ToList(), page, pageSize, _ordered.Count, Math.Max(revision, _orderRevision)));
    }

    /// <inheritdoc />
    public Task<CatalogSearchResult> SearchAsync(CatalogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_answersRevision != _revision)
        {
            _searches.Clear();
            _cities = null;
            _answersRevision = _revision;
        }

        var matches = Search(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var page = Math.Max(1, query.Page);
        // The list may have been worked out up to a minute ago: what has started since is at its front (soonest first).
        var started = 0;
        while (query.Month is null && started < matches.Count && matches[started].Session.StartsAt <= query.Now)
        {
            started++;
        }

        var total = matches.Count - started;
        // A month is shown whole; the upcoming list a page at a time (a grown programme has thousands upcoming).
        var shown = query.Month is null ? matches.Skip(started + ((page - 1) * pageSize)).Take(pageSize).ToList() : matches;
        _cities ??= CatalogSearch.Cities(_ordered.Select(e => e.View));
        return Task.FromResult(new CatalogSearchResult(shown, total, page, query.Month is null ? pageSize : Math.Max(1, total), _cities));
    }

    // Every visitor of the home page asks one of a few questions (the upcoming list, in their zone), and this one
    // activation answers all of them: filtering and ordering 20,000 sessions took it about 6 ms a view, so a grown
    // programme's home page managed 160 views/s. An answer is kept until the catalog changes, for the minute it was
    // asked in (SearchAsync forgets them all when it changes); a bounded number of distinct questions are kept.
    private IReadOnlyList<CatalogMatch> Search(CatalogQuery query)
    {
        var minute = new DateTimeOffset(query.Now.UtcTicks - (query.Now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var key = query with { Now = minute, Page = 1, PageSize = CatalogQuery.DefaultPageSize };
        if (!_searches.TryGetValue(key, out var matches))
        {
            if (_searches.Count >= SearchesKept)
            {
                _searches.Clear();
            }

            matches = CatalogSearch.Apply(_ordered.Select(e => e.View), key);
            _searches[key] = matches;
        }

        return matches;
    }

    /// <inheritdoc />
    public Task<SeriesView?> SeriesAsync(string slug) =>
        Task.FromResult(slug is not null && _bySlug.TryGetValue(slug, out var id) ? _series[id].View : null);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (series, sessions) = await store.LoadPublicAsync(cancellationToken);
        foreach (var info in series)
        {
            var entry = Add(info);
            foreach (var view in sessions.Where(s => s.SeriesId == info.Id))
            {
                entry.Sessions[view.Id] = view;
            }

            Touch(entry);
        }
    }

    // Reads the rows again and takes whatever differs from what the reports left here.
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var (series, sessions) = await store.LoadPublicAsync(cancellationToken);
        var seen = series.Select(s => s.Id).ToHashSet();
        foreach (var gone in _series.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _bySlug.Remove(_series[gone].Info.Slug);
            _series.Remove(gone);
            Reorder();
        }

        var published = sessions.GroupBy(s => s.SeriesId).ToDictionary(g => g.Key, g => g.ToDictionary(s => s.Id));
        foreach (var info in series)
        {
            if (!_series.TryGetValue(info.Id, out var entry))
            {
                entry = Add(info);
            }
            else if (info.Revision > entry.Info.Revision)
            {
                await SeriesChangedAsync(info);
            }

            var stored = published.GetValueOrDefault(info.Id) ?? [];
            var changed = entry.Sessions.Keys.Any(id => !stored.ContainsKey(id))
                || stored.Values.Any(s => !entry.Sessions.TryGetValue(s.Id, out var held) || held.Revision != s.Revision);
            if (changed)
            {
                entry.Sessions.Clear();
                foreach (var view in stored.Values)
                {
                    entry.Sessions[view.Id] = view;
                }

                Touch(entry);
            }
        }
    }

    private void Apply(Entry entry, SessionView view)
    {
        if (entry.Sessions.TryGetValue(view.Id, out var held) && held.Revision > view.Revision)
        {
            return;
        }

        if (view.Published)
        {
            entry.Sessions[view.Id] = view with { SeriesSlug = entry.Info.Slug, SeriesTitle = entry.Info.Title };
        }
        else if (!entry.Sessions.Remove(view.Id))
        {
            return;
        }

        Touch(entry);
    }

    private Entry Add(SeriesInfo info)
    {
        var entry = new Entry(info);
        _series[info.Id] = entry;
        _bySlug[info.Slug] = info.Id;
        Touch(entry);
        Reorder();
        return entry;
    }

    private void Touch(Entry entry)
    {
        var sessions = entry.Sessions.Values.OrderBy(s => s.StartsAt).ThenBy(s => s.Title, StringComparer.Ordinal).ThenBy(s => s.Id).ToList();
        entry.View = new SeriesView(entry.Info.Id, entry.Info.Slug, entry.Info.Title, entry.Info.Description, sessions)
        {
            DescriptionHtml = entry.Info.DescriptionHtml,
            Tracks = entry.Info.Tracks,
            Translations = entry.Info.Translations,
            Revision = ++_revision,
        };
    }

    private void Reorder()
    {
        _ordered = _series.Values.OrderBy(e => e.Info.Title, StringComparer.Ordinal).ThenBy(e => e.Info.Id).ToList();
        _orderRevision = ++_revision;
    }

    private sealed class Entry(SeriesInfo info)
    {
        public SeriesInfo Info { get; set; } = info;

        public Dictionary<Guid, SessionView> Sessions { get; } = [];

        public SeriesView View { get; set; } = null!;
    }
}
