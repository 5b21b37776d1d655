using System.Net;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Mentoring;

/// <summary>The mentor's dashboard and follow-up forms, and the coordinator's way to end a mentorship.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class MentorDashboardTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A mentor (in UTC) with one mentee assigned "now" (November 22, 2026): first follow-up due December 22.</summary>
    private async Task<(Guid Mentorship, string Mentor, string Mentee)> MentorshipAsync()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        var mentoring = _app.Services.GetRequiredService<MentoringStore>();
        var mentor = await _app.AccountAsync(Role.Mentor);
        var mentee = await _app.AccountAsync(Role.Learner);
        var mentorId = (await accounts.FindAsync(mentor, default))!.Id;
        Assert.Empty(await mentoring.SaveProfileAsync(new MentorProfile(mentorId, "NJ DCF", "Northeast", [], [], "UTC", 5, true), default));
        var (_, id) = await mentoring.AssignAsync(mentorId, (await accounts.FindAsync(mentee, default))!.Id, false, default);
        return (id!.Value, mentor, mentee);
    }

    private async Task<string> FollowUpStateAsync(Guid mentorship, int number = 1)
    {
        await using var connection = await _app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<string>("SELECT state || ' ' || due_on FROM follow_ups WHERE mentorship_id = @id AND number = @number",
            new { id = mentorship.ToString(), number }) ?? "";
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid mentorship, string handler, Dictionary<string, string> fields) =>
        Forms.PostAsync(client, $"/mentoring/{mentorship}/follow-ups/1", $"/mentoring/{mentorship}/follow-ups/1?handler={handler}", fields);

    [Fact]
    public async Task TheDashboard_ShowsTheMentorsOwnFollowUps_DueAndOverdue_ByTheInjectedClock()
    {
        var (id, mentor, _) = await MentorshipAsync();
        var (otherId, _, _) = await MentorshipAsync();

        // A sign-in lasts 8 hours of the app's clock: each visit after moving the clock signs in afresh.
        var before = await (await _app.SignedInClientAsync(mentor)).GetStringAsync("/mentoring");
        _app.Clock.Advance(TimeSpan.FromDays(30)); // December 22, 15:00 UTC: due today
        var due = await (await _app.SignedInClientAsync(mentor)).GetStringAsync("/mentoring");
        _app.Clock.Advance(TimeSpan.FromDays(3));
        var overdue = await (await _app.SignedInClientAsync(mentor)).GetStringAsync("/mentoring");

        Assert.Contains("Nothing is due today.", before, StringComparison.Ordinal);
        Assert.Contains("Due today (1)", due, StringComparison.Ordinal);
        Assert.Contains("Overdue follow-ups (1)", overdue, StringComparison.Ordinal);
        Assert.Contains("(3 days overdue)", overdue, StringComparison.Ordinal);
        Assert.Contains($"/mentoring/{id}/follow-ups/1", overdue, StringComparison.Ordinal);
        Assert.DoesNotContain(otherId.ToString(), overdue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMentor_CannotOpenOrChangeSomeoneElsesFollowUp()
    {
        var (id, _, _) = await MentorshipAsync();
        var (own, otherMentor, _) = await MentorshipAsync();
        var other = await _app.SignedInClientAsync(otherMentor);
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));
        var token = Forms.AntiforgeryToken(await other.GetStringAsync($"/mentoring/{own}/follow-ups/1")); // a valid token, from their own follow-up

        var open = await other.GetAsync($"/mentoring/{id}/follow-ups/1");
        var skip = await other.PostAsync($"/mentoring/{id}/follow-ups/1?handler=Skip",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["reason"] = "Not mine to skip" }));
        var asLearner = await learner.GetAsync("/mentoring");

        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, skip.StatusCode);
        Assert.True(asLearner.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"A learner reached the mentor dashboard ({asLearner.StatusCode}).");
        Assert.Equal("pending 2026-12-22", await FollowUpStateAsync(id));
    }

    [Fact]
    public async Task LoggingInTheFutureOrWithANegativeDuration_SaysWhatIsWrongNextToTheField_AndChangesNothing()
    {
        var (id, mentor, _) = await MentorshipAsync();
        _app.Clock.Advance(TimeSpan.FromDays(30));
        var client = await _app.SignedInClientAsync(mentor);

        var bad = await PostAsync(client, id, "Log", new() { ["heldOn"] = "2026-12-23", ["mode"] = "Phone", ["durationMinutes"] = "-5", ["notes"] = "Kept" });
        var html = await bad.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"err-log-heldOn\">A follow-up cannot be logged for a date in the future.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"err-log-durationMinutes\">Enter how long it took, in minutes (1 to 480).", html, StringComparison.Ordinal);
        Assert.Contains(">Kept</textarea>", html, StringComparison.Ordinal); // what was typed is kept
        Assert.Equal("pending 2026-12-22", await FollowUpStateAsync(id));

        var good = await PostAsync(client, id, "Log", new() { ["heldOn"] = "2026-12-22", ["mode"] = "InPerson", ["durationMinutes"] = "50", ["topics"] = "self-care" });

        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("done 2026-12-22", await FollowUpStateAsync(id));
    }

    [Fact]
    public async Task MovingOrSkipping_NeedsAReason_ThenTakesEffect()
    {
        var (id, mentor, _) = await MentorshipAsync();
        _app.Clock.Advance(TimeSpan.FromDays(30));
        var client = await _app.SignedInClientAsync(mentor);

        var noReason = await PostAsync(client, id, "Reschedule", new() { ["dueOn"] = "2026-12-29", ["reason"] = "" });
        var badDate = await PostAsync(client, id, "Reschedule", new() { ["dueOn"] = "29/12/2026", ["reason"] = "Holidays" });
        var unchanged = await FollowUpStateAsync(id);
        var moved = await PostAsync(client, id, "Reschedule", new() { ["dueOn"] = "2026-12-29", ["reason"] = "Mentee away for the holidays" });
        var movedState = await FollowUpStateAsync(id);
        var skipNoReason = await PostAsync(client, id, "Skip", new() { ["reason"] = " " });
        var skipped = await PostAsync(client, id, "Skip", new() { ["reason"] = "Mentee on leave" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("id=\"err-reschedule-reason\">Give a reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("id=\"err-reschedule-dueOn\">Enter the date as year-month-day", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending 2026-12-22", unchanged);
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal("pending 2026-12-29", movedState);
        Assert.Contains("id=\"err-skip-reason\">Give a reason", await skipNoReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, skipped.StatusCode);
        Assert.Equal("skipped 2026-12-29", await FollowUpStateAsync(id));
    }

    [Fact]
    public async Task ACoordinator_EndsAMentorshipWithAReason_WhichIsAudited_AndItsFollowUpsClose()
    {
        var (id, mentor, _) = await MentorshipAsync();
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var mentorClient = await _app.SignedInClientAsync(mentor);
        var path = $"/coordination/mentorships/{id}/end";

        var asMentor = await mentorClient.GetAsync(path);
        var noReason = await Forms.PostAsync(coordinator, path, path, new() { ["how"] = "Withdrawn", ["reason"] = "" });
        var noHow = await Forms.PostAsync(coordinator, path, path, new() { ["reason"] = "Left" });
        var stillPending = await FollowUpStateAsync(id);
        var ended = await Forms.PostAsync(coordinator, path, path, new() { ["how"] = "Withdrawn", ["reason"] = "Left the agency" });

        Assert.True(asMentor.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect && asMentor.Headers.Location?.PathAndQuery.StartsWith("/denied", StringComparison.Ordinal) != false);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("id=\"err-reason\">Give a reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("id=\"err-how\">Choose how it ended", await noHow.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending 2026-12-22", stillPending);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("cancelled 2026-12-22", await FollowUpStateAsync(id));
        var entry = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("mentorship.ended", null, 10, default));
        Assert.Equal((id.ToString(), "withdrawn: Left the agency"), (entry.ObjectId, entry.Detail));
    }
}
