using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Pages.Account;
using LearnHub.Web.Registrations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>
/// A registrant creates a Learner account for the address they registered with, proven by an emailed link that works
/// once; the answer is the same for an address that has an account (which gets a sign-in link instead).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SignUpTests(DatabaseFixture fixture)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARegistrant_CreatesAnAccountByEmailedLink_AndFindsTheirRegistrationsInMyLearning_TheLinkWorksOnce(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var (_, webinar, _) = await app.SeriesWithWebinarAsync();
        await app.Services.GetRequiredService<RegistrationDesk>().RegisterAsync(webinar,
            new RegistrationRequest("Robin Ellis", "Robin.Ellis@example.org", "County DCF", "Caseworker", "America/Chicago", ""), default);
        var existing = await app.AccountAsync(Role.Learner);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var forNew = await Forms.PostAsync(client, "/signup", "/signup", new() { ["Email"] = "robin.ellis@example.org" });
        var forExisting = await Forms.PostAsync(client, "/signup", "/signup", new() { ["Email"] = existing });

        Assert.Equal(HttpStatusCode.OK, forNew.StatusCode);
        Assert.Equal(Notice(await forNew.Content.ReadAsStringAsync()), Notice(await forExisting.Content.ReadAsStringAsync()));
        Assert.Contains("Your LearnHub sign-in link", (await app.EmailAsync(existing, "sign-in link")).Subject, StringComparison.Ordinal);
        var link = new Uri(await app.EmailedLinkAsync("robin.ellis@example.org", "/signup/")).AbsolutePath;

        var weak = await Forms.PostAsync(client, link, link, new() { ["DisplayName"] = "Robin Ellis", ["Password"] = "robin" });
        var created = await Forms.PostAsync(client, link, link, new() { ["DisplayName"] = "Robin Ellis", ["Password"] = "" });

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("<a href=\"#f-password\">", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/my-learning", created.Headers.Location!.OriginalString);
        Assert.Contains("Simulation Labs for Child Welfare Education", await client.GetStringAsync("/my-learning"), StringComparison.Ordinal);
        using var stranger = app.CreateClient();
        Assert.Contains("id=\"link-problem\"", await stranger.GetStringAsync(link), StringComparison.Ordinal);
    }

    private static string Notice(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "<p class=\"notice\" role=\"status\" id=\"notice\">([^<]*)</p>").Groups[1].Value is { Length: > 0 } notice
            ? notice
            : throw new Xunit.Sdk.XunitException("The page gave no answer.");
}
