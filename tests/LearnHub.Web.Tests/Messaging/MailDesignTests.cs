using System.Text.Json;
using System.Text.RegularExpressions;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Messaging;
using LearnHub.Silo.Branding;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Registrations;
using LearnHub.Web.Tests.Browser;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace LearnHub.Web.Tests.Messaging;

/// <summary>
/// Every kind of email LearnHub sends, queued in the outbox and delivered by the app's own dispatcher to the pickup
/// directory (the embedded default), then read back as the .eml file a mail client would get: each has a designed HTML
/// part and a plain-text part with the same links, a preheader, exactly one button, the organisation's logo carried
/// inline and its name, and a footer saying why it was sent. Each matches its reviewed snapshot (Snapshots/, with
/// tokens, ids and the port normalised) and is screenshotted in Chromium at 600 px and 375 px, where it must not
/// scroll sideways.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class MailDesignTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>Set to 1 to write the snapshots afresh after a reviewed change of design (then review the diff).</summary>
    private const string UpdateVariable = "LEARNHUB_UPDATE_SNAPSHOTS";

    private static readonly string Snapshots = Path.Combine(Repository.Root, "tests", "LearnHub.Web.Tests", "Messaging", "Snapshots");

    private static readonly string Output = Path.Combine(AppContext.BaseDirectory, "mail");

    private readonly string _dataDirectory = databases.NewDirectory();
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryMailKind_HasADesignedHtmlPartAndATextPartWithTheSameLinks_MatchesItsSnapshot_AndReflowsAt375px()
    {
        var mails = await DeliverOneOfEachKindAsync();
        Directory.CreateDirectory(Output);
        var problems = new List<string>();
        await using var context = await browser.Browser.NewContextAsync();
        await context.RouteAsync(url => url.StartsWith("http", StringComparison.Ordinal) && !new Uri(url).IsLoopback, route => route.AbortAsync());
        var page = await context.NewPageAsync();
        foreach (var (purpose, message) in mails)
        {
            var kind = purpose.ToWire();
            var html = message.HtmlBody ?? "";
            var text = message.TextBody ?? "";
            if (html.Length == 0 || text.Length == 0)
            {
                problems.Add($"{kind}: an HTML part ({html.Length} chars) and a text part ({text.Length} chars) are both required");
                continue;
            }

            var htmlLinks = HtmlLinks().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Where(l => !l.StartsWith("cid:", StringComparison.Ordinal)).ToHashSet();
            var textLinks = TextLinks().Matches(text).Select(m => m.Value).ToHashSet();
            if (!htmlLinks.SetEquals(textLinks) || htmlLinks.Count == 0)
            {
                problems.Add($"{kind}: the parts link differently: HTML [{string.Join(", ", htmlLinks)}], text [{string.Join(", ", textLinks)}]");
            }

            if (Regex.Matches(html, "class=\"button\"").Count != 1)
            {
                problems.Add($"{kind}: {Regex.Matches(html, "class=\"button\"").Count} buttons; one for the primary action");
            }

            if (!Regex.IsMatch(html, "<div class=\"preheader\"[^>]*>[^<]{10,}</div>"))
            {
                problems.Add($"{kind}: no preheader");
            }

            if (!html.Contains("You are getting this because", StringComparison.Ordinal) || !text.Contains("You are getting this because", StringComparison.Ordinal))
            {
                problems.Add($"{kind}: the footer does not say why it was sent");
            }

            if (!html.Contains("Northern Workforce Academy", StringComparison.Ordinal) || !text.Contains("Northern Workforce Academy", StringComparison.Ordinal))
            {
                problems.Add($"{kind}: the organisation's name is missing");
            }

            var logo = message.BodyParts.OfType<MimePart>().SingleOrDefault(p => p.ContentId == MailLayout.LogoContentId);
            if (logo is null || !html.Contains($"src=\"cid:{MailLayout.LogoContentId}\"", StringComparison.Ordinal))
            {
                problems.Add($"{kind}: the logo is not carried inline");
            }

            if (html.Contains("<style", StringComparison.Ordinal) && !Regex.IsMatch(html, "<style[^>]*>\\s*@media"))
            {
                problems.Add($"{kind}: a style element other than the narrow-screen media query was left (clients drop them; the CSS must be inline)");
            }

            problems.AddRange(CompareWithSnapshot(kind, "html", html));
            problems.AddRange(CompareWithSnapshot(kind, "txt", text));

            // What a mail client shows: the logo from the message itself.
            using var logoBytes = new MemoryStream();
            await (logo?.Content?.DecodeToAsync(logoBytes) ?? Task.CompletedTask);
            var shown = html.Replace($"cid:{MailLayout.LogoContentId}", $"data:image/png;base64,{Convert.ToBase64String(logoBytes.ToArray())}", StringComparison.Ordinal);
            await page.SetContentAsync(shown);
            foreach (var width in new[] { 600, 375 })
            {
                await page.SetViewportSizeAsync(width, 800);
                var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (scrollWidth > width)
                {
                    problems.Add($"{kind} at {width}px: scrolls sideways ({scrollWidth}px)");
                }

                await page.ScreenshotAsync(new() { Path = Path.Combine(Output, $"{kind}-{width}.png"), FullPage = true });
            }
        }

        Assert.Equal(Enum.GetValues<MailPurpose>().Order(), mails.Keys.Order());
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    // Each kind queued as the code that sends it queues it (purpose, session, registration, link, counterpart …), to a
    // recipient of its own so its .eml can be told apart; then the dispatcher delivers them all.
    private async Task<Dictionary<MailPurpose, MimeMessage>> DeliverOneOfEachKindAsync()
    {
        var services = _app.Services;
        var branding = services.GetRequiredService<BrandingStore>();
        var admin = new BrandActor(null, "admin@example.org", null);
        await branding.SaveDetailsAsync(new BrandDetails("Northern Workforce Academy", "Approved provider #4821", "Dr. Alex Rivera", "Director of Training"), admin, default);
        await branding.SetImageAsync(BrandImageKind.Logo, BrandRules.Inspect(TestImages.Png(240, 80)).Image, admin, default);

        var catalog = new GrainCatalog(services, _app.Clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap", "A webinar series."), default);
        var starts = _app.Clock.GetUtcNow().AddDays(7);
        var webinar = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Simulation Labs for Child Welfare Education",
            "How simulation labs train new workers.", starts, starts.AddMinutes(90), "America/New_York", 100, [new Presenter("Dana Ruiz", "State university")],
            JoinUrl: "https://meet.example/j/4242"), default);
        var training = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.InPersonTraining, "Transforming Services through a Trauma-Informed Approach",
            "A one-day training.", starts.AddDays(14), starts.AddDays(14).AddHours(7), "America/Chicago", 40, [], "Dane County Human Services Learning Center", "Madison, WI")
        { VenueAddress = "1202 Northport Dr" }, default);
        var desk = services.GetRequiredService<RegistrationDesk>();
        var atWebinar = await desk.RegisterAsync(webinar, new RegistrationRequest("Robin Diaz", "robin.diaz@example.org", "County DCF", "Supervisor", "America/Chicago", ""), default);
        var atTraining = await desk.RegisterAsync(training, new RegistrationRequest("Robin Diaz", "robin.diaz@example.org", "County DCF", "Supervisor", "America/Chicago", ""), default);
        var webinarRegistration = atWebinar.Receipt!.Session.RegistrationId!.Value;
        // The list mail lists what its recipient registered for.
        await desk.RegisterAsync(webinar, new RegistrationRequest("Sam Okafor", "registration-list@example.org", "County DCF", "Caseworker", "America/Chicago", ""), default);
        var trainingRegistration = atTraining.Receipt!.Session.RegistrationId!.Value;

        MailIntent Session(MailPurpose purpose, Guid session, Guid registration) =>
            new($"{purpose.ToWire()}@example.org", purpose, $"design:{purpose.ToWire()}", session, registration);
        MailIntent Account(MailPurpose purpose, string path) =>
            new($"{purpose.ToWire()}@example.org", purpose, $"design:{purpose.ToWire()}", null, webinarRegistration)
            {
                Link = $"{_baseUrl}{path}", Counterpart = "Nia Newhire <nia.newhire@example.org>", Detail = "Tuesday, December 22, 2026",
            };
        var intents = Enum.GetValues<MailPurpose>().Select(purpose => purpose switch
        {
            MailPurpose.RegistrationConfirmed or MailPurpose.Promoted or MailPurpose.Reminder or MailPurpose.SessionChanged or MailPurpose.JoinLinkChanged
                or MailPurpose.RegistrationCancelled or MailPurpose.SessionCancelled or MailPurpose.ManageLinkResent or MailPurpose.CancelledByOrganizer
                or MailPurpose.ConfirmationResent => Session(purpose, webinar, webinarRegistration),
            MailPurpose.RegistrationMoved => Session(purpose, webinar, webinarRegistration) with { Detail = "Transforming Services through a Trauma-Informed Approach" },
            MailPurpose.RegistrationList => new MailIntent("registration-list@example.org", purpose, "design:registration-list", null, null),
            MailPurpose.Waitlisted => Session(purpose, training, trainingRegistration) with { WaitlistPosition = 3 },
            MailPurpose.OrganizerMessage => Session(purpose, training, trainingRegistration) with
            {
                Message = new RegistrantMessage("Parking at the learning center", "Park in the north lot; the entrance is by the flagpole. Bring a photo ID."),
            },
            MailPurpose.RecordingReady or MailPurpose.RecordingMissed => Session(purpose, webinar, webinarRegistration) with { Link = $"{_baseUrl}/recordings/{Guid.NewGuid()}" },
            MailPurpose.ExchangePreparation => Session(purpose, webinar, webinarRegistration) with
            {
                Link = $"{_baseUrl}/recordings/{Guid.NewGuid()}", Detail = "Simulation Labs for Child Welfare Education",
            },
            MailPurpose.EvaluationRequested => Session(purpose, webinar, webinarRegistration) with { Link = $"{_baseUrl}/evaluations/{new string('e', 43)}" },
            MailPurpose.SignInLink => Account(purpose, $"/signin/link/{new string('s', 43)}"),
            MailPurpose.SignUpLink => Account(purpose, $"/signup/{new string('u', 43)}"),
            MailPurpose.PasswordReset => Account(purpose, $"/account/password/{new string('p', 43)}"),
            MailPurpose.Invitation => Account(purpose, $"/account/password/{new string('p', 43)}") with
            {
                Counterpart = "Cora Coordinator (cora.coordinator@example.org), a mentoring coordinator", Detail = "a peer mentor",
            },
            MailPurpose.MenteeAssigned or MailPurpose.MentorAssigned or MailPurpose.FollowUpEscalated => Account(purpose, $"/mentoring/{Guid.NewGuid()}"),
            MailPurpose.FollowUpDue or MailPurpose.FollowUpOverdue => Account(purpose, "/mentoring"),
            MailPurpose.CertificateIssued => Account(purpose, $"/certificates/{Guid.NewGuid()}") with { Detail = "Simulation Labs for Child Welfare Education" },
            MailPurpose.CertificateRevoked => Account(purpose, "/verify/9GJD-A72W-223P-MRC3-XGZ5-NCHV") with { Detail = "Simulation Labs for Child Welfare Education" },
            MailPurpose.AccommodationAnswered => Session(purpose, webinar, webinarRegistration),
            MailPurpose.AccommodationRequestsDigest => Account(purpose, $"/organizer/sessions/{webinar}#accommodations") with
            {
                Counterpart = "2 requests", Detail = "Simulation Labs for Child Welfare Education (1 request); Transforming Services through a Trauma-Informed Approach (1 request)",
            },
            MailPurpose.AccommodationRequestsOpen => Account(purpose, $"/organizer/sessions/{webinar}#accommodations") with
            {
                Counterpart = "Simulation Labs for Child Welfare Education", Detail = "1 request still open; it starts Tuesday, December 22, 2026 at 10:00 AM EST",
            },
            _ => throw new InvalidOperationException($"The design test does not queue {purpose} yet: add it here."),
        }).ToList();
        await using (var scope = await services.GetRequiredService<LearnHubDatabase>().BeginWriteAsync(default))
        {
            await OutboxWriter.InsertAsync(scope, intents, _app.Clock.GetUtcNow(), default);
            await scope.CommitAsync(default);
        }

        var delivered = new Dictionary<MailPurpose, MimeMessage>();
        foreach (var intent in intents)
        {
            // The list's recipient also got their registration's confirmation.
            delivered[intent.Purpose] = await _app.EmailAsync(intent.Recipient, intent.Purpose == MailPurpose.RegistrationList ? "Your LearnHub registrations" : "");
        }

        return delivered;
    }

    // The snapshot with what varies between runs normalised: the port, ids, and the random parts of links and keys.
    private IEnumerable<string> CompareWithSnapshot(string kind, string extension, string content)
    {
        var normal = Normalise(content.Replace(_baseUrl, "http://learnhub.test", StringComparison.Ordinal));
        var path = Path.Combine(Snapshots, $"{kind}.{extension}");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Snapshots);
            File.WriteAllText(path, normal);
            yield break;
        }

        if (!File.Exists(path) || File.ReadAllText(path) != normal)
        {
            var received = Path.Combine(Output, $"{kind}.received.{extension}");
            File.WriteAllText(received, normal);
            yield return $"{kind}.{extension} differs from its snapshot ({received}); if the change is intended, run with {UpdateVariable}=1 and review the diff";
        }
    }

    private static string Normalise(string content) =>
        Keys().Replace(Guids().Replace(content.ReplaceLineEndings("\n"), "{id}"), "${1}{key}");

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex HtmlLinks();

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex TextLinks();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guids();

    // Manage tokens, certificate keys and media passes are random on every run.
    [GeneratedRegex(@"(registrations/|key=|pass=)([A-Za-z0-9_\-]{16,})")]
    private static partial Regex Keys();
}
