using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Grains.Mentoring;
using LearnHub.Silo.Accounts;
using LearnHub.Silo.Mentoring;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Mentoring;

[Collection(DatabaseCollection.Name)]
public class MentoringStoreTests(DatabaseFixture fixture)
{
    private readonly TestClock _clock = new(new DateTimeOffset(2027, 1, 31, 15, 0, 0, TimeSpan.Zero));

    private async Task<(LearnHubDatabase Database, MentoringStore Store, Guid Mentor, Guid[] Mentees)> WorldAsync(DatabaseProvider provider, int capacity)
    {
        var (database, _) = await fixture.NewDatabaseAsync(provider, _clock);
        var accounts = new AccountStore(database, _clock);
        async Task<Guid> Person(string email, Role role) => (await accounts.CreateAsync(email, email, null, [role], default)).Account!.Id;
        var mentor = await Person("mentor@example.org", Role.Mentor);
        var mentees = new[] { await Person("a@example.org", Role.Learner), await Person("b@example.org", Role.Learner), await Person("c@example.org", Role.Learner) };
        var store = new MentoringStore(database, _clock);
        await store.SaveProfileAsync(new MentorProfile(mentor, "NJ DCF", "Northeast", ["youth"], ["English", "Spanish"], "America/New_York", capacity, true), default);
        return (database, store, mentor, mentees);
    }

    private static async Task<long> CountAsync(LearnHubDatabase database, string table)
    {
        await using var connection = await database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Assign_RespectsCapacity_UnlessOverridden_AndRefusesAMenteeWhoHasAMentor(DatabaseProvider provider)
    {
        var (database, store, mentor, mentees) = await WorldAsync(provider, capacity: 1);

        var first = await store.AssignAsync(mentor, mentees[0], false, default);
        var full = await store.AssignAsync(mentor, mentees[1], false, default);
        var overridden = await store.AssignAsync(mentor, mentees[1], true, default);
        var twice = await store.AssignAsync(mentor, mentees[0], true, default);
        var self = await store.AssignAsync(mentor, mentor, true, default);

        Assert.Equal(
            [AssignOutcome.Assigned, AssignOutcome.OverCapacity, AssignOutcome.Assigned, AssignOutcome.MenteeAlreadyMentored, AssignOutcome.SamePerson],
            new[] { first.Outcome, full.Outcome, overridden.Outcome, twice.Outcome, self.Outcome });
        Assert.Equal(2, await CountAsync(database, "mentorships"));
        // Each assignment told both people, in its own transaction; the refused ones told nobody.
        Assert.Equal(4, await CountAsync(database, "outbox_messages"));
        var view = await store.FindAsync(first.MentorshipId!.Value, default);
        Assert.Equal(new DateOnly(2027, 1, 31), view!.Mentorship.AssignedOn); // 10:00 in New York
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Log_IsRefusedForAnotherMentor_AFutureDate_OrANegativeDuration_WritingNothing(DatabaseProvider provider)
    {
        var (database, store, mentor, mentees) = await WorldAsync(provider, capacity: 5);
        var id = (await store.AssignAsync(mentor, mentees[0], false, default)).MentorshipId!.Value;
        _clock.Advance(TimeSpan.FromDays(30));

        var notMine = await store.LogAsync(id, mentees[1], new FollowUpLog(new DateOnly(2027, 2, 27), FollowUpMode.Phone, 30, ["workload"], "x", ""), default);
        var future = await store.LogAsync(id, mentor, new FollowUpLog(new DateOnly(2027, 3, 10), FollowUpMode.Phone, 30, ["workload"], "x", ""), default);
        var negative = await store.LogAsync(id, mentor, new FollowUpLog(new DateOnly(2027, 2, 27), FollowUpMode.Phone, -1, ["workload"], "x", ""), default);
        var good = await store.LogAsync(id, mentor, new FollowUpLog(new DateOnly(2027, 2, 28), FollowUpMode.Video, 40, ["self-care"], "Feeling stretched", "Call in two weeks"), default);

        Assert.Contains("mentorship", notMine.Keys);
        Assert.Contains("heldOn", future.Keys);
        Assert.Contains("durationMinutes", negative.Keys);
        Assert.Empty(good);
        Assert.Equal(1, await CountAsync(database, "follow_up_logs"));
        Assert.Equal("Feeling stretched", (await store.FollowUpsAsync(id, NoteAccessLevel.Notes, default)).Single().Notes);
        Assert.Null((await store.FollowUpsAsync(id, NoteAccessLevel.Summary, default)).Single().Notes);
        Assert.Empty(await store.FollowUpsAsync(id, NoteAccessLevel.None, default));
    }
}
