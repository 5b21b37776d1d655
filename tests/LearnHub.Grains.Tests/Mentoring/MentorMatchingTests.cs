using LearnHub.Grains.Mentoring;

namespace LearnHub.Grains.Tests.Mentoring;

public class MentorMatchingTests
{
    private static MentorCandidate Mentor(string name, string agency = "Other agency", string region = "South", string[]? specialties = null,
        string[]? languages = null, int capacity = 5, int mentees = 0, bool active = true) =>
        new(Guid.NewGuid(), name, agency, region, specialties ?? [], languages ?? ["English"], capacity, mentees, active);

    private static readonly MenteeNeeds NewWorker = new("NJ DCF", "North", ["youth"], ["Spanish"]);

    [Fact]
    public void Rank_PutsTheBestFitFirst_AndSaysWhy()
    {
        var near = Mentor("Ana", agency: "NJ DCF", region: "north", specialties: ["youth"], languages: ["English", "Spanish"], capacity: 4, mentees: 1);
        var sameRegion = Mentor("Ben", region: "North");
        var stranger = Mentor("Cy");

        var ranked = MentorMatching.Rank(NewWorker, [stranger, sameRegion, near], includeUnavailable: false);

        Assert.Equal(["Ana", "Ben", "Cy"], ranked.Select(s => s.Mentor.Name));
        Assert.Equal(["Same region (north)", "Same agency (NJ DCF)", "Specialty: youth", "Speaks Spanish", "3 of 4 places free"], ranked[0].Reasons);
        Assert.Equal(3 + 2 + 3 + 2 + 3, ranked[0].Score);
    }

    [Fact]
    public void PausedOrFullMentors_AreLeftOut_UnlessOverriding_ThenComeLastWithTheReason()
    {
        var paused = Mentor("Ana", agency: "NJ DCF", region: "North", specialties: ["youth"], active: false);
        var full = Mentor("Ben", agency: "NJ DCF", region: "North", capacity: 2, mentees: 2);
        var available = Mentor("Cy", capacity: 1);

        var without = MentorMatching.Rank(NewWorker, [paused, full, available], includeUnavailable: false);
        var with = MentorMatching.Rank(NewWorker, [paused, full, available], includeUnavailable: true);

        Assert.Equal(["Cy"], without.Select(s => s.Mentor.Name));
        Assert.Equal(["Cy", "Ana", "Ben"], with.Select(s => s.Mentor.Name));
        Assert.Contains("Paused: not taking mentees", with[1].Reasons);
        Assert.Contains("Full: 2 of 2 places taken", with[2].Reasons);
    }

    [Fact]
    public void EqualFits_GoToMoreSparePlaces_ThenByName()
    {
        var ranked = MentorMatching.Rank(new MenteeNeeds(null, null, [], []),
            [Mentor("Zoe", capacity: 3, mentees: 1), Mentor("Al", capacity: 3, mentees: 1), Mentor("Bo", capacity: 9, mentees: 0)], includeUnavailable: false);

        Assert.Equal(["Bo", "Al", "Zoe"], ranked.Select(s => s.Mentor.Name));
    }
}

public class MentorProfileRulesTests
{
    [Fact]
    public void AProfile_NeedsKnownSpecialties_PlainLanguageNames_AZone_AndASensibleCapacity()
    {
        var problems = MentorProfileRules.Problems(" ", "North", ["astrology"], ["English", "<script>"], "Mars/Olympus", -1);

        Assert.Equal(["agency", "capacity", "languages", "specialties", "timeZone"], problems.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(MentorProfileRules.Problems("NJ DCF", "North", ["Deaf and hard of hearing", "youth"], ["English", "American Sign Language"], "America/New_York", 5));
    }

    [Fact]
    public void Languages_AreSplitOnCommas_TrimmedAndDeduplicated()
    {
        Assert.Equal(["English", "Spanish", "ASL"], MentorProfileRules.ParseLanguages(" English, Spanish;ASL, english ,"));
    }
}
