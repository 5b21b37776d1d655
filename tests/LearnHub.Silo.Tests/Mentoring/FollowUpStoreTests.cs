using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Mentoring;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Tests.Mentoring;

/// <summary>Follow-up occurrences as rows, and the job that sends their emails, on both engines.</summary>
[Collection(DatabaseCollection.Name)]
public class FollowUpStoreTests(DatabaseFixture fixture)
{
    // 15:00 UTC on January 31 is 10:00 in New York: the mentorship is assigned on January 31, first due February 28.
    private readonly TestClock _clock = new(new DateTimeOffset(2027, 1, 31, 15, 0, 0, TimeSpan.Zero));

    private sealed record World(LearnHubDatabase Database, MentoringStore Store, FollowUpScheduler Scheduler, Guid Mentor, Guid Mentorship, Guid OtherMentor);

    private async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var accounts = new AccountStore(database, _clock);
        async Task<Guid> Person(string email, params Role[] roles) => (await accounts.CreateAsync(email, email.Split('@')[0], null, roles, default)).Account!.Id;
        var mentor = await Person("mentor@example.org", Role.Mentor);
        var other = await Person("other@example.org", Role.Mentor);
        var mentee = await Person("mentee@example.org", Role.Learner);
        await Person("coord1@example.org", Role.Coordinator);
        await Person("coord2@example.org", Role.Coordinator, Role.Admin);
        var store = new MentoringStore(database, _clock);
        Assert.Empty(await store.SaveProfileAsync(new MentorProfile(mentor, "NJ DCF", "Northeast", ["youth"], ["English"], "America/New_York", 5, true), default));
        var (_, id) = await store.AssignAsync(mentor, mentee, false, default);
        var scheduler = new FollowUpScheduler(database, _clock, Options.Create(new MentoringOptions { OverdueReminderDays = 7, EscalationDays = 14 }),
            Options.Create(new MailOptions()), NullLogger<FollowUpScheduler>.Instance);
        return new World(database, store, scheduler, mentor, id!.Value, other);
    }

    private void At(int month, int day, int hourUtc = 15) => _clock.SetUtcNow(new DateTimeOffset(2027, month, day, hourUtc, 0, 0, TimeSpan.Zero));

    private static async Task<List<(string Recipient, string Purpose, string Subject)>> MailAsync(World world)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return (await connection.QueryAsync<(string, string, string)>(
            "SELECT recipient, purpose, subject_ref FROM outbox_messages WHERE purpose LIKE 'follow-up%' ORDER BY created_utc_ms, recipient")).ToList();
    }

    private static string Fields(IReadOnlyDictionary<string, string> problems) => string.Join(",", problems.Keys);

    private static FollowUpLog Meeting(DateOnly on) => new(on, FollowUpMode.Video, 45, ["workload"], "Talked about caseload", "Check in next month");

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Assignment_PlansTheFirstFollowUp_AndEachOneReachingItsDate_PlansTheNext(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        Assert.Equal([new DateOnly(2027, 2, 28)], (await world.Store.OccurrencesAsync(world.Mentorship, default)).Select(f => f.DueOn));

        At(2, 28, 13); // 08:00 in New York: not yet due
        await world.Scheduler.RunAsync(default);
        Assert.Single(await world.Store.OccurrencesAsync(world.Mentorship, default));

        At(2, 28, 14); // 09:00 in New York
        await world.Scheduler.RunAsync(default);
        var occurrences = await world.Store.OccurrencesAsync(world.Mentorship, default);

        Assert.Equal([new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31)], occurrences.Select(f => f.DueOn));
        Assert.Equal(("mentor@example.org", "follow-up-due", $"follow-up:{world.Mentorship}:1:2027-02-28"), Assert.Single(await MailAsync(world)));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheJob_SendsDueThenOverdueToTheMentor_ThenEscalatesToEveryCoordinator_EachOnce(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);

        At(2, 28);
        await world.Scheduler.RunAsync(default);
        await world.Scheduler.RunAsync(default);

        At(3, 7);   // 7 days overdue (the due instant was 14:00 UTC)
        await world.Scheduler.RunAsync(default);
        At(3, 14);  // 14 days overdue
        await world.Scheduler.RunAsync(default);
        await world.Scheduler.RunAsync(default);
        At(3, 20);
        await world.Scheduler.RunAsync(default);

        var subject = $"follow-up:{world.Mentorship}:1:2027-02-28";
        Assert.Equal(
            [
                ("mentor@example.org", "follow-up-due", subject), ("mentor@example.org", "follow-up-overdue", subject),
                ("coord1@example.org", "follow-up-escalated", subject), ("coord2@example.org", "follow-up-escalated", subject),
            ],
            await MailAsync(world));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Logging_MarksTheDueFollowUpDone_SoNoReminderFollows(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        At(3, 1);
        await world.Scheduler.RunAsync(default);

        Assert.Empty(await world.Store.LogAsync(world.Mentorship, world.Mentor, Meeting(new DateOnly(2027, 3, 1)), default));
        At(3, 20);
        await world.Scheduler.RunAsync(default);

        var first = (await world.Store.OccurrencesAsync(world.Mentorship, default))[0];
        Assert.Equal(FollowUpState.Done, first.State);
        Assert.Equal(["follow-up-due"], (await MailAsync(world)).Select(m => m.Purpose));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task LoggingEarly_PlansTheNextMonthAtOnce_SoAnActiveMentorshipAlwaysHasAFollowUpPlanned(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        At(2, 20); // February's follow-up is due on the 28th: eight days early still counts for it

        Assert.Empty(await world.Store.LogAsync(world.Mentorship, world.Mentor, Meeting(new DateOnly(2027, 2, 20)), default));
        var afterLog = await world.Store.OccurrencesAsync(world.Mentorship, default);
        var pending = await world.Store.PendingForMentorAsync(world.Mentor, default);
        At(2, 28);
        await world.Scheduler.RunAsync(default); // February's date comes: nothing more to plan, nothing to send

        Assert.Equal([(1, FollowUpState.Done), (2, FollowUpState.Pending)], afterLog.Select(f => (f.Number, f.State)));
        Assert.Equal(new DateOnly(2027, 3, 31), Assert.Single(pending).FollowUp.DueOn);
        Assert.Equal(2, (await world.Store.OccurrencesAsync(world.Mentorship, default)).Count);
        Assert.Empty(await MailAsync(world));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rescheduling_MovesTheDueEmailToTheNewDate_AndBadInputChangesNothing(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        At(2, 20);

        var past = await world.Store.RescheduleAsync(world.Mentorship, world.Mentor, 1, new DateOnly(2027, 2, 19), "Leave", default);
        var noReason = await world.Store.RescheduleAsync(world.Mentorship, world.Mentor, 1, new DateOnly(2027, 3, 7), " ", default);
        var notHis = await world.Store.RescheduleAsync(world.Mentorship, world.OtherMentor, 1, new DateOnly(2027, 3, 7), "Leave", default);
        var moved = await world.Store.RescheduleAsync(world.Mentorship, world.Mentor, 1, new DateOnly(2027, 3, 7), "Mentee on leave", default);
        At(3, 1);
        await world.Scheduler.RunAsync(default);
        var beforeNewDate = await MailAsync(world);
        At(3, 7);
        await world.Scheduler.RunAsync(default);

        Assert.Equal(("dueOn", "reason", "mentorship"), (Fields(past), Fields(noReason), Fields(notHis)));
        Assert.Empty(moved);
        Assert.Empty(beforeNewDate);
        Assert.Equal(("mentor@example.org", "follow-up-due", $"follow-up:{world.Mentorship}:1:2027-03-07"), Assert.Single(await MailAsync(world)));
        var first = (await world.Store.OccurrencesAsync(world.Mentorship, default))[0];
        Assert.Equal((new DateOnly(2027, 3, 7), new DateOnly(2027, 2, 28), "Mentee on leave"), (first.DueOn, first.ScheduledOn, first.Reason));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Skipping_NeedsAReason_AndStopsItsEmails(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        At(2, 20);

        var noReason = await world.Store.SkipAsync(world.Mentorship, world.Mentor, 1, "", default);
        var skipped = await world.Store.SkipAsync(world.Mentorship, world.Mentor, 1, "Mentee on parental leave", default);
        var twice = await world.Store.SkipAsync(world.Mentorship, world.Mentor, 1, "Again", default);
        At(3, 20);
        await world.Scheduler.RunAsync(default);

        Assert.Equal(("reason", "", "followUp"), (Fields(noReason), Fields(skipped), Fields(twice)));
        Assert.Empty(await MailAsync(world));
        Assert.Equal([FollowUpState.Skipped, FollowUpState.Pending], (await world.Store.OccurrencesAsync(world.Mentorship, default)).Select(f => f.State));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task EndingAMentorship_ClosesItsFollowUps_AndNoMoreAreSentOrPlanned(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        At(3, 1);
        await world.Scheduler.RunAsync(default); // February's is due (and mailed); March's is planned

        var noReason = await world.Store.EndAsync(world.Mentorship, MentorshipStatus.Withdrawn, null, default);
        var ended = await world.Store.EndAsync(world.Mentorship, MentorshipStatus.Withdrawn, "Left the agency", default);
        var again = await world.Store.EndAsync(world.Mentorship, MentorshipStatus.Completed, "Done", default);
        At(6, 30);
        await world.Scheduler.RunAsync(default);

        Assert.Equal(("reason", "", "how"), (Fields(noReason), Fields(ended), Fields(again)));
        Assert.Equal([FollowUpState.Missed, FollowUpState.Cancelled], (await world.Store.OccurrencesAsync(world.Mentorship, default)).Select(f => f.State));
        Assert.Equal(["follow-up-due"], (await MailAsync(world)).Select(m => m.Purpose));
        var view = await world.Store.FindAsync(world.Mentorship, default);
        Assert.Equal((MentorshipStatus.Withdrawn, new DateOnly(2027, 3, 1)), (view!.Mentorship.Status, view.Mentorship.EndedOn));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AJobThatDidNotRunForMonths_PlansEveryMissedMonth_AndSendsEachOnlyItsMostAdvancedAlert(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);

        At(5, 10);
        await world.Scheduler.RunAsync(default);

        // February 28 and March 31 are over 14 days overdue, April 30 ten days: escalations for two, a reminder for one.
        var occurrences = await world.Store.OccurrencesAsync(world.Mentorship, default);
        Assert.Equal([new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 30), new DateOnly(2027, 5, 31)], occurrences.Select(f => f.DueOn));
        var mail = await MailAsync(world);
        Assert.Equal(4, mail.Count(m => m.Purpose == "follow-up-escalated"));
        var reminder = Assert.Single(mail, m => m.Purpose != "follow-up-escalated");
        Assert.Equal(("mentor@example.org", "follow-up-overdue"), (reminder.Recipient, reminder.Purpose));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reports_CountCompletionByDueMonth_ListTheOverdue_AndExportWithoutNotes(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var reports = new MentoringReports(world.Database, world.Store, _clock);
        At(3, 1);
        await world.Scheduler.RunAsync(default);
        Assert.Empty(await world.Store.LogAsync(world.Mentorship, world.Mentor, Meeting(new DateOnly(2027, 3, 1)), default));
        At(4, 10);
        await world.Scheduler.RunAsync(default);

        var months = await reports.CompletionByMonthAsync(3, default);
        var overdue = await reports.OverdueAsync(default);
        var export = await reports.ExportAsync(default);

        Assert.Equal(["2027-02", "2027-03", "2027-04"], months.Select(m => m.Month));
        Assert.Equal((1, 1.0), (months[0].FellDue, months[0].Rate!.Value));
        Assert.Equal((1, 0.0), (months[1].FellDue, months[1].Rate!.Value));
        var late = Assert.Single(overdue);
        Assert.Equal((2, new DateOnly(2027, 3, 31), 10), (late.Number, late.DueOn, late.DaysOverdue));
        Assert.Equal([FollowUpState.Done, FollowUpState.Pending, FollowUpState.Pending], export.Select(r => r.State));
        Assert.Equal((FollowUpMode.Video, 45), (export[0].Mode, export[0].DurationMinutes!.Value));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AMentorshipAssignedBeforeFollowUpsWereRows_GetsItsNextFollowUpPlanned_WithoutChasingPastMonths(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        await using (var connection = await world.Database.OpenAsync(default))
        {
            await connection.ExecuteAsync("DELETE FROM follow_ups"); // as a mentorship assigned under migration 0005 is
        }

        At(4, 10);
        await world.Scheduler.RunAsync(default);
        await world.Scheduler.RunAsync(default);

        var planned = Assert.Single(await world.Store.OccurrencesAsync(world.Mentorship, default));
        Assert.Equal((3, new DateOnly(2027, 4, 30), FollowUpState.Pending), (planned.Number, planned.DueOn, planned.State));
        Assert.Empty(await MailAsync(world));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TwoSchedulersRacingOnOneDatabase_QueueOneEmailPerDueFollowUp(DatabaseProvider provider)
    {
        var world = await WorldAsync(provider);
        var accounts = new AccountStore(world.Database, _clock);
        for (var i = 0; i < 40; i++)
        {
            var mentee = (await accounts.CreateAsync($"m{i}@example.org", $"Mentee {i}", null, [Role.Learner], default)).Account!.Id;
            Assert.Equal(AssignOutcome.Assigned, (await world.Store.AssignAsync(world.Mentor, mentee, overrideCapacity: true, default)).Outcome);
        }

        var second = new FollowUpScheduler(world.Database, _clock, Options.Create(new MentoringOptions()), Options.Create(new MailOptions()),
            NullLogger<FollowUpScheduler>.Instance);
        At(3, 1);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? world.Scheduler : second).RunAsync(default))));

        var mail = await MailAsync(world);
        Assert.Equal(41, mail.Count);
        Assert.Equal(41, mail.Select(m => m.Subject).Distinct().Count());
        await using var connection = await world.Database.OpenAsync(default);
        Assert.Equal(41, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM follow_ups WHERE number = 2"));
    }
}
