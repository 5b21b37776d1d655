using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Accounts;

/// <summary>Confidential mentoring notes: the mentor's; a coordinator's only with a stated, audited reason; nobody else's.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class MentoringNotesAccessTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Secret = "Mentee disclosed a family crisis";
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();


    private async Task<(Guid Mentorship, string Mentor, string Mentee)> MentorshipWithNotesAsync()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        var mentoring = _app.Services.GetRequiredService<MentoringStore>();
        var mentor = await _app.AccountAsync(Role.Mentor);
        var mentee = await _app.AccountAsync(Role.Learner);
        var mentorId = (await accounts.FindAsync(mentor, default))!.Id;
        await mentoring.SaveProfileAsync(new MentorProfile(mentorId, "NJ DCF", "Northeast", [], [], "America/New_York", 5, true), default);
        var (_, id) = await mentoring.AssignAsync(mentorId, (await accounts.FindAsync(mentee, default))!.Id, false, default);
        _app.Clock.Advance(TimeSpan.FromDays(3));
        var problems = await mentoring.LogAsync(id!.Value, mentorId,
            new FollowUpLog(DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime).AddDays(-1), FollowUpMode.Phone, 30, ["self-care"], Secret, "Check in next week"), default);
        Assert.Empty(problems);
        return (id.Value, mentor, mentee);
    }

    [Fact]
    public async Task AnotherMentor_ALearner_AnOrganizer_AndAnAnonymousVisitor_CannotReadNotes()
    {
        var (id, _, _) = await MentorshipWithNotesAsync();
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/mentoring/{id}")).StatusCode);
        foreach (var role in new[] { Role.Mentor, Role.Learner, Role.Organizer })
        {
            var other = await _app.SignedInClientAsync(await _app.AccountAsync(role));
            var response = await other.GetAsync($"/mentoring/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheMentorSeesTheNotes_AndTheMenteeSeesOnlyTheDates()
    {
        var (id, mentor, mentee) = await MentorshipWithNotesAsync();

        var asMentor = await (await _app.SignedInClientAsync(mentor)).GetStringAsync($"/mentoring/{id}");
        var asMentee = await (await _app.SignedInClientAsync(mentee)).GetStringAsync($"/mentoring/{id}");

        Assert.Contains(Secret, asMentor, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, asMentee, StringComparison.Ordinal);
        Assert.Contains("Phone", asMentee, StringComparison.Ordinal);
        var myLearning = await (await _app.SignedInClientAsync(mentee)).GetStringAsync("/my-learning");
        Assert.Contains($"<a href=\"/mentoring/{id}\">Your follow-up dates</a>", myLearning, StringComparison.Ordinal);
        Assert.Contains(mentor, myLearning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACoordinator_ReadsNotesOnlyAfterGivingAReason_AndTheAccessIsAudited()
    {
        var (id, _, _) = await MentorshipWithNotesAsync();
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));

        var summary = await coordinator.GetStringAsync($"/mentoring/{id}");
        var token = Forms.AntiforgeryToken(summary);
        var withoutReason = await coordinator.PostAsync($"/mentoring/{id}?handler=Notes", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["reason"] = " ",
        }));
        var withReason = await coordinator.PostAsync($"/mentoring/{id}?handler=Notes", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["reason"] = "Safeguarding review requested by the mentee",
        }));

        Assert.DoesNotContain(Secret, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await withoutReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(Secret, await withReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var entry = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("mentoring.notes.read", null, 10, default));
        Assert.Equal((id.ToString(), "reason: Safeguarding review requested by the mentee"), (entry.ObjectId, entry.Detail));
    }
}
