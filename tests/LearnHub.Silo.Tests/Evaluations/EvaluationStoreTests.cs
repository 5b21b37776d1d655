using LearnHub.Silo.Evaluations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Evaluations;

/// <summary>Opening an invitation and storing its answers: once, whole, and anonymously when asked.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class EvaluationStoreTests(DatabaseFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);

    private async Task<(EvaluationWorld World, Guid Session, Guid Registration, string Token)> InvitedAsync(DatabaseProvider provider)
    {
        var world = await EvaluationWorld.CreateAsync(fixture, provider, Now);
        var session = await world.SessionAsync(await world.SeriesAsync(), "Simulation Labs", Now.AddHours(-3));
        var registration = await world.RegistrationAsync(session, "Ann Lee", "Ann.Lee@Example.org", Now.AddDays(-10));
        await world.RecordAttendanceAsync(session, [(registration, 85, true)]);
        world.Clock.Advance(TimeSpan.FromHours(2.5)); // 20:30 UTC
        return (world, session, registration, await world.EmailedTokenAsync(registration));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Submit_StoresTheAnswers_MarksTheInvitationCompleted_AndTellsTheObservers(DatabaseProvider provider)
    {
        var (world, session, registration, token) = await InvitedAsync(provider);
        var invitation = await world.Store.FindByTokenAsync(token, default);

        var outcome = await world.Store.SubmitAsync(invitation!.RegistrationId,
            EvaluationWorld.Answers(overall: 5, content: 4, presenters: 5, relevance: 3, recommend: "maybe", mostUseful: "The role play"), anonymous: false, default);

        Assert.Equal(EvaluationSubmitOutcome.Submitted, outcome);
        Assert.Equal(("Simulation Labs", "Ann Lee", false), (invitation.SessionTitle, invitation.PersonName, invitation.Completed));
        Assert.Equal(1, await world.CountAsync("evaluation_responses",
            "registration_id = @r AND session_id = @s AND rating_overall = 5 AND rating_content = 4 AND rating_presenters = 5 AND rating_relevance = 3 AND recommend = 'maybe' AND most_useful = 'The role play' AND suggestions = '' AND submitted_utc_ms = @at",
            new { r = registration.ToString(), s = session.ToString(), at = world.Clock.GetUtcNow().ToUnixTimeMilliseconds() }));
        Assert.Equal(world.Clock.GetUtcNow(), (await world.Store.FindByTokenAsync(token, default))!.CompletedAt);
        var told = Assert.Single(world.Recorder.Changes);
        Assert.Equal((session, registration, (Guid?)null, world.Clock.GetUtcNow()), (told.SessionId, told.RegistrationIds.Single(), told.ActorId, told.At));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASecondSubmission_IsRefused_AndChangesNothing(DatabaseProvider provider)
    {
        var (world, _, registration, _) = await InvitedAsync(provider);
        await world.Store.SubmitAsync(registration, EvaluationWorld.Answers(overall: 5), anonymous: true, default);
        var completedAt = await world.ScalarAsync<long>("SELECT completed_utc_ms FROM evaluation_invitations");
        world.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await world.Store.SubmitAsync(registration, EvaluationWorld.Answers(overall: 1), anonymous: false, default);

        Assert.Equal(EvaluationSubmitOutcome.AlreadyCompleted, again);
        Assert.Equal(1, await world.CountAsync("evaluation_responses"));
        Assert.Equal(1, await world.CountAsync("evaluation_responses", "rating_overall = 5 AND registration_id IS NULL"));
        Assert.Equal(completedAt, await world.ScalarAsync<long>("SELECT completed_utc_ms FROM evaluation_invitations"));
        Assert.Single(world.Recorder.Changes);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnUnknownOrTamperedToken_OpensNothing_AndAnUnknownInvitationStoresNothing(DatabaseProvider provider)
    {
        var (world, _, _, token) = await InvitedAsync(provider);
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];

        Assert.NotNull(await world.Store.FindByTokenAsync(token, default));
        Assert.Null(await world.Store.FindByTokenAsync(tampered, default));
        Assert.Null(await world.Store.FindByTokenAsync(token[..^1], default));
        Assert.Null(await world.Store.FindByTokenAsync(new string('x', 5000), default));
        Assert.Null(await world.Store.FindByTokenAsync("", default));
        Assert.Equal(EvaluationSubmitOutcome.UnknownInvitation, await world.Store.SubmitAsync(Guid.NewGuid(), EvaluationWorld.Answers(), false, default));
        Assert.Equal(0, await world.CountAsync("evaluation_responses"));
        Assert.Empty(world.Recorder.Changes);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhenAnObserverFails_TheResponseAndTheCompletionAreNotKept(DatabaseProvider provider)
    {
        var (world, _, registration, _) = await InvitedAsync(provider);
        world.Recorder.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Store.SubmitAsync(registration, EvaluationWorld.Answers(), false, default));

        Assert.Equal(0, await world.CountAsync("evaluation_responses"));
        Assert.Equal(0, await world.CountAsync("evaluation_invitations", "completed_utc_ms IS NOT NULL"));
        // The control: once the observer works, the same submission goes through.
        world.Recorder.Fail = false;
        Assert.Equal(EvaluationSubmitOutcome.Submitted, await world.Store.SubmitAsync(registration, EvaluationWorld.Answers(), false, default));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnAnonymousResponse_KeepsNothingThatJoinsItToThePerson_WhileTheInvitationIsStillCompleted(DatabaseProvider provider)
    {
        var (world, session, registration, _) = await InvitedAsync(provider);

        await world.Store.SubmitAsync(registration, EvaluationWorld.Answers(suggestions: "More time for questions"), anonymous: true, default);

        var completed = await world.ScalarAsync<long?>("SELECT completed_utc_ms FROM evaluation_invitations WHERE registration_id = @r", new { r = registration.ToString() });
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(), completed);
        Assert.Equal(1, await world.CountAsync("evaluation_responses", "registration_id IS NULL AND session_id = @s", new { s = session.ToString() }));
        // Only the day is kept, and the id is random (a time-ordered id would carry the instant the invitation records).
        var submitted = await world.ScalarAsync<long>("SELECT submitted_utc_ms FROM evaluation_responses");
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), submitted);
        Assert.Equal(4, Guid.Parse(await world.ScalarAsync<string>("SELECT id FROM evaluation_responses")).Version);
        Assert.Equal(0, await world.CountAsync("evaluation_responses e JOIN evaluation_invitations i ON i.registration_id = e.registration_id OR i.completed_utc_ms = e.submitted_utc_ms"));
        var comment = Assert.Single((await world.Reports.SessionResultsAsync(session, default)).Comments);
        Assert.Equal((null, "More time for questions"), (comment.Name, comment.Suggestions));
        var exported = Assert.Single(await world.Reports.ExportAsync(session, default));
        Assert.Equal((null, null), (exported.Name, exported.Email));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASignedInPerson_FindsTheInvitationsOfTheirEmail_WhateverItsCase(DatabaseProvider provider)
    {
        var (world, session, registration, _) = await InvitedAsync(provider);
        var other = await world.RegistrationAsync(session, "Bo Chen", "bo@example.org", Now.AddDays(-10));
        await world.RecordAttendanceAsync(session, [(other, 85, true)]);

        var mine = await world.Store.ForEmailAsync(" ANN.LEE@example.org ", default);

        Assert.Equal([registration], mine.Select(i => i.RegistrationId));
        Assert.Empty(await world.Store.ForEmailAsync("nobody@example.org", default));
    }
}
