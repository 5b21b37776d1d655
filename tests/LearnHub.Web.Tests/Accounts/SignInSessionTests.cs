using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>
/// Sign-ins are server-side sessions: signing out, "sign out everywhere", a new password and other roles end every
/// cookie issued before; a sign-in also ends when unused for the idle timeout and at its absolute lifetime.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SignInSessionTests(DatabaseFixture fixture)
{
    private static HttpClient Browser(LearnHubWebFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Signs in through the form and returns the sign-in cookie as an attacker would copy it.</summary>
    private static async Task<string> SignInCookieAsync(HttpClient browser, string email)
    {
        var response = await LearnHubWebFactory.SignInAsync(browser, email, LearnHubWebFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lh_auth=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>True when a request carrying only <paramref name="cookie"/> opens My learning (false: sent to sign in).</summary>
    private static async Task<bool> OpensMyLearningAsync(LearnHubWebFactory app, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/my-learning");
        request.Headers.Add("Cookie", cookie);
        var response = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"/my-learning answered {(int)response.StatusCode}.");
        Assert.True(response.StatusCode == HttpStatusCode.OK || response.Headers.Location!.AbsolutePath == "/signin", $"Sent to {response.Headers.Location}.");
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACookieCapturedBeforeSignOut_IsRefusedAfterIt_WhileAnotherBrowserStaysSignedIn(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var email = await app.AccountAsync(Role.Learner);
        var browser = Browser(app);
        var captured = await SignInCookieAsync(browser, email);
        var otherBrowser = await SignInCookieAsync(Browser(app), email);
        Assert.True(await OpensMyLearningAsync(app, captured));

        var signedOut = await Forms.PostAsync(browser, "/signout", "/signout", []);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.False(await OpensMyLearningAsync(app, captured));
        Assert.True(await OpensMyLearningAsync(app, otherBrowser));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SigningOutEverywhere_EndsEveryBrowsersSignIn(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var email = await app.AccountAsync(Role.Learner);
        var browser = Browser(app);
        var here = await SignInCookieAsync(browser, email);
        var elsewhere = await SignInCookieAsync(Browser(app), email);

        await Forms.PostAsync(browser, "/signout", "/signout?handler=Everywhere", []);

        Assert.False(await OpensMyLearningAsync(app, here));
        Assert.False(await OpensMyLearningAsync(app, elsewhere));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnAdminsSignOutEverywhere_EndsThePersonsSignIns_OnTheRecord(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var email = await app.AccountAsync(Role.Learner);
        var cookie = await SignInCookieAsync(Browser(app), email);
        var admin = await app.SignedInClientAsync(await app.AccountAsync(Role.Admin));
        var person = (await app.Services.GetRequiredService<AccountStore>().FindAsync(email, default))!;
        Assert.Contains("1 browser", await admin.GetStringAsync("/admin/people"), StringComparison.Ordinal);

        var ended = await Forms.PostAsync(admin, "/admin/people", "/admin/people?handler=SignOutEverywhere", new() { ["id"] = person.Id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.False(await OpensMyLearningAsync(app, cookie));
        var entry = Assert.Single(await app.Services.GetRequiredService<AuditLog>().ListAsync("sessions.ended", null, 10, default));
        Assert.Equal(person.Id.ToString(), entry.ObjectId);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task APasswordReset_EndsEverySignInFromBefore_AndSignsInAfresh(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var email = await app.AccountAsync(Role.Learner);
        var before = await SignInCookieAsync(Browser(app), email);
        await Forms.PostAsync(Browser(app), "/account/reset", "/account/reset", new() { ["Email"] = email });
        var link = new Uri(await app.EmailedLinkAsync(email, "/account/password/")).AbsolutePath;

        var chosen = await Forms.PostAsync(Browser(app), link, link, new() { ["Password"] = "violet kettle harbour lamp" });
        var after = chosen.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lh_auth=", StringComparison.Ordinal)).Split(';')[0];

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.False(await OpensMyLearningAsync(app, before));
        Assert.True(await OpensMyLearningAsync(app, after));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task GrantingARole_EndsSignInsFromBefore_SoNoCookieCarriesStaleRoles(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var email = await app.AccountAsync(Role.Learner);
        var before = await SignInCookieAsync(Browser(app), email);
        var admin = await app.SignedInClientAsync(await app.AccountAsync(Role.Admin));
        var person = (await app.Services.GetRequiredService<AccountStore>().FindAsync(email, default))!;

        await Forms.PostAsync(admin, "/admin/people", "/admin/people?handler=Role", new() { ["id"] = person.Id.ToString(), ["role"] = "mentor", ["grant"] = "true" });

        Assert.False(await OpensMyLearningAsync(app, before));
        Assert.True(await OpensMyLearningAsync(app, await SignInCookieAsync(Browser(app), email)));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASignIn_EndsAtItsAbsoluteLifetime_HoweverBusy(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var browser = await app.SignedInClientAsync(await app.AccountAsync(Role.Learner));
        var lifetime = new SignInSessionOptions().AbsoluteLifetime;
        var idle = new SignInSessionOptions().IdleTimeout;

        // Used just inside the idle timeout again and again: the cookie slides every time...
        var step = idle - TimeSpan.FromMinutes(5);
        var elapsed = TimeSpan.Zero;
        while (elapsed + step < lifetime)
        {
            app.Clock.Advance(step);
            elapsed += step;
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my-learning")).StatusCode);
        }

        // ...but not past the absolute lifetime.
        app.Clock.Advance(lifetime - elapsed);
        var refused = await browser.GetAsync("/my-learning");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/signin", refused.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task ASignIn_EndsWhenUnusedForTheIdleTimeout()
    {
        await using var app = new LearnHubWebFactory(fixture.NewDirectory());
        var browser = await app.SignedInClientAsync(await app.AccountAsync(Role.Learner));
        var idle = new SignInSessionOptions().IdleTimeout;

        app.Clock.Advance(idle - TimeSpan.FromMinutes(1));
        var stillIn = await browser.GetAsync("/my-learning");
        app.Clock.Advance(idle + TimeSpan.FromMinutes(1));
        var signedOut = await browser.GetAsync("/my-learning");

        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }
}
