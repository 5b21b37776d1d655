using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LearnHub.Grains.Media;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace LearnHub.Web.Tests.Messaging;

/// <summary>
/// Every link in every mail a registrant gets opens for them as they are: without an account, without cookies. The
/// mails are made by what really sends them (the registration API, the waitlist, publishing a recording, attendance,
/// a correction of attendance) and read from the pickup directory; each link is followed by a client that has never
/// signed in, and must reach its page (200, not the sign-in page, not 404) showing what the mail promised.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class MailLinksTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Robin = "robin.diaz@example.org";
    private const string Kim = "kim.park@example.org";
    private const string Pat = "pat.okafor@example.org";
    private const string Sam = "sam.lee@example.org";
    private const string JoinUrl = "https://meet.example/j/4242";
    private const string Webinar = "Simulation Labs for Child Welfare Education";
    private const string Past = "Trauma-Informed Supervision";

    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryLinkInEveryRegistrantMail_OpensItsPage_WithoutAnAccount()
    {
        // A webinar a week ahead with one seat: Sam takes it, Pat waits, Sam cancels, Pat is promoted.
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 1);
        await using (var scope = await _app.Services.GetRequiredService<LearnHub.Silo.Storage.LearnHubDatabase>().BeginWriteAsync(default))
        {
            await Dapper.SqlMapper.ExecuteAsync(scope.Connection, "UPDATE sessions SET join_url = @url WHERE id = @id", new { url = JoinUrl, id = webinar.ToString() }, scope.Transaction);
            await scope.CommitAsync(default);
        }

        var api = _app.CreateClient();
        var samsSeat = await RegisterAsync(api, webinar, "Sam Lee", Sam);
        await RegisterAsync(api, webinar, "Pat Okafor", Pat);
        // News of a seat is not sent once it was cancelled: the confirmation is read before Sam cancels.
        var arrived = new Dictionary<string, MimeMessage>
        {
            ["registration-confirmed"] = await _app.EmailAsync(Sam, "Registered:"),
            ["waitlisted"] = await _app.EmailAsync(Pat, "Waitlisted:"),
        };
        (await api.DeleteAsync(new Uri(samsSeat).AbsolutePath.Replace("/registrations/", "/api/registrations/", StringComparison.Ordinal))).EnsureSuccessStatusCode();

        // A session three days ago: Robin attended (survey, certificate), Kim did not; the recording is published;
        // then Robin's attendance is corrected, which revokes the certificate.
        var past = await CertificateSetup.PastSessionAsync(_app, Past, 150);
        var robinsRegistration = await CertificateSetup.AttendAsync(_app, past, Robin, "Robin Diaz");
        await CertificateSetup.AttendAsync(_app, past, Kim, "Kim Park", attended: false);
        var media = _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(past);
        var recording = (await media.AddAsync(new MediaDraft(past, MediaKind.Recording, $"{Past}: the recording", MediaVisibility.Registrants,
            ExternalUrl: "https://video.example.org/watch/123"))).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        arrived["certificate-issued"] = await _app.EmailAsync(Robin, "Your certificate");
        await CertificateSetup.AttendAsync(_app, past, Robin, "Robin Diaz", attended: false, registration: robinsRegistration, reason: "Left after ten minutes");

        // What each kind of mail must lead to, and what that page must show.
        var expected = new (string Recipient, string Subject, string Kind, string About)[]
        {
            (Sam, "Registered:", "registration-confirmed", Webinar), (Pat, "Waitlisted:", "waitlisted", Webinar),
            (Sam, "Cancelled:", "registration-cancelled", Webinar), (Pat, "A seat is yours:", "promoted", Webinar),
            (Robin, "Recording ready:", "recording-ready", Past), (Kim, "You missed it:", "recording-missed", Past),
            (Robin, "Your evaluation:", "evaluation-requested", Past), (Robin, "Your certificate:", "certificate-issued", Past),
            (Robin, "Certificate withdrawn:", "certificate-revoked", Past),
        };
        var problems = new List<string>();
        var followed = 0;
        foreach (var (recipient, subject, kind, about) in expected)
        {
            using var mail = arrived.GetValueOrDefault(kind) ?? await _app.EmailAsync(recipient, subject);
            var links = Links().Matches(mail.TextBody ?? "").Select(m => new Uri(m.Value)).Distinct().ToList();
            if (links.Count == 0)
            {
                problems.Add($"{kind}: no links");
            }

            foreach (var link in links)
            {
                if (link.Host == "meet.example")
                {
                    // The join link is the meeting platform's own; it must be the session's.
                    if (link.AbsoluteUri != JoinUrl)
                    {
                        problems.Add($"{kind}: a join link {link} that is not the session's");
                    }

                    continue;
                }

                followed++;
                var (status, path, html) = await OpenAsStrangerAsync(link.PathAndQuery);
                var promise = Promise(link.AbsolutePath, about);
                if (status != HttpStatusCode.OK || path.StartsWith("/signin", StringComparison.Ordinal) || !html.Contains(promise, StringComparison.Ordinal))
                {
                    problems.Add($"{kind}: {link.PathAndQuery} answered {(int)status} at {path}, {(html.Contains(promise, StringComparison.Ordinal) ? "showing" : "not showing")} “{promise}”");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(followed >= expected.Length, $"only {followed} links followed");

        static string Promise(string path, string sessionTitle) => path switch
        {
            _ when path.StartsWith("/recordings/", StringComparison.Ordinal) => $"{sessionTitle}: the recording",
            _ when path.StartsWith("/evaluations/", StringComparison.Ordinal) => sessionTitle,
            _ when path.StartsWith("/certificates/", StringComparison.Ordinal) => "Robin Diaz",
            _ when path.StartsWith("/verify/", StringComparison.Ordinal) => "revoked",
            _ when path.StartsWith("/registrations/", StringComparison.Ordinal) || path.StartsWith("/sessions/", StringComparison.Ordinal) => sessionTitle,
            "/" => "Catalog",
            _ => $"(no promise known for {path}: add it here)",
        };
    }

    private static async Task<string> RegisterAsync(HttpClient api, Guid session, string name, string email)
    {
        var response = await api.PostAsJsonAsync($"/api/sessions/{session}/registrations",
            new { name, email, agency = "County DCF", jobRole = "Supervisor", timeZone = "America/Chicago" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("manageUrl").GetString()!;
    }

    // A browser that has never signed in, following redirects the way one would.
    private async Task<(HttpStatusCode Status, string Path, string Html)> OpenAsStrangerAsync(string pathAndQuery)
    {
        using var stranger = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = true });
        using var response = await stranger.GetAsync(pathAndQuery);
        return (response.StatusCode, response.RequestMessage!.RequestUri!.AbsolutePath, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Links();
}
