using System.Net;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Certificates;

/// <summary>The certificate, verification and transcript pages on SQLite, the embedded default.</summary>
public sealed class SqliteCertificatePagesTests(DatabaseFixture fixture) : CertificatePagesTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The same pages on PostgreSQL.</summary>
public sealed class PostgresCertificatePagesTests(DatabaseFixture fixture) : CertificatePagesTests(fixture, DatabaseProvider.PostgreSql);

/// <summary>Certificates as their owner, other learners, organizers and the public see them.</summary>
[Collection(DatabaseCollection.Name)]
public abstract class CertificatePagesTests(DatabaseFixture fixture, DatabaseProvider provider) : IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.PostgreSql ? await fixture.Postgres.CreateDatabaseAsync() : null;
        _app = new LearnHubWebFactory(fixture.NewDirectory(), provider, connectionString);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheOwner_SeesTheirCertificate_WithEverythingItCertifies_AndHowToPrintIt()
    {
        var learner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs for Child Welfare", 150);
        await CertificateSetup.AttendAsync(_app, session, learner.ToUpperInvariant(), "Robin Diaz");
        var certificate = await CertificateSetup.CertificateAsync(_app, learner, session);

        var html = await (await _app.SignedInClientAsync(learner)).GetStringAsync($"/certificates/{certificate.Id}");

        foreach (var part in new[] { "Robin Diaz", "Simulation Labs for Child Welfare", "1.50", "Approved by the State Board of Social Work.", certificate.Code,
            "id=\"print-certificate\"", "Save as PDF", "/css/certificate.css", "/js/print.js" })
        {
            Assert.Contains(part, html, StringComparison.Ordinal);
        }

        Assert.Contains(_app.Clock.GetUtcNow().AddDays(-3).ToString("MMMM d, yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-US")), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherLearner_GetsNotFound_ButOrganizersMayOpenIt_AndStrangersMustSignIn()
    {
        var owner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 100);
        await CertificateSetup.AttendAsync(_app, session, owner);
        var certificate = await CertificateSetup.CertificateAsync(_app, owner, session);
        var path = $"/certificates/{certificate.Id}";

        var other = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/certificates/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer))).GetAsync(path)).StatusCode);
        var anonymous = await _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_SaysValid_ShowingWhatTheCertificateShows_ButNeverTheEmail()
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 225);
        await CertificateSetup.AttendAsync(_app, session, "robin.secret@example.org", "Robin Diaz");
        var certificate = await CertificateSetup.CertificateAsync(_app, "robin.secret@example.org", session);

        var html = await _app.CreateClient().GetStringAsync($"/verify/{certificate.Code}");

        Assert.Contains("data-outcome=\"valid\"", html, StringComparison.Ordinal);
        Assert.Contains("Robin Diaz", html, StringComparison.Ordinal);
        Assert.Contains("2.25", html, StringComparison.Ordinal);
        Assert.DoesNotContain("robin.secret", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@example.org", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheVerificationForm_AcceptsACodeInLowerCaseWithoutHyphens_AndGoesToItsAddress()
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 100);
        await CertificateSetup.AttendAsync(_app, session, "pat@example.org");
        var certificate = await CertificateSetup.CertificateAsync(_app, "pat@example.org", session);
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var typed = certificate.Code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        var response = await client.GetAsync($"/verify?q={typed}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/verify/{certificate.Code}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Verification_SaysRevokedWithTheDate_WhenAttendanceWasCorrected()
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 100);
        var registration = await CertificateSetup.AttendAsync(_app, session, "kim@example.org");
        var certificate = await CertificateSetup.CertificateAsync(_app, "kim@example.org", session);
        _app.Clock.Advance(TimeSpan.FromDays(2));
        await CertificateSetup.AttendAsync(_app, session, "kim@example.org", attended: false, registration: registration, reason: "Matched the wrong participant.");

        var html = await _app.CreateClient().GetStringAsync($"/verify/{certificate.Code}");

        Assert.Contains("data-outcome=\"revoked\"", html, StringComparison.Ordinal);
        Assert.Contains($"revoked on <time datetime=\"{_app.Clock.GetUtcNow():yyyy-MM-dd}\">", html, StringComparison.Ordinal);
        // The reason concerns the person's attendance record: the certificate never showed it, so neither does the public page.
        Assert.DoesNotContain("wrong participant", html, StringComparison.Ordinal);

        var told = await _app.EmailAsync("kim@example.org", "Certificate withdrawn: Simulation Labs");
        Assert.Contains($"/verify/{certificate.Code}", told.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong participant", told.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_TellsAnUnknownCodeFromAMistypedOne()
    {
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 100);
        await CertificateSetup.AttendAsync(_app, session, "lee@example.org");
        var real = (await CertificateSetup.CertificateAsync(_app, "lee@example.org", session)).Code;
        var typo = (real[0] == 'A' ? 'B' : 'A') + real[1..];
        var client = _app.CreateClient();

        var unknown = await client.GetStringAsync($"/verify/{CertificateCode.New()}");
        var malformed = await client.GetStringAsync($"/verify/{typo}");
        var garbage = await client.GetStringAsync($"/verify?q={Uri.EscapeDataString("<script>x</script>")}");

        Assert.Contains("data-outcome=\"unknown\"", unknown, StringComparison.Ordinal);
        Assert.Contains("No certificate has this code", unknown, StringComparison.Ordinal);
        Assert.Contains("data-outcome=\"malformed\"", malformed, StringComparison.Ordinal);
        Assert.Contains("This is not a valid code", malformed, StringComparison.Ordinal);
        Assert.Contains("data-outcome=\"malformed\"", garbage, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>x", garbage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTranscript_ListsEveryCertificate_TotalsOnlyValidHours_AndExportsCsv()
    {
        var learner = await _app.AccountAsync(Role.Learner);
        var a = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 150);
        var b = await CertificateSetup.PastSessionAsync(_app, "=HYPERLINK(\"x\") Supervision", 225);
        var c = await CertificateSetup.PastSessionAsync(_app, "Revoked Training", 300);
        await CertificateSetup.AttendAsync(_app, a, learner);
        await CertificateSetup.AttendAsync(_app, b, learner);
        var wrong = await CertificateSetup.AttendAsync(_app, c, learner);
        await CertificateSetup.AttendAsync(_app, c, learner, attended: false, registration: wrong);
        var someoneElse = await _app.AccountAsync(Role.Learner);
        await CertificateSetup.AttendAsync(_app, a, someoneElse);
        var client = await _app.SignedInClientAsync(learner);

        var html = await client.GetStringAsync("/my-learning/transcript");
        var csv = await client.GetStringAsync("/my-learning/transcript/csv");

        Assert.Contains("<strong>3.75</strong>", html, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(html, "data-live=").Count);
        Assert.Contains("Revoked", html, StringComparison.Ordinal);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Revoked Training,session,live,", StringComparison.Ordinal) && l.Contains(",3.00,revoked,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK", StringComparison.Ordinal));
        Assert.Equal("Total CE hours (valid certificates),,,,3.75,,,,", lines[^1]);
        Assert.Contains("/my-learning/transcript", await client.GetStringAsync("/my-learning"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCertificateEmail_CarriesTheLinkToTheCertificate()
    {
        var learner = await _app.AccountAsync(Role.Learner);
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 150);
        await CertificateSetup.AttendAsync(_app, session, learner);
        var certificate = await CertificateSetup.CertificateAsync(_app, learner, session);

        var mail = await _app.EmailAsync(learner, "Your certificate: Simulation Labs");

        Assert.Contains($"/certificates/{certificate.Id}", mail.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Hello Test Person,", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEmailedLink_OpensTheCertificateWithoutAnAccount_AndItsKeyOpensNoOtherCertificate()
    {
        // Most registrants have no account: they registered with an email address alone.
        const string noAccount = "noa.nobody@example.org";
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 150);
        var registration = await CertificateSetup.AttendAsync(_app, session, noAccount, "Noa Nobody");
        await CertificateSetup.AttendAsync(_app, session, "other.person@example.org", "Other Person");
        var mine = await CertificateSetup.CertificateAsync(_app, noAccount, session);
        var theirs = await CertificateSetup.CertificateAsync(_app, "other.person@example.org", session);

        var mail = await _app.EmailAsync(noAccount, "Your certificate: Simulation Labs");
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"https?://\S+/certificates/\S+").Value);
        var key = System.Web.HttpUtility.ParseQueryString(link.Query)[CertificateKeys.Parameter];
        var anonymous = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var opened = await anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("Noa Nobody", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/certificates/{mine.Id}")).StatusCode);
        foreach (var wrong in new[] { $"/certificates/{theirs.Id}?key={key}", $"/certificates/{mine.Id}?key={key![..^2]}xx" })
        {
            var refused = await anonymous.GetAsync(wrong);
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
            Assert.DoesNotContain("Other Person", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The key is made when the mail is composed: the outbox row never held it.
        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            var stored = await connection.QuerySingleAsync<string>("SELECT data FROM outbox_messages WHERE purpose = 'certificate-issued' AND recipient = @noAccount", new { noAccount });
            Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        }

        // The registration's private manage link shows the certificate too, with a working key.
        string group;
        await using (var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default))
        {
            group = await connection.QuerySingleAsync<string>("SELECT group_id FROM registrations WHERE id = @id", new { id = registration.ToString() });
        }

        var token = _app.Services.GetRequiredService<Silo.Registrations.ManageLinks>().TokenFor(new Grains.Registrations.RegistrationGroup(Guid.Parse(group), "secret"));
        var manage = await anonymous.GetStringAsync($"/registrations/{token}");
        var fromManage = System.Text.RegularExpressions.Regex.Match(manage, "href=\"(/certificates/[^\"]+)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(System.Net.WebUtility.HtmlDecode(fromManage))).StatusCode);
    }

    [Fact]
    public async Task AnOrganizer_CreatesACourseFromSessions_AndSeesWhoCompletedHowMany()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var week1 = await CertificateSetup.PastSessionAsync(_app, "Week 1", 150);
        var week2 = await CertificateSetup.PastSessionAsync(_app, "Week 2", 150);
        await CertificateSetup.AttendAsync(_app, week1, "both@example.org", "Both Weeks");
        await CertificateSetup.AttendAsync(_app, week2, "both@example.org", "Both Weeks");
        await CertificateSetup.AttendAsync(_app, week1, "one@example.org", "One Week");

        // Two checked boxes share a name, so the form is posted as pairs.
        var token = Forms.AntiforgeryToken(await organizer.GetStringAsync("/organizer/courses/new"));
        var response = await organizer.PostAsync("/organizer/courses/new", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token), new("Title", "Certified Peer Specialist"), new("Description", "Eight **weeks**. <script>alert(1)</script>"),
            new("CeHours", "12.5"), new("Statement", "Certified by the Peer Board."), new("Sessions", week1.ToString()), new("Sessions", week2.ToString()),
        ]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await organizer.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("<strong>weeks</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("<td>Both Weeks</td><td>both@example.org</td><td>2 of 2</td><td>Issued (", page, StringComparison.Ordinal);
        Assert.Contains("<td>One Week</td><td>one@example.org</td><td>1 of 2</td><td>Not yet</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACourseWithBadFields_IsRefusedWithLinkedErrors_AndNothingIsStored()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));

        var response = await Forms.PostAsync(organizer, "/organizer/courses/new", "/organizer/courses/new", new()
        {
            ["Title"] = "",
            ["CeHours"] = "100",
            ["Sessions"] = Guid.NewGuid().ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#f-title\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-ceHours\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-sessions\">", html, StringComparison.Ordinal);
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM courses"));
    }

    [Fact]
    public async Task ALearner_CannotReachTheCoursePages()
    {
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var session = await CertificateSetup.PastSessionAsync(_app, "Week 1", 150);
        var course = await _app.Services.GetRequiredService<CertificateStore>().CreateCourseAsync(new CourseDraft("Kept", "", "1", "", [session]), null, default);

        foreach (var path in new[] { "/organizer/courses", "/organizer/courses/new", $"/organizer/courses/{course}", $"/organizer/courses/{course}/edit" })
        {
            var response = await learner.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // A post straight to the edit page is refused by the policy before anything else runs, and changes nothing.
        var post = await learner.PostAsync($"/organizer/courses/{course}/edit", new FormUrlEncodedContent(
            [new("Title", "Taken"), new("CeHours", "1"), new("Sessions", session.ToString())]));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/denied", post.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("Kept", (await _app.Services.GetRequiredService<CertificateStore>().FindCourseAsync(course, default))!.Title);
    }

    [Fact]
    public async Task AnOrganizer_EditsACourseFromItsPage_AndRemovingARequirementCertifiesWhoNowCompletedIt()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var week1 = await CertificateSetup.PastSessionAsync(_app, "Week 1", 150);
        var week2 = await CertificateSetup.PastSessionAsync(_app, "Week 2", 150);
        await CertificateSetup.AttendAsync(_app, week1, "one@example.org", "One Week");
        var course = await _app.Services.GetRequiredService<CertificateStore>().CreateCourseAsync(
            new CourseDraft("Two Weeks", "Both **weeks**.", "3", "Old statement.", [week1, week2]), null, default);
        var show = await organizer.GetStringAsync($"/organizer/courses/{course}");
        Assert.Contains($"href=\"/organizer/courses/{course}/edit\"", show, StringComparison.Ordinal);

        var form = await organizer.GetStringAsync($"/organizer/courses/{course}/edit");
        foreach (var part in new[] { "value=\"Two Weeks\"", ">Both **weeks**.</textarea>", "value=\"3.00\"", ">Old statement.</textarea>",
            $"value=\"{week1}\" id=\"f-session-{week1}\" checked=\"checked\"", $"value=\"{week2}\" id=\"f-session-{week2}\" checked=\"checked\"" })
        {
            Assert.Contains(part, form, StringComparison.Ordinal);
        }

        var response = await organizer.PostAsync($"/organizer/courses/{course}/edit", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Forms.AntiforgeryToken(form)), new("Title", "One Week"), new("Description", "Just **one**. <script>alert(1)</script>"),
            new("CeHours", "1.5"), new("Statement", "New statement."), new("Sessions", week1.ToString()),
        ]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/organizer/courses/{course}", response.Headers.Location!.OriginalString);
        var page = await organizer.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Saved the course: title", page, StringComparison.Ordinal);
        Assert.Contains("<strong>one</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("<td>One Week</td><td>one@example.org</td><td>1 of 1</td><td>Issued (", page, StringComparison.Ordinal);
        var certificate = Assert.Single(await _app.Services.GetRequiredService<CertificateStore>().ForPersonAsync("one@example.org", default), c => c.Kind == CertificateKind.Course);
        Assert.Equal(("One Week", 150, "New statement."), (certificate.TrainingTitle, certificate.CeHoursCenti, certificate.Statement));
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'course.edited' AND object_id = @id", new { id = course.ToString() }));
    }

    [Fact]
    public async Task ACourseEditWithBadFields_IsRefusedWithLinkedErrorsAsTyped_AndChangesNothing()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var week1 = await CertificateSetup.PastSessionAsync(_app, "Week 1", 150);
        var store = _app.Services.GetRequiredService<CertificateStore>();
        var course = await store.CreateCourseAsync(new CourseDraft("Two Weeks", "", "3", "", [week1]), null, default);
        var path = $"/organizer/courses/{course}/edit";

        var response = await Forms.PostAsync(organizer, path, path, new()
        {
            ["Title"] = "",
            ["CeHours"] = "1.234",
            ["Statement"] = "Typed statement",
            ["Sessions"] = Guid.NewGuid().ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-title\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-ceHours\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#f-sessions\">", html, StringComparison.Ordinal);
        Assert.Contains("value=\"1.234\"", html, StringComparison.Ordinal);
        Assert.Contains(">Typed statement</textarea>", html, StringComparison.Ordinal);
        var stored = (await store.FindCourseAsync(course, default))!;
        Assert.Equal(("Two Weeks", 300, week1), (stored.Title, stored.CeHoursCenti, Assert.Single(stored.Sessions).Id));
        Assert.Equal(HttpStatusCode.NotFound, (await organizer.GetAsync($"/organizer/courses/{Guid.NewGuid()}/edit")).StatusCode);
    }

    [Fact]
    public async Task TheSessionForm_SetsCeHours_AndRefusesMoreThanTwoDecimals()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var session = await CertificateSetup.PastSessionAsync(_app, "Simulation Labs", 0);
        var store = _app.Services.GetRequiredService<CertificateStore>();
        var path = $"/organizer/sessions/edit/{session}";
        Dictionary<string, string> Fields(string hours) => new()
        {
            ["Form.Kind"] = "national-webinar", ["Form.Title"] = "Simulation Labs", ["Form.Description"] = "About it.", ["Form.Capacity"] = "50", ["CeHours"] = hours,
        };

        var refused = await Forms.PostAsync(organizer, path, path, Fields("1.255"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<a href=\"#f-ceHours\">", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await store.SessionCeHoursAsync(session, default));

        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(organizer, path, path, Fields("1.25"))).StatusCode);
        Assert.Equal(125, await store.SessionCeHoursAsync(session, default));
        Assert.Contains("value=\"1.25\"", await organizer.GetStringAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSeriesForm_SetsTheEvaluationRequirementAndTheStatement()
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var (series, _, _) = await _app.SeriesWithWebinarAsync();
        var path = $"/organizer/series/edit/{series}";

        var response = await Forms.PostAsync(organizer, path, path, new()
        {
            ["Title"] = "Mind the Gap", ["Description"] = "A series.", ["EvaluationRequired"] = "true", ["CertificateStatement"] = "Approved for CE by the Board.",
            ["AttendanceThresholdPercent"] = "80",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new SeriesTraining(80, true, "Approved for CE by the Board.", new SelfStudyRule()),
            await _app.Services.GetRequiredService<CertificateStore>().SeriesSettingsAsync(series, default));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("seventy")]
    [InlineData("")]
    public async Task TheSeriesForm_RefusesAThresholdOutsideOneToAHundred_AndSavesNothing(string threshold)
    {
        var organizer = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Organizer));
        var (series, _, _) = await _app.SeriesWithWebinarAsync();
        var path = $"/organizer/series/edit/{series}";

        var response = await Forms.PostAsync(organizer, path, path, new()
        {
            ["Title"] = "A new title", ["Description"] = "A series.", ["EvaluationRequired"] = "true", ["AttendanceThresholdPercent"] = threshold,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter an attendance threshold from 1 to 100 percent.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(new SeriesTraining(SelfStudy: new SelfStudyRule()), await _app.Services.GetRequiredService<CertificateStore>().SeriesSettingsAsync(series, default));
        Assert.Equal("Mind the Gap", (await _app.Services.GetRequiredService<Silo.Catalog.CatalogStore>().FindSeriesForOrganizersAsync(series, default))!.Title);
    }
}
