using System.Globalization;

namespace LearnHub.Grains.Mentoring;

/// <summary>What a mentor profile may say, and how it is checked.</summary>
public static class MentorProfileRules
{
    /// <summary>The specialties the programme matches on.</summary>
    public static readonly IReadOnlyList<string> Specialties = ["older adults", "forensic", "Deaf and hard of hearing", "youth", "employment"];

    /// <summary>Most languages on one profile.</summary>
    public const int MaxLanguages = 10;

    /// <summary>Longest agency, region or language name.</summary>
    public const int MaxName = 200;

    /// <summary>Languages as typed ("English, Spanish; ASL"): trimmed, de-duplicated ignoring case, in the order given.</summary>
    public static IReadOnlyList<string> ParseLanguages(string? typed) =>
        (typed ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .DistinctBy(l => l.ToUpperInvariant()).ToList();

    /// <summary>The problems with a profile, keyed by field; empty when it can be saved.</summary>
    public static IReadOnlyDictionary<string, string> Problems(string? agency, string? region, IReadOnlyList<string> specialties,
        IReadOnlyList<string> languages, string? timeZone, int capacity)
    {
        ArgumentNullException.ThrowIfNull(specialties);
        ArgumentNullException.ThrowIfNull(languages);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(agency) || agency.Trim().Length > MaxName)
        {
            problems["agency"] = "Enter the mentor's agency.";
        }

        if (string.IsNullOrWhiteSpace(region) || region.Trim().Length > MaxName)
        {
            problems["region"] = "Enter the mentor's region.";
        }

        if (specialties.Any(s => !Specialties.Contains(s, StringComparer.Ordinal)))
        {
            problems["specialties"] = $"Specialties are: {string.Join(", ", Specialties)}.";
        }

        if (languages.Count > MaxLanguages || languages.Any(l => l.Length > 40 || !l.All(c => char.IsLetter(c) || c is ' ' or '-' or '(' or ')')))
        {
            problems["languages"] = $"List up to {MaxLanguages} languages separated by commas, e.g. English, Spanish, ASL.";
        }

        if (!Time.Zones.TryFind(timeZone, out _))
        {
            problems["timeZone"] = "Enter an IANA time zone, e.g. America/Chicago.";
        }

        if (capacity is < 0 or > 50)
        {
            problems["capacity"] = "Enter how many mentees at once, from 0 to 50.";
        }

        return problems;
    }
}

/// <summary>A mentor as the matcher sees them: their profile and how many mentees they have now.</summary>
public sealed record MentorCandidate(Guid MentorId, string Name, string Agency, string Region, IReadOnlyList<string> Specialties,
    IReadOnlyList<string> Languages, int Capacity, int ActiveMentees, bool Active)
{
    /// <summary>Places left before capacity (never negative).</summary>
    public int FreePlaces => Math.Max(0, Capacity - ActiveMentees);

    /// <summary>Active and below capacity: can be assigned without an override.</summary>
    public bool Available => Active && FreePlaces > 0;
}

/// <summary>What the coordinator knows of a new staff member to match: any part may be left empty.</summary>
public sealed record MenteeNeeds(string? Agency, string? Region, IReadOnlyList<string> Specialties, IReadOnlyList<string> Languages);

/// <summary>One mentor in the ranked list, with the reasons they fit (or why they cannot be assigned without an override).</summary>
public sealed record MentorSuggestion(MentorCandidate Mentor, int Score, IReadOnlyList<string> Reasons);

/// <summary>
/// Ranks mentors for a new staff member. Points: same region 3, same agency 2, each matching specialty 3, a shared
/// language 2, spare capacity 1 per free place up to 3. Available mentors come first; paused or full ones follow, and
/// are left out unless the coordinator means to override. Ties go to more free places, then the name.
/// </summary>
public static class MentorMatching
{
    /// <summary>The ranked suggestions.</summary>
    public static IReadOnlyList<MentorSuggestion> Rank(MenteeNeeds needs, IEnumerable<MentorCandidate> candidates, bool includeUnavailable)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .Where(c => includeUnavailable || c.Available)
            .Select(c => Score(needs, c))
            .OrderByDescending(s => s.Mentor.Available)
            .ThenByDescending(s => s.Score)
            .ThenByDescending(s => s.Mentor.FreePlaces)
            .ThenBy(s => s.Mentor.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static MentorSuggestion Score(MenteeNeeds needs, MentorCandidate mentor)
    {
        var score = 0;
        var reasons = new List<string>();
        if (Same(needs.Region, mentor.Region))
        {
            score += 3;
            reasons.Add($"Same region ({mentor.Region})");
        }

        if (Same(needs.Agency, mentor.Agency))
        {
            score += 2;
            reasons.Add($"Same agency ({mentor.Agency})");
        }

        foreach (var specialty in needs.Specialties.Where(s => mentor.Specialties.Contains(s, StringComparer.OrdinalIgnoreCase)))
        {
            score += 3;
            reasons.Add($"Specialty: {specialty}");
        }

        var shared = mentor.Languages.Where(l => needs.Languages.Contains(l, StringComparer.OrdinalIgnoreCase)).ToList();
        if (shared.Count > 0)
        {
            score += 2;
            reasons.Add($"Speaks {string.Join(", ", shared)}");
        }

        if (!mentor.Active)
        {
            reasons.Add("Paused: not taking mentees");
        }
        else if (mentor.FreePlaces == 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"Full: {mentor.ActiveMentees} of {mentor.Capacity} places taken"));
        }
        else
        {
            score += Math.Min(3, mentor.FreePlaces);
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{mentor.FreePlaces} of {mentor.Capacity} places free"));
        }

        return new MentorSuggestion(mentor, score, reasons);
    }

    private static bool Same(string? wanted, string actual) =>
        !string.IsNullOrWhiteSpace(wanted) && string.Equals(wanted.Trim(), actual.Trim(), StringComparison.OrdinalIgnoreCase);
}
