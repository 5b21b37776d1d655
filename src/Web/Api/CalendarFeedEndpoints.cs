using LearnHub.Silo.Accounts;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Registrations;

namespace LearnHub.Web.Api;

/// <summary>iCalendar feeds to subscribe to: a public one per series, a private one per learner.</summary>
public static class CalendarFeedEndpoints
{
    private const string CalendarType = "text/calendar; charset=utf-8";

    /// <summary>Maps the feeds.</summary>
    public static IEndpointRouteBuilder MapCalendarFeeds(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/series/{slug}/calendar.ics", async (string slug, CalendarFeeds feeds, CancellationToken cancellationToken) =>
                await feeds.SeriesAsync(slug, cancellationToken) is { } feed ? Results.Text(feed, CalendarType) : Results.NotFound())
            .WithTags("Calendar").WithName("SeriesCalendar").AllowAnonymous();
        routes.MapGet("/calendar/{token}.ics", async (string token, ManageLinks links, CalendarFeeds feeds, AccountStore accounts,
                HttpResponse response, CancellationToken cancellationToken) =>
            {
                var (group, accountId) = await links.OpenFeedTokenAsync(token, cancellationToken);
                string? feed = null;
                if (group is not null)
                {
                    feed = await feeds.GroupAsync(group.GroupId, cancellationToken);
                }
                else if (accountId is { } id && await accounts.FindAsync(id, cancellationToken) is { } account)
                {
                    feed = await feeds.LearnerAsync(account.NormalizedEmail, cancellationToken);
                }

                if (feed is null)
                {
                    return Results.NotFound();
                }

                response.Headers.CacheControl = "private, no-store";
                return Results.Text(feed, CalendarType);
            })
            .WithTags("Calendar").WithName("LearnerCalendar").AllowAnonymous();
        return routes;
    }
}
