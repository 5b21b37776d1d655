using LearnHub.Silo.Evaluations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Evaluations;

/// <summary>The evaluation invitation that follows recorded attendance, inside the attendance writer's transaction.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class EvaluationInviterTests(DatabaseFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnAttendee_IsInvitedOnce_WithAHashedTokenAndOneMail_HoweverOftenTheWriterReportsThem(DatabaseProvider provider)
    {
        var world = await EvaluationWorld.CreateAsync(fixture, provider, Now);
        var session = await world.SessionAsync(await world.SeriesAsync(), "Simulation Labs", Now.AddHours(-3));
        var attended = await world.RegistrationAsync(session, "Ann Lee", "Ann.Lee@Example.org", Now.AddDays(-10));
        var left = await world.RegistrationAsync(session, "Bo Chen", "bo@example.org", Now.AddDays(-10));
        var absent = await world.RegistrationAsync(session, "Cy Diaz", "cy@example.org", Now.AddDays(-10));
        var rows = new[] { (attended, 85, true), (left, 20, false) };

        await world.RecordAttendanceAsync(session, rows);
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.RecordAttendanceAsync(session, rows);

        Assert.Equal(1, await world.CountAsync("evaluation_invitations"));
        Assert.Equal(1, await world.CountAsync("evaluation_invitations", "registration_id = @r AND invited_utc_ms = @at",
            new { r = attended.ToString(), at = Now.ToUnixTimeMilliseconds() }));
        Assert.Equal(1, await world.CountAsync("outbox_messages"));
        Assert.Equal(1, await world.CountAsync("outbox_messages", "recipient = 'ann.lee@example.org' AND purpose = 'evaluation-requested' AND subject_ref = @s",
            new { s = $"evaluation:{attended}" }));
        var token = await world.EmailedTokenAsync(attended);
        var stored = await world.ScalarAsync<string>("SELECT token_hash FROM evaluation_invitations WHERE registration_id = @r", new { r = attended.ToString() });
        Assert.Equal(43, token.Length); // 256 random bits, base64url
        Assert.Equal(EvaluationTokens.Hash(token), stored);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("evaluation_invitations", "registration_id IN (@a, @b)", new { a = left.ToString(), b = absent.ToString() }));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task APersonCheckedInWhileTheSessionRuns_IsInvitedAtOnce_ButTheMailIsDueOnlyAtTheEnd(DatabaseProvider provider)
    {
        var world = await EvaluationWorld.CreateAsync(fixture, provider, Now);
        // Started 20 minutes ago and runs 90: it ends in 70 minutes.
        var running = await world.SessionAsync(await world.SeriesAsync(), "Simulation Labs", Now.AddMinutes(-20));
        var ended = await world.SessionAsync(await world.SeriesAsync("Earlier"), "Earlier Labs", Now.AddHours(-3));
        var atTheDoor = await world.RegistrationAsync(running, "Ann Lee", "ann@example.org", Now.AddDays(-10));
        var afterwards = await world.RegistrationAsync(ended, "Bo Chen", "bo@example.org", Now.AddDays(-10));

        await world.RecordAttendanceAsync(running, [(atTheDoor, 90, true)]);
        await world.RecordAttendanceAsync(ended, [(afterwards, 90, true)]);

        Assert.Equal(1, await world.CountAsync("evaluation_invitations", "registration_id = @r", new { r = atTheDoor.ToString() }));
        Assert.Equal(Now.AddMinutes(70).ToUnixTimeMilliseconds(), await world.ScalarAsync<long>(
            "SELECT next_attempt_utc_ms FROM outbox_messages WHERE registration_id = @r AND purpose = 'evaluation-requested'", new { r = atTheDoor.ToString() }));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), await world.ScalarAsync<long>(
            "SELECT next_attempt_utc_ms FROM outbox_messages WHERE registration_id = @r AND purpose = 'evaluation-requested'", new { r = afterwards.ToString() }));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task APersonWhoseAttendanceIsCorrectedToAttended_IsInvitedThen(DatabaseProvider provider)
    {
        var world = await EvaluationWorld.CreateAsync(fixture, provider, Now);
        var session = await world.SessionAsync(await world.SeriesAsync(), "Simulation Labs", Now.AddHours(-3));
        var person = await world.RegistrationAsync(session, "Bo Chen", "bo@example.org", Now.AddDays(-10));

        await world.RecordAttendanceAsync(session, [(person, 20, false)]);
        var before = await world.CountAsync("evaluation_invitations");
        await world.RecordAttendanceAsync(session, [(person, 80, true)]);

        Assert.Equal(0, before);
        Assert.Equal(1, await world.CountAsync("evaluation_invitations", "registration_id = @r", new { r = person.ToString() }));
        Assert.Equal(1, await world.CountAsync("outbox_messages", "purpose = 'evaluation-requested'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhenTheAttendanceWriterRollsBack_NoInvitationAndNoMailRemain(DatabaseProvider provider)
    {
        var world = await EvaluationWorld.CreateAsync(fixture, provider, Now);
        var session = await world.SessionAsync(await world.SeriesAsync(), "Simulation Labs", Now.AddHours(-3));
        var person = await world.RegistrationAsync(session, "Ann Lee", "ann@example.org", Now.AddDays(-10));

        await world.RecordAttendanceAsync(session, [(person, 85, true)], commit: false);

        Assert.Equal(0, await world.CountAsync("attendance"));
        Assert.Equal(0, await world.CountAsync("evaluation_invitations"));
        Assert.Equal(0, await world.CountAsync("outbox_messages"));
        // The control: the same write committed leaves both.
        await world.RecordAttendanceAsync(session, [(person, 85, true)]);
        Assert.Equal(1, await world.CountAsync("evaluation_invitations"));
        Assert.Equal(1, await world.CountAsync("outbox_messages"));
    }
}
