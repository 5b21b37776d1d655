using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>Emailed one-time links: sign-in, invitation and reset; they expire, work once and reveal nothing.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class AccountLinkTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();


    private HttpClient Client() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>The link in the mail the pickup directory received, as a path (the test server is not on that host).</summary>
    private async Task<string?> EmailedLinkAsync(string email, string purpose)
    {
        var pathPart = purpose == "sign-in-link" ? "/signin/link/" : "/account/password/";
        return new Uri(await _app.EmailedLinkAsync(email, pathPart)).AbsolutePath;
    }

    /// <summary>True when a mail of this purpose to this address was queued.</summary>
    private async Task<bool> QueuedAsync(string email, string purpose)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE recipient = @email AND purpose = @purpose", new { email = email.ToLowerInvariant(), purpose }) > 0;
    }

    [Fact]
    public async Task ALinkRequest_AnswersTheSame_ForKnownAndUnknownAddresses()
    {
        var known = await _app.AccountAsync(Role.Learner);

        var forKnown = await (await Forms.PostAsync(Client(), "/signin", "/signin?handler=Link", new() { ["Email"] = known })).Content.ReadAsStringAsync();
        var forUnknown = await (await Forms.PostAsync(Client(), "/signin", "/signin?handler=Link", new() { ["Email"] = "nobody@example.org" })).Content.ReadAsStringAsync();

        Assert.Contains(Html.Notice(forKnown), forUnknown, StringComparison.Ordinal);
        // The link is issued after the answer (so its timing tells nothing either): wait for it.
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(10), () => QueuedAsync(known, "sign-in-link")));
        Assert.False(await QueuedAsync("nobody@example.org", "sign-in-link"));
    }

    [Fact]
    public async Task ASignInLink_SignsInOnce_AndOpeningItUsesNothingUp()
    {
        var email = await _app.AccountAsync(Role.Learner);
        await Forms.PostAsync(Client(), "/signin", "/signin?handler=Link", new() { ["Email"] = email });
        var link = (await EmailedLinkAsync(email, "sign-in-link"))!;
        var client = Client();

        var opened = await client.GetStringAsync(link);
        var first = await Forms.PostAsync(client, link, link, []);
        var second = await Forms.PostAsync(Client(), link, link, []);

        Assert.Contains("Sign in to LearnHub", opened, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lh_auth=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task ASignInLink_Expires()
    {
        var email = await _app.AccountAsync(Role.Learner);
        await Forms.PostAsync(Client(), "/signin", "/signin?handler=Link", new() { ["Email"] = email });
        var link = (await EmailedLinkAsync(email, "sign-in-link"))!;

        _app.Clock.Advance(AccountLinks.Validity(AccountLinkPurpose.SignIn) + TimeSpan.FromSeconds(1));

        Assert.Contains("expired or has been used", await Client().GetStringAsync(link), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvitedOrganizer_ChoosesAPassword_AndIsNotAnAdmin()
    {
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));
        var invited = await Forms.PostAsync(admin, "/admin/people", "/admin/people?handler=Invite", new()
        {
            ["Email"] = "organizer@example.org", ["Name"] = "Olu Organizer", ["Roles"] = "organizer",
        });
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var link = (await EmailedLinkAsync("organizer@example.org", "invitation"))!;
        var organizer = Client();

        var weak = await Forms.PostAsync(organizer, link, link, new() { ["Password"] = "short" });
        var chosen = await Forms.PostAsync(organizer, link, link, new() { ["Password"] = "violet kettle harbour lamp" });

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var account = await _app.Services.GetRequiredService<AccountStore>().FindAsync("organizer@example.org", default);
        Assert.Equal([Role.Organizer], account!.Roles);
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.GetAsync("/admin")).StatusCode); // to /denied
        var audit = await _app.Services.GetRequiredService<AuditLog>().ListAsync("user.invited", null, 10, default);
        Assert.Contains(audit, e => e.Detail.StartsWith("organizer@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvitationWithAMalformedEmail_SaysWhy_AndCreatesNobody()
    {
        var admin = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Admin));

        var response = await Forms.PostAsync(admin, "/admin/people", "/admin/people?handler=Invite", new() { ["Email"] = "not-an-email", ["Roles"] = "learner" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter an email address in the form name@example.org.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await _app.Services.GetRequiredService<AccountStore>().FindAsync("not-an-email", default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ChoosingANewPassword_SpendsEveryOtherLinkStillInTheMailbox(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var email = await app.AccountAsync(Role.Learner);
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Forms.PostAsync(anonymous, "/account/reset", "/account/reset", new() { ["Email"] = email });
        await Forms.PostAsync(anonymous, "/account/reset", "/account/reset", new() { ["Email"] = email });
        await Forms.PostAsync(anonymous, "/signin", "/signin?handler=Link", new() { ["Email"] = email });
        var resets = await app.EmailedLinksAsync(email, "/account/password/", 2);
        var signIn = Assert.Single(await app.EmailedLinksAsync(email, "/signin/link/", 1));

        var chosen = await Forms.PostAsync(anonymous, resets[0], resets[0], new() { ["Password"] = "violet kettle harbour lamp" });

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Contains("expired or has been used", await anonymous.GetStringAsync(resets[1]), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Forms.PostAsync(anonymous, signIn, signIn, [])).StatusCode);
    }

    private static class Html
    {
        public static string Notice(string html) => Regex.Match(html, "<p class=\"notice\" role=\"status\" id=\"notice\">([^<]+)</p>").Groups[1].Value is { Length: > 0 } notice
            ? notice
            : throw new InvalidOperationException("No notice on the page.");
    }
}
