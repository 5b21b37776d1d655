using System.Text.RegularExpressions;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Branding;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Grains.Mentoring;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Branding;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Certificates;
using LearnHub.Silo.Media;
using LearnHub.Silo.Mentoring;
using LearnHub.Testing;
using LearnHub.Web.Pages.Organizer;
using LearnHub.Web.Registrations;
using LearnHub.Web.Tests.Media;
using LearnHub.Web.Tests.Pages.Certificates;
using LearnHub.Web.Tests.Pages.Evaluations;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Browser;

/// <summary>One page to sweep: who opens it, a name for its screenshot, its path, and the status it answers with.</summary>
internal sealed record SweptPage(string Role, string Name, string Path, int Status = 200);

/// <summary>
/// A small but complete LearnHub: a brand with logo and signature, upcoming webinars, a full learning exchange with
/// a waitlist, an in-person training with its address, a past session with attendance, certificates, an answered
/// evaluation, a handout and a captioned recording, a cohort course, and a mentorship: so every page has content.
/// </summary>
internal sealed class SweepWorld
{
    public Dictionary<string, string> Emails { get; } = [];

    public List<SweptPage> Pages { get; } = [];

    public static async Task<SweepWorld> BuildAsync(LearnHubWebFactory app, string baseUrl)
    {
        var world = new SweepWorld();
        var services = app.Services;
        var accounts = services.GetRequiredService<AccountStore>();
        async Task<Account> PersonAsync(string role, string email, string name, params Role[] roles)
        {
            var created = await accounts.CreateAsync(email, name, LearnHubWebFactory.Password, roles, default);
            world.Emails[role] = email;
            return created.Account ?? throw new InvalidOperationException(string.Join("; ", created.Errors.Values));
        }

        var admin = await PersonAsync("admin", "avery.admin@example.org", "Avery Admin", Role.Admin);
        var organizer = await PersonAsync("organizer", "olu.organizer-with-a-long-address@human-services.example.org", "Olu Organizer", Role.Organizer);
        await PersonAsync("coordinator", "cora.coordinator@example.org", "Cora Coordinator", Role.Coordinator);
        var mentor = await PersonAsync("mentor", "maya.mentor@example.org", "Maya Mentor", Role.Mentor);
        var learner = await PersonAsync("learner", "robin.diaz@county-family-services.example.org", "Robin Diaz", Role.Learner);

        var branding = services.GetRequiredService<BrandingStore>();
        var actor = new BrandActor(admin.Id, admin.Email, "127.0.0.1");
        await branding.SaveDetailsAsync(new BrandDetails("Northern Workforce Academy", "Approved provider #4821, State Board of Social Work", "Dr. Alex Rivera", "Director of Training"), actor, default);
        await branding.SetImageAsync(BrandImageKind.Logo, BrandRules.Inspect(TestImages.Png(240, 80)).Image, actor, default);
        await branding.SetImageAsync(BrandImageKind.Signature, BrandRules.Inspect(TestImages.Png(300, 90, (20, 20, 20))).Image, actor, default);

        var catalog = new GrainCatalog(services, app.Clock);
        var now = app.Clock.GetUtcNow();
        var series = await catalog.CreateSeriesAsync(new SeriesDraft("mind-the-gap", "Mind the Gap",
            "A national webinar series on the child-welfare workforce, each instalment followed by a small-group **Learning Exchange**.", ["youth", "older-adult"]), default);
        var webinar = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar,
            "Transforming Child Welfare Decision-making through Modern Technology & Data Analytics",
            "How agencies use data to decide better and faster.", now.AddDays(7), now.AddDays(7).AddMinutes(90), "America/New_York", 1000,
            [new Presenter("Dana Ruiz", "State child-welfare data and analytics team", "Dana leads the **analytics** team.")])
        {
            // Recorded and asking for consent: its page, registration form, manage and details pages and the organizer's
            // list are swept with the recording notice, the consent question and the answers.
            Recorded = true,
            RecordingConsentRequired = true,
        }, default);
        var exchange = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.LearningExchange, "Learning Exchange: Modern Technology & Data Analytics",
            "A facilitated discussion of the webinar.", now.AddDays(14), now.AddDays(14).AddHours(1), "America/New_York", 1, [], WebinarId: webinar), default);
        var training = await catalog.CreateSeriesAsync(new SeriesDraft("trauma-informed", "Transforming Services through a Trauma-Informed Approach",
            "A one-day in-person training held in several cities.", ["forensic"]), default);
        var inPerson = await catalog.CreateSessionAsync(new SessionDraft(training, SessionKind.InPersonTraining, "Transforming Services through a Trauma-Informed Approach",
            "What trauma does to the people we serve.", now.AddDays(21), now.AddDays(21).AddHours(7), "America/Chicago", 40,
            [new Presenter("Trauma-informed care trainers", "Training team")], "Dane County Human Services Learning Center", "Madison, WI")
        { VenueAddress = "1202 Northport Dr" }, default);

        var desk = services.GetRequiredService<RegistrationDesk>();
        await desk.RegisterAsync(exchange, new RegistrationRequest("Sam Early", "sam.early@example.org", "County DCF", "Caseworker", "America/Chicago", "", false), default);
        var registered = await desk.RegisterAsync(webinar, new RegistrationRequest("Robin Diaz", learner.Email, "County Family Services", "Supervisor",
            "America/Chicago", "Captions, please.", IncludeLearningExchange: true, RecordingConsent: false), default);
        var manage = $"/registrations/{registered.ManageToken}";
        // The learner holds a seat at the webinar and waits for the full exchange: the organizer's registrant page in both states.
        var (registrant, waitingRegistrant) = (registered.Receipt!.Session.RegistrationId!.Value, registered.Receipt.LearningExchange!.RegistrationId!.Value);
        // More registrants than the organizer's list shows on a page, so its pager is swept too.
        var webinarGrain = services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionGrain>(webinar);
        for (var i = 1; i <= SessionModel.RegistrantsPerPage + 5; i++)
        {
            await webinarGrain.RegisterAsync(Applicant.Validate($"Registrant {i:00}", $"registrant{i:00}@example.org", "County DCF", "Caseworker",
                "America/Chicago", null).Applicant! with { RecordingConsent = i % 3 != 0 }, false);
        }

        // A session that took place: the learner attended (a certificate), a colleague attended and evaluated it.
        // Its series grants self-study credit, and the session has a knowledge check: the watch pages show where each
        // viewer stands, and a registrant who missed it and played a clip through is offered the check.
        var past = await CertificateSetup.PastSessionAsync(app, "Simulation Labs for Child Welfare Education", 150,
            "This program is approved by the State Board of Social Work for 1.5 continuing-education hours.", new SelfStudyRule(Enabled: true));
        await services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<Grains.Certificates.IKnowledgeCheckGrain>(past).SaveAsync(new([
            new("visit", "What does a simulation lab rehearse?", ["A home visit", "A court hearing", "A budget meeting"], 0),
            new("debrief", "When does the debrief happen?", ["Before the scenario", "Right after the scenario"], 1),
            new("safety", "Who plays the family?", ["Trained actors", "Other students"], 0),
        ]), null);
        var missedSeat = await CertificateSetup.AttendAsync(app, past, "lee.park@example.org", "Lee Park", attended: false);
        var learnerSeat = await CertificateSetup.AttendAsync(app, past, learner.Email, "Robin Diaz");
        await CertificateSetup.AttendAsync(app, past, "pat.okafor@example.org", "Pat Okafor");
        var certificate = await CertificateSetup.CertificateAsync(app, learner.Email, past);
        var survey = new Uri(await app.EmailedLinkAsync(learner.Email, "/evaluations/")).AbsolutePath;
        var colleagueSurvey = new Uri(await app.EmailedLinkAsync("pat.okafor@example.org", "/evaluations/")).AbsolutePath;
        // The app listens on Kestrel for the browser, so the setup's own requests go there too.
        HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        using var anonymous = Client();
        await Forms.PostAsync(anonymous, colleagueSurvey, colleagueSurvey,
            Attendees.Answers(mostUseful: "The case walkthroughs.", suggestions: "More time for questions."));
        var certificateMail = await app.EmailAsync(learner.Email, "Your certificate");
        var keyedCertificate = new Uri(Regex.Match(certificateMail.TextBody ?? "", @"https?://\S+/certificates/\S+").Value).PathAndQuery;

        using var organizerClient = Client();
        await LearnHubWebFactory.SignInAsync(organizerClient, organizer.Email, LearnHubWebFactory.Password);
        await MediaUploadTests.UploadAsync(organizerClient, past, "Handout", new() { ["Title"] = "Slides", ["Visibility"] = "registrants" },
            ("File", "slides.pdf", MediaUploadTests.Pdf));
        await MediaUploadTests.UploadAsync(organizerClient, past, "Recording",
            new() { ["Title"] = "Session recording", ["Visibility"] = "registrants", ["ExternalUrl"] = "https://www.youtube.com/watch?v=M7lc1UVf-VE" },
            ("Captions", "captions.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWelcome to the simulation lab.\n\n00:00:05.000 --> 00:00:09.000\nToday we walk through a home visit.\n"u8.ToArray()));
        var pastMedia = services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<ISessionMediaGrain>(past);
        var recording = (await pastMedia.ItemsAsync()).Single(m => m.Kind == MediaKind.Recording);
        await pastMedia.PublishRecordingAsync(recording.Id);
        // A stored recording of known length that the learner watched part of: the organizer's viewing page has its
        // figures, chart and a viewer, and the learner's watch page says how much they watched.
        await MediaUploadTests.UploadAsync(organizerClient, past, "Recording", new() { ["Title"] = "Home visit walkthrough", ["Visibility"] = "registrants" },
            ("Video", "walkthrough.webm", TestVideos.WebM(TimeSpan.FromMinutes(20))));
        var watched = (await pastMedia.ItemsAsync()).Single(m => m.Title == "Home visit walkthrough");
        await pastMedia.PublishRecordingAsync(watched.Id);
        var seat = new Watcher(learnerSeat, null);
        await services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<IRecordingViewGrain>(seat.GrainKey(watched.Id))
            .ReportAsync(seat, [new PlayedSpan(0, 60), new PlayedSpan(300, 340)], watched.LengthSeconds!.Value);
        await MediaUploadTests.UploadAsync(organizerClient, past, "Recording", new() { ["Title"] = "Practice clip", ["Visibility"] = "registrants" },
            ("Video", "clip.webm", TestVideos.WebM(TimeSpan.FromSeconds(30))));
        var clip = (await pastMedia.ItemsAsync()).Single(m => m.Title == "Practice clip");
        await pastMedia.PublishRecordingAsync(clip.Id);
        var missed = new Watcher(missedSeat, null);
        await services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<IRecordingViewGrain>(missed.GrainKey(clip.Id))
            .ReportAsync(missed, [new PlayedSpan(0, 30)], clip.LengthSeconds!.Value);
        var clipPass = Uri.EscapeDataString(services.GetRequiredService<MediaPasses>().Issue(missedSeat, clip.Id));
        var course = await services.GetRequiredService<CertificateStore>().CreateCourseAsync(
            new CourseDraft("Certified Peer Specialist", "Eight weeks of peer-support practice.", "12", "Completed the certification course.", [past]), organizer.Id, default);

        var mentoring = services.GetRequiredService<MentoringStore>();
        await mentoring.SaveProfileAsync(new MentorProfile(mentor.Id, "Illinois DCFS", "Midwest", ["youth"], ["English", "Spanish"], "America/Chicago", 4, true), default);
        var (_, mentorship) = await mentoring.AssignAsync(mentor.Id, learner.Id, false, default);
        await accounts.CreateAsync("nia.newhire@example.org", "Nia Newhire", LearnHubWebFactory.Password, [Role.Learner], default);

        var links = services.GetRequiredService<AccountLinks>();
        await links.RequestAsync("sky.newcomer@example.org", AccountLinkPurpose.SignIn, default);
        await accounts.CreateAsync("sky.newcomer@example.org", "Sky Newcomer", LearnHubWebFactory.Password, [Role.Learner], default);
        await links.RequestAsync("sky.newcomer@example.org", AccountLinkPurpose.SignIn, default);
        await links.RequestAsync("sky.newcomer@example.org", AccountLinkPurpose.PasswordReset, default);
        var signInLink = new Uri(await app.EmailedLinkAsync("sky.newcomer@example.org", "/signin/link/")).AbsolutePath;
        var passwordLink = new Uri(await app.EmailedLinkAsync("sky.newcomer@example.org", "/account/password/")).AbsolutePath;
        await services.GetRequiredService<SignUps>().RequestAsync("sam.early@example.org", default);
        var signUpLink = new Uri(await app.EmailedLinkAsync("sam.early@example.org", "/signup/")).AbsolutePath;

        void Add(string role, string name, string path, int status = 200) => world.Pages.Add(new SweptPage(role, name, path, status));
        Add("public", "catalog", "/");
        Add("public", "catalog-filtered", "/?q=data&kind=national-webinar&seats=1");
        Add("public", "catalog-month", $"/?view=month&month={now.AddDays(7):yyyy-MM}");
        Add("public", "series", "/series/mind-the-gap");
        Add("public", "session-webinar", $"/sessions/{webinar}");
        Add("public", "session-in-person", $"/sessions/{inPerson}");
        Add("public", "series-in-person", "/series/trauma-informed");
        Add("public", "sign-in", "/signin");
        Add("public", "sign-in-link", signInLink);
        Add("public", "choose-password", passwordLink);
        Add("public", "reset-password", "/account/reset");
        Add("public", "email-my-registrations", "/my-registrations");
        Add("public", "sign-up", "/signup");
        Add("public", "complete-sign-up", signUpLink);
        Add("public", "verify", "/verify");
        Add("public", "verify-code", $"/verify/{certificate.Code}");
        Add("public", "time-zone", "/timezone");
        Add("public", "not-found", "/no-such-page", 404);
        Add("registrant", "confirmation", $"{manage}/confirmation");
        Add("registrant", "manage", manage);
        Add("registrant", "cancel-confirmation", $"{manage}/cancel");
        Add("registrant", "change-details", $"{manage}/details");
        Add("registrant", "survey", survey);
        Add("registrant", "certificate-by-link", keyedCertificate);
        Add("registrant", "watch-for-self-study", $"/recordings/{clip.Id}?pass={clipPass}");
        Add("registrant", "knowledge-check", $"/recordings/{clip.Id}/check?pass={clipPass}");
        Add("learner", "my-learning", "/my-learning");
        Add("learner", "transcript", "/my-learning/transcript");
        Add("learner", "evaluations", "/evaluations");
        Add("learner", "evaluation", $"/evaluations/sessions/{past}");
        Add("learner", "certificate", $"/certificates/{certificate.Id}");
        Add("learner", "recording", $"/recordings/{recording.Id}");
        Add("learner", "watched-recording", $"/recordings/{watched.Id}");
        Add("learner", "transcript-of-recording", $"/recordings/{recording.Id}/transcript");
        Add("learner", "mentorship-as-mentee", $"/mentoring/{mentorship}");
        Add("learner", "session-registered", $"/sessions/{webinar}");
        Add("learner", "sign-out", "/signout");
        Add("learner", "denied", "/denied", 403);
        Add("mentor", "mentees", "/mentoring");
        Add("mentor", "mentorship", $"/mentoring/{mentorship}");
        Add("mentor", "follow-up", $"/mentoring/{mentorship}/follow-ups/1");
        Add("coordinator", "mentors", "/coordination/mentors");
        Add("coordinator", "assign", "/coordination/assign");
        Add("coordinator", "suggestions", $"/coordination/assign?menteeEmail=nia.newhire%40example.org&menteeRegion=Midwest&needs=youth");
        Add("coordinator", "mentorships", "/coordination/mentorships");
        Add("coordinator", "invite", "/coordination/invite");
        Add("coordinator", "overview", "/coordination/overview");
        Add("coordinator", "end-mentorship", $"/coordination/mentorships/{mentorship}/end");
        Add("organizer", "workspace", "/organizer");
        Add("organizer", "workspace-all-of-a-series", $"/organizer?series={series}&state=upcoming");
        Add("organizer", "workspace-bad-filter", "/organizer?kind=webinarish&from=tomorrow", 400);
        Add("organizer", "series-list", "/organizer/series");
        Add("organizer", "new-series", "/organizer/series/edit");
        Add("organizer", "edit-series", $"/organizer/series/edit/{series}");
        Add("organizer", "registration-questions", $"/organizer/series/{series}/questions");
        Add("organizer", "series-translations", $"/organizer/series/{series}/translations");
        Add("organizer", "session-translations", $"/organizer/sessions/{webinar}/translations");
        Add("organizer", "dashboard", $"/organizer/series/{series}/dashboard");
        Add("organizer", "new-session", $"/organizer/sessions/edit?series={series}");
        Add("organizer", "edit-session", $"/organizer/sessions/edit/{webinar}");
        Add("organizer", "session", $"/organizer/sessions/{webinar}");
        Add("organizer", "session-registrants-page-2", $"/organizer/sessions/{webinar}?page=2");
        Add("organizer", "registrant", $"/organizer/sessions/{webinar}/registrants/{registrant}");
        Add("organizer", "registrant-waitlisted", $"/organizer/sessions/{exchange}/registrants/{waitingRegistrant}");
        Add("organizer", "duplicate-session", $"/organizer/sessions/edit?series={series}&duplicate={webinar}");
        Add("organizer", "past-session", $"/organizer/sessions/{past}");
        Add("organizer", "attendance", $"/organizer/sessions/{past}/attendance");
        Add("organizer", "sign-in-sheet", $"/organizer/sessions/{past}/sign-in-sheet");
        Add("organizer", "upload", $"/organizer/sessions/{past}/upload");
        Add("organizer", "evaluation-results", $"/organizer/sessions/{past}/evaluation");
        Add("organizer", "captions", $"/organizer/sessions/{past}/media/{recording.Id}/captions");
        Add("organizer", "recording-views", $"/organizer/sessions/{past}/media/{watched.Id}/views");
        Add("organizer", "knowledge-check-edit", $"/organizer/sessions/{past}/check");
        Add("organizer", "delete-media", $"/organizer/sessions/{past}/media/{recording.Id}/delete");
        Add("organizer", "courses", "/organizer/courses");
        Add("organizer", "new-course", "/organizer/courses/new");
        Add("organizer", "course", $"/organizer/courses/{course}");
        Add("organizer", "edit-course", $"/organizer/courses/{course}/edit");
        Add("admin", "admin", "/admin");
        Add("admin", "people", "/admin/people");
        Add("admin", "outbox", "/admin/outbox");
        Add("admin", "audit", "/admin/audit");
        Add("admin", "branding", "/admin/branding");
        return world;
    }
}
