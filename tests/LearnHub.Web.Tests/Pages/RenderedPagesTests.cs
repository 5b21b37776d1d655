using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Testing;
using LearnHub.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages;

/// <summary>
/// The session page's rendered copies: an anonymous visitor is served the copy of a page whose views have not changed,
/// with their own antiforgery token, and sees every change (seats, the series, the language, the zone, the clock) on
/// their next view; a signed-in visitor always gets their own rendering.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class RenderedPagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private RenderedPages Pages => _app.Services.GetRequiredService<RenderedPages>();

    private HttpClient Visitor() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("id=\"session-when\">([^<]+)<")]
    private static partial Regex SessionWhen();

    private static string When(string html) => WebUtility.HtmlDecode(SessionWhen().Match(html).Groups[1].Value);

    private static string WithoutTokens(string html) => TokenField().Replace(html, "TOKEN");

    [Fact]
    public async Task ACopy_IsThePageRenderedAgain_WithEachVisitorsOwnToken_WhichPosts()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var (first, second) = (Visitor(), Visitor());

        // The first view of these views is rendered; the second is rendered and kept; the third is the copy.
        await first.GetStringAsync($"/sessions/{session}");
        Assert.Equal(0, Pages.CopiesServed);
        var rendered = await first.GetStringAsync($"/sessions/{session}");
        var served = Pages.CopiesServed;
        var copy = await second.GetStringAsync($"/sessions/{session}");

        Assert.Equal(served + 1, Pages.CopiesServed);
        Assert.Equal(WithoutTokens(rendered), WithoutTokens(copy));
        Assert.Equal(2, TokenField().Count(copy));
        Assert.NotEqual(Forms.AntiforgeryToken(rendered), Forms.AntiforgeryToken(copy));
        var posted = await second.PostAsync($"/sessions/{session}", Forms.Registration(Forms.AntiforgeryToken(copy), "pat@example.org", "Pat Doe"));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        // The registration changed the seats: the next anonymous view is rendered anew and says so.
        Assert.Contains("99 of 100 seats left", await first.GetStringAsync($"/sessions/{session}"), StringComparison.Ordinal);
        // Someone else's token from a copy does not pass with this visitor's own cookie, on a form otherwise complete.
        var third = Visitor();
        await third.GetStringAsync($"/sessions/{session}");
        var foreign = await third.PostAsync($"/sessions/{session}", Forms.Registration(Forms.AntiforgeryToken(copy), "sam@example.org", "Sam Roe"));
        var now = await third.GetStringAsync($"/sessions/{session}");
        Assert.Contains("99 of 100 seats left", now, StringComparison.Ordinal);
        // A HEAD request is answered from the copy too, with the length a GET's body has.
        var head = await third.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/sessions/{session}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(now), head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
    }

    [Fact]
    public async Task EveryChange_ShowsOnTheNextAnonymousView()
    {
        var (series, session, _) = await _app.SeriesWithWebinarAsync();
        var visitor = Visitor();
        var page = $"/sessions/{session}";
        await visitor.GetStringAsync(page);

        // A series renamed refreshes its sessions' views without a new session row version.
        var slug = (await new GrainCatalog(_app.Services, _app.Clock).FindSessionAsync(session, default))!.SeriesSlug;
        await new GrainCatalog(_app.Services, _app.Clock).UpdateSeriesAsync(series, new SeriesDraft(slug, "Mind the Gap, second season", "A webinar series."), default);
        Assert.Contains(">Mind the Gap, second season</a>", await visitor.GetStringAsync(page), StringComparison.Ordinal);

        // The language a browser asks for and the visitor's zone are variants of their own, each copied in turn.
        var spanish = Visitor();
        spanish.DefaultRequestHeaders.Add("Accept-Language", "es");
        var berlin = Visitor();
        berlin.DefaultRequestHeaders.Add("Cookie", "lh_tz=Europe/Berlin");
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("<html lang=\"es\">", await spanish.GetStringAsync(page), StringComparison.Ordinal);
            // 15:00 UTC a week after the test clock's day: 4 PM in Berlin, 10 AM in the session's New York.
            Assert.Contains("4:00 PM", When(await berlin.GetStringAsync(page)), StringComparison.Ordinal);
            var english = await visitor.GetStringAsync(page);
            Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
            Assert.Contains("10:00 AM", When(english), StringComparison.Ordinal);
        }

        Assert.True(Pages.CopiesServed >= 3, $"Each variant was served from its copy at least once ({Pages.CopiesServed}).");

        // The page changes by itself when the session starts: a copy from before is not served after.
        _app.Clock.Advance(TimeSpan.FromDays(7));
        var after = await visitor.GetStringAsync(page);
        Assert.Contains("id=\"closed-notice\"", after, StringComparison.Ordinal);
        Assert.Contains("Took place", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullSessionsPage_StaysACopy_WhilePeopleJoinItsWaitlist_AndShowsTheNextSeatThatOpens()
    {
        // An announcement sends everyone to a session already full: each joins the waitlist, which changes nothing the
        // page shows, so the copy holds through the storm.
        var (_, session, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        var page = $"/sessions/{session}";
        var first = Visitor();
        await first.PostAsync(page, Forms.Registration(Forms.AntiforgeryToken(await first.GetStringAsync(page)), "ana@example.org", "Ana Diaz"));
        var seriesPage = $"/series/{(await new GrainCatalog(_app.Services, _app.Clock).FindSessionAsync(session, default))!.SeriesSlug}";
        foreach (var each in new[] { page, page, seriesPage, seriesPage })
        {
            await Visitor().GetStringAsync(each);
        }

        var waiting = Visitor();
        var beforeTheWaitlist = await waiting.GetStringAsync(page);

        var joined = await waiting.PostAsync(page, Forms.Registration(Forms.AntiforgeryToken(beforeTheWaitlist), "ben@example.org", "Ben Ode"));
        var served = Pages.CopiesServed;
        var afterTheWaitlist = await Visitor().GetStringAsync(page);
        await Visitor().GetStringAsync(seriesPage);

        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal(served + 2, Pages.CopiesServed);
        Assert.Equal(WithoutTokens(beforeTheWaitlist), WithoutTokens(afterTheWaitlist));
        Assert.Contains("Full — waitlist open", WebUtility.HtmlDecode(afterTheWaitlist), StringComparison.Ordinal);
        // A seat added goes to Ben, first on the waitlist: still full. One more, and the next anonymous view says so.
        var grain = _app.Services.GetRequiredService<Orleans.IGrainFactory>().Session(session);
        Assert.Single((await grain.ChangeCapacityAsync(2)).Promoted);
        Assert.Contains("Full — waitlist open", WebUtility.HtmlDecode(await Visitor().GetStringAsync(page)), StringComparison.Ordinal);
        Assert.Empty((await grain.ChangeCapacityAsync(3)).Promoted);
        Assert.Contains("1 of 3 seats left", await Visitor().GetStringAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignedInVisitor_GetsTheirOwnRendering_NeverACopy()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var page = $"/sessions/{session}";
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));

        // The organizer's views neither use nor leave a copy: the next anonymous visitors get renderings of their own.
        for (var i = 0; i < 3; i++)
        {
            var html = await organizer.GetStringAsync(page);
            Assert.Contains("href=\"/signout\"", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/organizer\"", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("href=\"/signout\"", await Visitor().GetStringAsync(page), StringComparison.Ordinal);
        Assert.Equal(0, Pages.CopiesServed);
        await Visitor().GetStringAsync(page);
        Assert.DoesNotContain("href=\"/signout\"", await Visitor().GetStringAsync(page), StringComparison.Ordinal);
        Assert.Equal(1, Pages.CopiesServed);
        Assert.Contains("href=\"/signout\"", await organizer.GetStringAsync(page), StringComparison.Ordinal);
        Assert.Equal(1, Pages.CopiesServed);
    }

    [Fact]
    public async Task TheSeriesPage_IsCopiedWithoutAToken_AndASessionMovesToPastAtItsStart()
    {
        var (_, session, _) = await _app.SeriesWithWebinarAsync();
        var slug = (await new GrainCatalog(_app.Services, _app.Clock).FindSessionAsync(session, default))!.SeriesSlug;
        var page = $"/series/{slug}";
        await Visitor().GetStringAsync(page);
        await Visitor().GetStringAsync(page);

        var copy = await Visitor().GetAsync(page);
        var html = await copy.Content.ReadAsStringAsync();

        Assert.Equal(1, Pages.CopiesServed);
        Assert.False(copy.Headers.Contains("Set-Cookie"), "A page without forms sets no antiforgery cookie, copy or not.");
        Assert.Matches($"id=\"h-upcoming\">[\\s\\S]*/sessions/{session}[\\s\\S]*id=\"h-past\"", html);
        _app.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Matches($"id=\"h-past\">[\\s\\S]*/sessions/{session}", await Visitor().GetStringAsync(page));
    }

    [Fact]
    public void ACopyHolds_BetweenTheInstantsAtWhichThePageChanges()
    {
        var now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var opens = now.AddHours(-1);
        var closes = now.AddDays(1);
        var starts = now.AddDays(2);

        Assert.Equal((opens, closes), RenderedPages.Interval(now, [starts, opens, closes]));
        Assert.Equal((closes, starts), RenderedPages.Interval(closes, [starts, opens, closes]));
        Assert.Equal((starts, DateTimeOffset.MaxValue), RenderedPages.Interval(starts.AddYears(1), [starts, null, closes]));
        Assert.Equal((DateTimeOffset.MinValue, starts), RenderedPages.Interval(now, [starts, null, null]));
    }

    [Fact]
    public async Task ARenderingThatFails_IsNeitherWrittenHalfNorKept_AndTheNextViewRendersAgain()
    {
        var now = _app.Clock.GetUtcNow();
        var page = new PageResult();
        var failing = await RenderingToKeepAsync(page, now, []);
        var failure = new InvalidOperationException("the view failed halfway through");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(failing, page, "<html><body>half a pa", failure));

        Assert.Same(failure, thrown);
        Assert.Equal(0, failing.Response.Body.Length); // the error page can still be sent instead
        var rendering = Request();
        Assert.Same(page, await Pages.ServeAsync(rendering, page, "", now, [], "the views")); // rendered, to be kept
        await RenderAsync(rendering, page, "<html><body>the whole page</body></html>", failure: null);
        var served = Pages.CopiesServed;
        Assert.IsNotType<PageResult>(await Pages.ServeAsync(Request(), page, "", now, [], "the views"));
        Assert.Equal(served + 1, Pages.CopiesServed);
    }

    [Fact]
    public async Task AFailureAnotherFilterHandled_SendsWhatWasWritten_AndKeepsNoCopy()
    {
        var now = _app.Clock.GetUtcNow();
        var page = new PageResult();
        var rendering = await RenderingToKeepAsync(page, now, []);

        await RenderAsync(rendering, page, "<html><body>half a pa", new InvalidOperationException("handled elsewhere"), handled: true);

        Assert.Equal("<html><body>half a pa", Encoding.UTF8.GetString(((MemoryStream)rendering.Response.Body).ToArray()));
        Assert.Same(page, await Pages.ServeAsync(Request(), page, "", now, [], "the views"));
    }

    [Fact]
    public async Task ACopyRenderedJustBeforeThePageChangesByItself_IsNotServedFromThatInstantOn()
    {
        var closes = _app.Clock.GetUtcNow().AddHours(1);
        var justBefore = closes.AddTicks(-1);
        var page = new PageResult();
        var rendering = await RenderingToKeepAsync(page, justBefore, [closes]);
        // The rendering ends after registration has closed: the copy is still kept only for the interval it began in.
        await RenderAsync(rendering, page, "<html><body>Register</body></html>", failure: null, whileRendering: () => _app.Clock.Advance(TimeSpan.FromHours(2)));

        Assert.IsNotType<PageResult>(await Pages.ServeAsync(Request(), page, "", justBefore, [closes], "the views"));
        Assert.Same(page, await Pages.ServeAsync(Request(), page, "", closes, [closes], "the views"));
    }

    // An anonymous view of one path, outside the pipeline: the filter's own contract with its page's result.
    private DefaultHttpContext Request()
    {
        var http = new DefaultHttpContext { RequestServices = _app.Services };
        http.Request.Method = HttpMethods.Get;
        http.Request.Host = new HostString("learnhub.test");
        http.Request.Path = "/sessions/filter-contract";
        http.Response.Body = new MemoryStream();
        return http;
    }

    // The second view of the same views at now, whose rendering is to be kept (the first view's is not).
    private async Task<DefaultHttpContext> RenderingToKeepAsync(PageResult page, DateTimeOffset now, DateTimeOffset?[] changesAt)
    {
        Assert.Same(page, await Pages.ServeAsync(Request(), page, "", now, changesAt, "the views"));
        var rendering = Request();
        Assert.Same(page, await Pages.ServeAsync(rendering, page, "", now, changesAt, "the views"));
        return rendering;
    }

    // Runs the copy filter around a page result that writes html, then fails with failure when there is one.
    private Task RenderAsync(HttpContext http, PageResult page, string html, Exception? failure, Action? whileRendering = null, bool handled = false)
    {
        var action = new ActionContext(http, new RouteData(), new PageActionDescriptor());
        var executing = new ResultExecutingContext(action, [], page, new object());
        return Pages.OnResultExecutionAsync(executing, async () =>
        {
            whileRendering?.Invoke();
            await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(html));
            return new ResultExecutedContext(action, [], page, new object()) { Exception = failure, ExceptionHandled = handled };
        });
    }
}
