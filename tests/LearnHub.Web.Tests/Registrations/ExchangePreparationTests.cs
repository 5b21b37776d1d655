using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Silo.Media;
using LearnHub.Silo.Sessions;
using LearnHub.Testing;
using LearnHub.Web.Tests.Pages.Certificates;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Registrations;

/// <summary>
/// Learning Exchange preparation (issue 14): a registrant brings a question or case while registering or later from
/// the manage link (plain text, length-limited, never HTML, until the exchange starts); organizers list it and export
/// it; exchange registrants see the webinar's recording and handouts on their manage page; and two days before, those
/// who missed the webinar get one mail whose link opens its recording without an account.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class ExchangePreparationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Kim = "kim.nguyen@example.org";
    private LearnHubWebFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new LearnHubWebFactory(fixture.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ARegistrantBringsAQuestion_SeesTheWebinarsMaterials_AndIsMailedTheRecordingTwoDaysBefore_IfTheyMissedTheWebinar()
    {
        // A webinar three days ago, with a published recording and a handout; its exchange tomorrow.
        var webinar = await CertificateSetup.PastSessionAsync(_app, "Motivational Interviewing", 150);
        var sessions = _app.Services.GetRequiredService<SessionDirectory>();
        var series = (await sessions.ViewAsync(webinar, default))!.SeriesId;
        var now = _app.Clock.GetUtcNow();
        var exchange = await new GrainCatalog(_app.Services, _app.Clock).CreateSessionAsync(new SessionDraft(series, SessionKind.LearningExchange,
            "Learning Exchange: Motivational Interviewing", "A facilitated discussion.", now.AddDays(1), now.AddDays(1).AddHours(1), "America/New_York", 20, [],
            WebinarId: webinar), default);
        var grains = _app.Services.GetRequiredService<Orleans.IGrainFactory>();
        var files = _app.Services.GetRequiredService<MediaFiles>();
        var media = grains.GetGrain<ISessionMediaGrain>(webinar);
        var recording = (await media.AddAsync(new MediaDraft(webinar, MediaKind.Recording, "MI in practice", MediaVisibility.Registrants, "mi.webm", "video/webm",
            await files.StoreTextAsync("a recording", default), 11) { LengthSeconds = 60 })).MediaId!.Value;
        await media.PublishRecordingAsync(recording);
        await media.AddAsync(new MediaDraft(webinar, MediaKind.Handout, "OARS cheat sheet", MediaVisibility.Registrants, "oars.txt", "text/plain",
            await files.StoreTextAsync("Open questions, affirmations, reflections, summaries.", default), 52));
        // Pat attended the webinar and registered for the exchange too: Pat gets no preparation mail.
        await CertificateSetup.AttendAsync(_app, webinar, "pat.okafor@example.org", "Pat Okafor");
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = $"/sessions/{exchange}";
        Assert.Equal(HttpStatusCode.Redirect, (await Register(client, page, "Pat Okafor", "pat.okafor@example.org", "")).StatusCode);

        // Too long: refused, nothing registered. Then Kim registers, bringing a case (markup stays text).
        var tooLong = await Register(client, page, "Kim Nguyen", Kim, new string('x', 2001));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Keep your question or case to 2,000 characters (it has 2,001).", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var registered = await Register(client, page, "Kim Nguyen", Kim, "A parent who says <b>\"we're fine\"</b>:\nhow do I reflect that?");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var manage = registered.Headers.Location!.OriginalString.Replace("/confirmation", "", StringComparison.Ordinal);

        var html = await client.GetStringAsync(manage);
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains("&lt;b&gt;&quot;we&#x27;re fine&quot;&lt;/b&gt;:", html, StringComparison.Ordinal);
        Assert.Contains("A parent who says <b>\"we're fine\"</b>:\nhow do I reflect that?</textarea>", text, StringComparison.Ordinal);
        Assert.Contains("To prepare: the webinar “Motivational Interviewing”", text, StringComparison.Ordinal);
        var watch = System.Text.RegularExpressions.Regex.Match(html, $@"/recordings/{recording}\?pass=[^""]+").Value.Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(watch)).StatusCode);
        Assert.Contains("OARS cheat sheet", html, StringComparison.Ordinal);

        // Changed from the manage link; the organizer sees it, as text, and exports it (on the record).
        var registration = System.Text.RegularExpressions.Regex.Match(html, @"name=""registration"" value=""([0-9a-f-]+)""").Groups[1].Value;
        var saved = await Forms.PostAsync(client, manage, manage + "?handler=Preparation", new() { ["registration"] = registration, ["text"] = "How do I reflect <i>resistance</i>?" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var sessionPage = await organizer.GetStringAsync($"/organizer/sessions/{exchange}");
        Assert.Contains("Questions and cases brought (1)", sessionPage, StringComparison.Ordinal);
        Assert.Contains("How do I reflect &lt;i&gt;resistance&lt;/i&gt;?", sessionPage, StringComparison.Ordinal);
        var csv = await organizer.GetStringAsync($"/organizer/sessions/{exchange}/preparations.csv");
        Assert.Contains("Kim Nguyen,kim.nguyen@example.org,How do I reflect <i>resistance</i>?,", csv, StringComparison.Ordinal);

        // Two days before (it is tomorrow): one mail, to Kim only, however often the job runs.
        var job = _app.Services.GetRequiredService<ExchangePreparationMail>();
        Assert.Equal(1, await job.QueueDueAsync(default));
        Assert.Equal(0, await job.QueueDueAsync(default));
        using (var mail = await _app.EmailAsync(Kim, "Before the Learning Exchange"))
        {
            Assert.Contains("Motivational Interviewing", mail.TextBody, StringComparison.Ordinal);
            var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"https?://\S+/recordings/\S+").Value;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(link).PathAndQuery)).StatusCode);
        }

        // Once the exchange has started, the question stands as it was.
        _app.Clock.Advance(TimeSpan.FromDays(1.01));
        var late = await Forms.PostAsync(client, manage, manage + "?handler=Preparation", new() { ["registration"] = registration, ["text"] = "Too late" });
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("This Learning Exchange has started: questions and cases can no longer be changed.", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("How do I reflect <i>resistance</i>?",
            Assert.Single(await _app.Services.GetRequiredService<Grains.Sessions.IExchangePreparationStore>().ForSessionAsync(exchange, default)).Text);
    }

    private static Task<HttpResponseMessage> Register(HttpClient client, string page, string name, string email, string preparation) =>
        Forms.PostAsync(client, page, page, new()
        {
            ["Form.Name"] = name, ["Form.Email"] = email, ["Form.Agency"] = "County DCF", ["Form.JobRole"] = "Caseworker", ["Form.TimeZone"] = "America/New_York",
            ["Form.Preparation"] = preparation,
        });
}
