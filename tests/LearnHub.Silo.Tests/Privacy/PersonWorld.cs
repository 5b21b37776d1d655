using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Privacy;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Privacy;

/// <summary>
/// A database where one person, Robin Quill, has every kind of record LearnHub keeps: an account, two registrations
/// (one for a webinar that has ended, one holding the only seat of a webinar to come, with Alex waiting behind),
/// attendance, a named evaluation, a certificate, a mentorship as mentee with a follow-up their mentor logged, audit
/// entries, mail and a sign-in throttle row. Registrations go through the session grains of a real silo.
/// </summary>
public sealed class PersonWorld : IAsyncDisposable
{
    public const string Email = "robin.quill@example.org";
    public const string Name = "Robin Quill";
    public const string BadgeQuestion = "qbadge";
    public const string MentorNote = "Settling in well; wants shadowing";

    private PersonWorld(LearnHubDatabase database, TestClock clock, TestSilo silo)
    {
        Database = database;
        Clock = clock;
        Silo = silo;
    }

    public LearnHubDatabase Database { get; }

    public TestClock Clock { get; }

    public TestSilo Silo { get; }

    public Guid PastSession { get; private set; }

    public Guid ComingSession { get; private set; }

    public Guid RobinId { get; private set; }

    public PersonExport Export => new(Database, Clock);

    public PersonErasure Erasure(ErasedCertificatePolicy certificates = ErasedCertificatePolicy.Revoke) =>
        new(Database, Clock, Silo.Grains, Silo.Services.GetRequiredService<SessionDirectory>(),
            Options.Create(new RetentionOptions { ErasedCertificates = certificates }));

    public static async Task<PersonWorld> CreateAsync(DatabaseFixture fixture, DatabaseProvider provider)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 2, 15, 0, 0, TimeSpan.Zero));
        var (database, _) = await fixture.NewDatabaseAsync(provider, clock);
        var world = new PersonWorld(database, clock, await TestSilo.StartAsync(database, clock));
        await world.SeedAsync();
        return world;
    }

    private async Task SeedAsync()
    {
        var catalog = new GrainCatalog(Silo.Services, Clock);
        var series = await catalog.CreateSeriesAsync(new SeriesDraft($"s-{Guid.NewGuid():N}"[..12], "Mind the Gap", ""), default);
        // A question whose answer holds the person's name: erasure must take it too.
        await Silo.Grains.GetGrain<ISeriesGrain>(series).EditQuestionsAsync(new QuestionEdit(QuestionEditAction.Add, null,
            new RegistrationQuestion(BadgeQuestion, QuestionKind.ShortText, "Name for your badge", null, false, [])), new QuestionEditor(null, "organizer@example.org", null));
        var starts = Clock.GetUtcNow().AddDays(7);
        PastSession = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Trauma-informed supervision", "", starts,
            starts.AddHours(1), "America/New_York", 10, []), default);
        ComingSession = await catalog.CreateSessionAsync(new SessionDraft(series, SessionKind.NationalWebinar, "Family finding", "", starts.AddDays(30),
            starts.AddDays(30).AddHours(1), "America/New_York", 1, []) { Recorded = true, RecordingConsentRequired = true }, default);

        var robinPast = await RegisterAsync(PastSession, Name, "Robin.Quill@Example.org", badge: "R. Quill");
        await RegisterAsync(ComingSession, Name, Email, recordingConsent: true);
        var alexPast = await RegisterAsync(PastSession, "Alex Other", "alex@example.org", badge: "Alex");
        await RegisterAsync(ComingSession, "Alex Other", "alex@example.org", recordingConsent: false);
        Clock.Advance(TimeSpan.FromDays(10));

        var accounts = new AccountStore(Database, Clock);
        RobinId = (await accounts.CreateAsync(Email, Name, null, [Role.Learner], default)).Account!.Id;
        var mentorId = (await accounts.CreateAsync("morgan@example.org", "Morgan Mentor", null, [Role.Mentor], default)).Account!.Id;
        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await Database.OpenAsync(default);
        foreach (var registration in new[] { robinPast, alexPast })
        {
            await connection.ExecuteAsync(
                "INSERT INTO attendance (registration_id, session_id, minutes, attended, source, recorded_utc_ms) VALUES (@registration, @session, 55, 1, 'check-in', @now)",
                new { registration = registration.ToString(), session = PastSession.ToString(), now });
        }

        // What Robin brought to a session's discussion (in words that name them) and an attempt at its knowledge check.
        await connection.ExecuteAsync(
            """
            INSERT INTO exchange_preparations (registration_id, session_id, text, submitted_utc_ms, updated_utc_ms)
            VALUES (@registration, @session, 'As Robin Quill, how do I start a hard conversation?', @now, @now)
            """, new { registration = robinPast.ToString(), session = PastSession.ToString(), now });
        await connection.ExecuteAsync(
            """
            INSERT INTO knowledge_check_attempts (registration_id, attempt, session_id, answers, score_percent, passed, submitted_utc_ms)
            VALUES (@registration, 1, @session, '{"a":0}', 100, 1, @now)
            """, new { registration = robinPast.ToString(), session = PastSession.ToString(), now });
        await connection.ExecuteAsync(
            """
            INSERT INTO evaluation_responses (id, session_id, registration_id, rating_overall, rating_content, rating_presenters, rating_relevance, recommend,
                                              most_useful, suggestions, submitted_utc_ms)
            VALUES (@id, @session, @registration, 5, 4, 5, 4, 'yes', 'The case studies', 'More time for questions', @now),
                   (@other, @session, NULL, 3, 3, 3, 3, 'maybe', 'Slides', '', @now)
            """, new { id = Guid.NewGuid().ToString(), other = Guid.NewGuid().ToString(), session = PastSession.ToString(), registration = robinPast.ToString(), now });
        await connection.ExecuteAsync(
            """
            INSERT INTO certificates (id, code, kind, session_id, registration_id, email_normalized, person_name, training_title, training_date, ce_hours_centi,
                                      statement, issued_utc_ms)
            VALUES (@id, 'QX7-ROBIN', 'session', @session, @registration, @email, @name, 'Trauma-informed supervision', '2026-11-09', 150, '', @now)
            """, new { id = Guid.NewGuid().ToString(), session = PastSession.ToString(), registration = robinPast.ToString(), email = Email, name = Name, now });
        var mentorship = Guid.NewGuid().ToString();
        var log = Guid.NewGuid().ToString();
        await connection.ExecuteAsync(
            """
            INSERT INTO mentorships (id, mentor_id, mentee_id, assigned_on, mentor_time_zone, status, created_utc_ms)
            VALUES (@mentorship, @mentor, @mentee, '2026-11-12', 'America/Chicago', 'active', @now)
            """, new { mentorship, mentor = mentorId.ToString(), mentee = RobinId.ToString(), now });
        await connection.ExecuteAsync(
            """
            INSERT INTO follow_up_logs (id, mentorship_id, held_on, mode, duration_minutes, topics, notes, next_steps, logged_by, logged_utc_ms)
            VALUES (@log, @mentorship, '2026-11-12', 'video', 30, 'Onboarding with Robin Quill', @note, 'Shadow a home visit', @mentor, @now)
            """, new { log, mentorship, note = MentorNote, mentor = mentorId.ToString(), now });
        await connection.ExecuteAsync(
            """
            INSERT INTO follow_ups (mentorship_id, number, scheduled_on, scheduled_utc_ms, due_on, due_utc_ms, state, log_id, updated_utc_ms)
            VALUES (@mentorship, 1, '2026-11-12', @now, '2026-11-12', @now, 'done', @log, @now)
            """, new { mentorship, log, now });
        await connection.ExecuteAsync(
            "INSERT INTO sign_in_throttle (kind, subject, failures, last_failure_utc_ms) VALUES ('email', @email, 2, @now)", new { email = Email, now });
        await new AuditLog(Database, Clock).WriteAsync(RobinId, Email, "user.signed-in", "user", RobinId.ToString(), "127.0.0.1", $"signed in as {Email}", default);
        await new AuditLog(Database, Clock).WriteAsync(mentorId, "morgan@example.org", "mentoring.notes-read", "user", RobinId.ToString(), "127.0.0.1",
            "notes of Robin Quill, reason: supervision", default);
    }

    private async Task<Guid> RegisterAsync(Guid session, string name, string email, bool? recordingConsent = null, string? badge = null)
    {
        var applicant = Applicant.Validate(name, email, "County DCF", "Caseworker", "America/Chicago", "Captions, please").Applicant! with
        {
            RecordingConsent = recordingConsent,
            Answers = badge is null ? [] : [new RegistrationAnswer(BadgeQuestion, [badge])],
        };
        return (await Silo.Grains.Session(session).RegisterAsync(applicant, false)).Session.RegistrationId!.Value;
    }

    public ValueTask DisposeAsync() => Silo.DisposeAsync();
}
