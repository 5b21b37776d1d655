using System.Net;
using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>
/// Nothing the sign-in page answers tells whether an email has an account, and guessing cannot lock a person out.
/// Timing is measured by bench/sign-in-timing.sh, not here.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class AccountEnumerationTests(DatabaseFixture fixture)
{
    // Every request here comes from one test client: the per-minute limit in front is not what these tests are about.
    private static readonly Dictionary<string, string> Unlimited = new() { ["LearnHub:RateLimits:SignInPerMinute"] = "1000" };

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<List<(HttpStatusCode Status, string Page)>> WrongPasswordsAsync(LearnHubWebFactory app, string email, int times)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < times; i++)
        {
            var response = await LearnHubWebFactory.SignInAsync(browser, email, "a wrong guess at it");
            answers.Add((response.StatusCode, AntiforgeryField().Replace(await response.Content.ReadAsStringAsync(), "")));
        }

        return answers;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SixWrongPasswords_GiveByteIdenticalPages_ForAnExistingAndAnUnknownEmail(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider, Unlimited);
        var existing = await app.AccountAsync(Role.Admin);

        var forExisting = await WrongPasswordsAsync(app, existing, 6);
        var forUnknown = await WrongPasswordsAsync(app, "nobody.at.all@example.org", 6);

        Assert.Equal(forExisting, forUnknown);
        Assert.All(forExisting, a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.Contains("The email or the password is wrong.", forExisting[4].Page, StringComparison.Ordinal);
        Assert.Contains("Too many failed attempts: wait 30 seconds", forExisting[5].Page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhilePasswordsWait_TheEmailedLinkStillSignsIn(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider, Unlimited);
        var email = await app.AccountAsync(Role.Admin);
        await WrongPasswordsAsync(app, email, 8);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var rightPassword = await LearnHubWebFactory.SignInAsync(browser, email, LearnHubWebFactory.Password);
        await Forms.PostAsync(browser, "/signin", "/signin?handler=Link", new() { ["Email"] = email });
        var link = new Uri(await app.EmailedLinkAsync(email, "/signin/link/")).AbsolutePath;
        var byLink = await Forms.PostAsync(browser, link, link, []);

        Assert.Contains("Too many failed attempts", await rightPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, byLink.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
        // The link proved the mailbox: the password works again at once.
        Assert.Equal(HttpStatusCode.Redirect, (await LearnHubWebFactory.SignInAsync(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), email, LearnHubWebFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task Admins_SeeWhichEmailsAreBeingGuessed_AndTheWaits()
    {
        await using var app = new LearnHubWebFactory(fixture.NewDirectory(), settings: Unlimited);
        var target = await app.AccountAsync(Role.Learner);
        await WrongPasswordsAsync(app, target, 5);
        var admin = await app.SignedInClientAsync(await app.AccountAsync(Role.Admin));

        var page = await admin.GetStringAsync("/admin/sign-in-attempts");

        var row = Regex.Match(page, $"<td>{Regex.Escape(target)}</td>\\s*<td>(\\d+)</td>\\s*<td>[^<]+</td>\\s*<td>([^<]+)</td>");
        Assert.True(row.Success, page);
        Assert.Equal("5", row.Groups[1].Value);
        Assert.Equal("2026-11-22 15:00:30", row.Groups[2].Value);
    }
}
