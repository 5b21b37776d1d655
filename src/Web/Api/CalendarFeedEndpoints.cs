using System.Security.Claims;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Registrations;
using LearnHub.Web.Accounts;

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
        routes.MapGet("/calendar/{token}.ics", async (string token, ManageLinks links, CalendarFeeds feeds, AccountStore accounts, IGrainFactory grains,
                HttpResponse response, CancellationToken cancellationToken) =>
            {
                var opened = await links.OpenFeedTokenAsync(token, cancellationToken);
                var email = opened switch
                {
                    { Group: { } group } => Applicant.NormalizeEmail(group.Registrations[0].Email),
                    { AccountId: { } id } => (await accounts.FindAsync(id, cancellationToken))?.NormalizedEmail,
                    _ => null,
                };

                // A link made before the learner asked for a new one opens nothing.
                if (email is null || (await grains.GetGrain<ILearnerGrain>(email).PreferencesAsync()).FeedTokenVersion != opened!.Version)
                {
                    return Results.NotFound();
                }

                var feed = opened.Group is { } g ? await feeds.GroupAsync(g.GroupId, cancellationToken) : await feeds.LearnerAsync(email, cancellationToken);
                response.Headers.CacheControl = "private, no-store";
                return Results.Text(feed, CalendarType);
            })
            .WithTags("Calendar").WithName("LearnerCalendar").AllowAnonymous();

        // "Add to calendar" for one session: a single event, as the private feeds build it (the join link for a held seat).
        routes.MapGet("/registrations/{token}/sessions/{sessionId:guid}/event.ics", async (string token, Guid sessionId, ManageLinks links, CalendarFeeds feeds,
                HttpResponse response, CancellationToken cancellationToken) =>
                await links.OpenAsync(token, cancellationToken) is { } group && await feeds.GroupSessionAsync(group.GroupId, sessionId, cancellationToken) is { } ics
                    ? SingleEvent(response, ics)
                    : Results.NotFound())
            .WithTags("Calendar").WithName("RegistrationEvent").AllowAnonymous();
        routes.MapGet("/my-learning/sessions/{sessionId:guid}/event.ics", async (Guid sessionId, ClaimsPrincipal user, CalendarFeeds feeds,
                HttpResponse response, CancellationToken cancellationToken) =>
                await feeds.LearnerSessionAsync(Applicant.NormalizeEmail(user.FindFirstValue(ClaimTypes.Email) ?? ""), sessionId, cancellationToken) is { } ics
                    ? SingleEvent(response, ics)
                    : Results.NotFound())
            .WithTags("Calendar").WithName("LearnerEvent").RequireAuthorization(Policies.SignedIn);
        return routes;
    }

    private static IResult SingleEvent(HttpResponse response, string ics)
    {
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ContentDisposition = "attachment; filename=\"session.ics\"";
        return Results.Text(ics, CalendarType);
    }
}
