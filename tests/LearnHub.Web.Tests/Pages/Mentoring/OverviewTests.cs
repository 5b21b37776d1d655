using System.Net;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Mentoring;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Pages.Mentoring;

/// <summary>The coordinator's overview (charts with tables) and the follow-up CSV, which never carries notes.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class OverviewTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Secret = "Mentee disclosed a family crisis";
    private readonly LearnHubWebFactory _app = new(fixture.NewDirectory());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Two mentorships assigned November 22, 2026 (UTC): on January 5 one has both follow-ups logged, the other none.</summary>
    private async Task<string> TwoMentorshipsAsync()
    {
        var accounts = _app.Services.GetRequiredService<AccountStore>();
        var mentoring = _app.Services.GetRequiredService<MentoringStore>();
        var scheduler = _app.Services.GetRequiredService<FollowUpScheduler>();
        var ids = new List<(Guid Mentorship, Guid Mentor)>();
        string lateMentor = "";
        foreach (var _ in new[] { 0, 1 })
        {
            var mentor = await _app.AccountAsync(Role.Mentor);
            var mentorId = (await accounts.FindAsync(mentor, default))!.Id;
            Assert.Empty(await mentoring.SaveProfileAsync(new MentorProfile(mentorId, "NJ DCF", "Northeast", [], [], "UTC", 4, true), default));
            var (_, id) = await mentoring.AssignAsync(mentorId, (await accounts.FindAsync(await _app.AccountAsync(Role.Learner), default))!.Id, false, default);
            ids.Add((id!.Value, mentorId));
            lateMentor = mentor;
        }

        _app.Clock.Advance(TimeSpan.FromDays(30)); // December 22
        await scheduler.RunAsync(default);
        Assert.Empty(await mentoring.LogAsync(ids[0].Mentorship, ids[0].Mentor,
            new FollowUpLog(new DateOnly(2026, 12, 22), FollowUpMode.Phone, 30, ["workload"], Secret, "Call again"), default));
        _app.Clock.Advance(TimeSpan.FromDays(14)); // January 5, 2027
        await scheduler.RunAsync(default);
        return lateMentor;
    }

    [Fact]
    public async Task TheOverview_ShowsCompletionByMonth_TheOverdueList_AndEachMentorsLoad_AsChartsWithTables()
    {
        var lateMentor = await TwoMentorshipsAsync();
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));

        var html = await coordinator.GetStringAsync("/coordination/overview");

        Assert.Contains("<th scope=\"row\">Dec 2026</th><td>2</td><td>1</td><td>0</td><td>0</td><td>1</td><td>50%</td>", html, StringComparison.Ordinal);
        Assert.Contains("Overdue follow-ups (1)", html, StringComparison.Ordinal);
        Assert.Contains($"({lateMentor})</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>14</td>", html, StringComparison.Ordinal); // days overdue
        Assert.Equal(2, html.Split("<div class=\"chart\" role=\"img\"").Length - 1);
        Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsv_ListsEveryFollowUpWithoutNotes_AndEachExportIsAudited()
    {
        await TwoMentorshipsAsync();
        var coordinator = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Coordinator));
        var learner = await _app.SignedInClientAsync(await _app.AccountAsync(Role.Learner));

        var csv = await coordinator.GetStringAsync("/coordination/follow-ups.csv");
        var refused = await learner.GetAsync("/coordination/follow-ups.csv");

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("mentorship_id,mentor_email,mentee_email,mentorship_status,assigned_on,follow_up,scheduled_on,due_on,state,reason,held_on,mode,duration_minutes", lines[0]);
        Assert.Equal(4, lines.Length - 1); // two months planned for each of two mentorships
        Assert.Contains(lines, l => l.EndsWith(",1,2026-12-22,2026-12-22,Logged,,2026-12-22,Phone,30", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Call again", csv, StringComparison.Ordinal);
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect);
        var entry = Assert.Single(await _app.Services.GetRequiredService<AuditLog>().ListAsync("mentoring.exported", null, 10, default));
        Assert.Equal("CSV without notes", entry.Detail);
    }
}
