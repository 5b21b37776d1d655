using LearnHub.Grains.Evaluations;
using LearnHub.Silo.Evaluations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Evaluations;

/// <summary>The organizer's figures, computed from rows whose answers are known.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class EvaluationReportsTests(DatabaseFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A series of two sessions. The first: five confirmed registrants (and one who cancelled), four with attendance,
    /// three of them attended; all three were invited and two answered (Ann by name, Bo anonymously). The second: two
    /// confirmed registrants, attendance not yet recorded.
    /// </summary>
    private async Task<(EvaluationWorld World, Guid Series, Guid First, Guid Second)> SeededAsync(DatabaseProvider provider)
    {
        var world = await EvaluationWorld.CreateAsync(fixture, provider, Now);
        var series = await world.SeriesAsync();
        var first = await world.SessionAsync(series, "Simulation Labs", new DateTimeOffset(2026, 11, 24, 17, 0, 0, TimeSpan.Zero));
        var second = await world.SessionAsync(series, "Learning Exchange", new DateTimeOffset(2026, 12, 8, 17, 0, 0, TimeSpan.Zero));
        // Week of Monday November 2: three (Monday 00:00 UTC, Wednesday, Sunday 23:59); none the week of the 9th;
        // week of the 16th: three (one later cancelled); week of the 23rd: two.
        var ann = await world.RegistrationAsync(first, "Ann Lee", "ann@example.org", new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
        var bo = await world.RegistrationAsync(first, "Bo Chen", "bo@example.org", new DateTimeOffset(2026, 11, 4, 12, 0, 0, TimeSpan.Zero));
        var cy = await world.RegistrationAsync(first, "Cy Diaz", "cy@example.org", new DateTimeOffset(2026, 11, 8, 23, 59, 0, TimeSpan.Zero));
        var di = await world.RegistrationAsync(first, "Di Evans", "di@example.org", new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero));
        await world.RegistrationAsync(first, "Ed Fox", "ed@example.org", new DateTimeOffset(2026, 11, 17, 9, 0, 0, TimeSpan.Zero));
        await world.RegistrationAsync(first, "Flo Gray", "flo@example.org", new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero), status: "cancelled");
        await world.RegistrationAsync(second, "Ann Lee", "ann@example.org", new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await world.RegistrationAsync(second, "Bo Chen", "bo@example.org", new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.Zero));
        await world.RecordAttendanceAsync(first, [(ann, 90, true), (bo, 80, true), (cy, 70, true), (di, 10, false)]);
        await world.Store.SubmitAsync(ann, EvaluationWorld.Answers(overall: 5, content: 4, presenters: 5, relevance: 4, recommend: "yes", mostUseful: "The role play"), false, default);
        await world.Store.SubmitAsync(bo, EvaluationWorld.Answers(overall: 2, content: 3, presenters: 4, relevance: 2, recommend: "maybe", suggestions: "More time"), true, default);
        return (world, series, first, second);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SessionResults_CountInvitationsAndAnswers_AndListCommentsWithNamesOnlyWhereGiven(DatabaseProvider provider)
    {
        var (world, _, first, second) = await SeededAsync(provider);

        var results = await world.Reports.SessionResultsAsync(first, default);
        var empty = await world.Reports.SessionResultsAsync(second, default);

        Assert.Equal((3, 2), (results.Invited, results.Completed));
        Assert.Equal(2.0 / 3, results.ResponseRate!.Value, 10);
        var byQuestion = results.Ratings.ToDictionary(r => r.Question);
        Assert.Equal([0, 1, 0, 0, 1], byQuestion[RatedQuestion.Overall].Distribution);
        Assert.Equal(3.5, byQuestion[RatedQuestion.Overall].Average);
        Assert.Equal([0, 0, 1, 1, 0], byQuestion[RatedQuestion.Content].Distribution);
        Assert.Equal(4.5, byQuestion[RatedQuestion.Presenters].Average);
        Assert.Equal(3.0, byQuestion[RatedQuestion.Relevance].Average);
        Assert.Equal((1, 1, 0, 0.5), (results.Recommend.Yes, results.Recommend.Maybe, results.Recommend.No, results.Recommend.YesShare));
        Assert.Equal(
            [("Ann Lee", "The role play", ""), (null, "", "More time")],
            results.Comments.Select(c => (c.Name, c.MostUseful, c.Suggestions)).OrderBy(c => c.Name is null));
        Assert.Equal((0, 0, (double?)null), (empty.Invited, empty.Completed, empty.ResponseRate));
        Assert.All(empty.Ratings, r => Assert.Null(r.Average));
        Assert.Null(empty.Recommend.YesShare);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheExport_HasOneRowPerResponse_WithTheNameAndEmailOnlyOfNamedOnes(DatabaseProvider provider)
    {
        var (world, _, first, _) = await SeededAsync(provider);

        var rows = await world.Reports.ExportAsync(first, default);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(new DateOnly(2026, 12, 1), r.SubmittedOn));
        var named = Assert.Single(rows, r => r.Name is not null);
        Assert.Equal(("Ann Lee", "ann@example.org", 5, 4, 5, 4, "yes", "The role play"),
            (named.Name, named.Email, named.Overall, named.Content, named.Presenters, named.Relevance, named.Recommend, named.MostUseful));
        var anonymous = Assert.Single(rows, r => r.Name is null);
        Assert.Equal(((string?)null, 2, "maybe", "More time"), (anonymous.Email, anonymous.Overall, anonymous.Recommend, anonymous.Suggestions));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheSeriesDashboard_CountsRegistrationsByWeek_AttendanceOfConfirmedSeats_AndScoresPerSession(DatabaseProvider provider)
    {
        var (world, series, first, second) = await SeededAsync(provider);

        var dashboard = await world.Reports.SeriesDashboardAsync(series, default);

        Assert.Equal(
            [(new DateOnly(2026, 11, 2), 3), (new DateOnly(2026, 11, 9), 0), (new DateOnly(2026, 11, 16), 3), (new DateOnly(2026, 11, 23), 2)],
            dashboard.RegistrationsByWeek.Select(w => (w.WeekStarting, w.Registrations)));
        Assert.Equal([first, second], dashboard.Sessions.Select(s => s.SessionId));
        var one = dashboard.Sessions[0];
        Assert.Equal((5, 3, 0.6), (one.Confirmed, one.Attended, one.AttendanceRate));
        Assert.Equal((2, 3.5, 0.5), (one.Responses, one.AverageOverall, one.RecommendShare));
        var two = dashboard.Sessions[1];
        Assert.Equal((2, 0, false, (double?)null), (two.Confirmed, two.Attended, two.AttendanceRecorded, two.AttendanceRate));
        Assert.Equal((0, (double?)null, (double?)null), (two.Responses, two.AverageOverall, two.RecommendShare));
        Assert.Empty((await world.Reports.SeriesDashboardAsync(await world.SeriesAsync("Empty"), default)).RegistrationsByWeek);
    }
}
