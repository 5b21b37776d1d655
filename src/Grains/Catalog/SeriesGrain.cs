using LearnHub.Grains.Content;
using LearnHub.Grains.Sessions;

namespace LearnHub.Grains.Catalog;

/// <summary>
/// The series grain: checks a draft, renders its description through the one rich-text policy, lets its store write
/// the row, then tells the catalog (which lists it) and its sessions (whose views carry its title).
/// </summary>
public sealed class SeriesGrain(ISeriesStore store, ICatalogStore catalog, RichTextPolicy richText) : Grain, ISeriesGrain
{
    private Guid Id => this.GetPrimaryKey();

    /// <inheritdoc />
    public async Task<SeriesResult> CreateAsync(SeriesDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Problems() is { Count: > 0 } problems)
        {
            return new SeriesResult(SeriesOutcome.Invalid, problems);
        }

        if (!await store.CreateAsync(Id, draft, richText.RenderMarkdown(draft.Description), cancellationToken))
        {
            return new SeriesResult(SeriesOutcome.SlugTaken, [$"A series with the slug '{draft.Slug}' exists already."]);
        }

        await ReportAsync(cancellationToken);
        return SeriesResult.Saved;
    }

    /// <inheritdoc />
    public async Task<SeriesResult> UpdateAsync(SeriesDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Problems() is { Count: > 0 } problems)
        {
            return new SeriesResult(SeriesOutcome.Invalid, problems);
        }

        if (!await store.UpdateAsync(Id, draft, richText.RenderMarkdown(draft.Description), cancellationToken))
        {
            return new SeriesResult(SeriesOutcome.NotFound, [$"There is no series {Id}."]);
        }

        await ReportAsync(cancellationToken);
        // Every session view shows the series' title and links its slug.
        foreach (var (session, kind) in await store.SessionsAsync(Id, cancellationToken))
        {
            await GrainFactory.Roster(session, kind).RefreshAsync();
        }

        return SeriesResult.Saved;
    }

    /// <inheritdoc />
    public async Task<SeriesResult> SetReminderLeadsAsync(IReadOnlyList<TimeSpan> leads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leads);
        if (ReminderLeads.Problem(leads) is { } problem)
        {
            return new SeriesResult(SeriesOutcome.Invalid, [problem]);
        }

        if (!await store.SetReminderLeadsAsync(Id, leads, cancellationToken))
        {
            return new SeriesResult(SeriesOutcome.NotFound, [$"There is no series {Id}."]);
        }

        // New sessions take the leads from the series row; sessions still to come re-plan their pending reminders
        // through their own grains (the only writers of their reminder rows).
        foreach (var (session, kind) in await store.SessionsAsync(Id, cancellationToken))
        {
            await GrainFactory.Roster(session, kind).ReplanRemindersAsync(leads, cancellationToken);
        }

        return SeriesResult.Saved;
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        if (await catalog.LoadSeriesAsync(Id, cancellationToken) is { } info)
        {
            await GrainFactory.Catalog().SeriesChangedAsync(info);
        }
    }
}
