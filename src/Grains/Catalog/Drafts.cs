using LearnHub.Grains.Time;

namespace LearnHub.Grains.Catalog;

/// <summary>A presenter as listed on a session.</summary>
public sealed record Presenter(string Name, string Affiliation);

/// <summary>A new series as an organizer (or the demo seeder) describes it.</summary>
public sealed record SeriesDraft(string Slug, string Title, string Description)
{
    /// <summary>The problems that stop it being stored; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Slug) || Slug.Length > 80 || !Slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            problems.Add("The slug must be 1–80 characters of a–z, 0–9 and '-'.");
        }

        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 200)
        {
            problems.Add("The title must be 1–200 characters.");
        }

        return problems;
    }
}

/// <summary>A new session in a series.</summary>
public sealed record SessionDraft(
    Guid SeriesId,
    SessionKind Kind,
    string Title,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    int Capacity,
    IReadOnlyList<Presenter> Presenters,
    string? Venue = null,
    string? City = null,
    Guid? WebinarId = null,
    string? JoinUrl = null)
{
    /// <summary>The problems that stop it being stored; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 300)
        {
            problems.Add("The title must be 1–300 characters.");
        }

        if (EndsAt <= StartsAt)
        {
            problems.Add("A session must end after it starts.");
        }

        if (!Zones.TryFind(TimeZone, out _))
        {
            problems.Add($"'{TimeZone}' is not an IANA time-zone id.");
        }

        if (Capacity < 0)
        {
            problems.Add("Capacity cannot be negative.");
        }

        if ((Kind == SessionKind.LearningExchange) != WebinarId.HasValue)
        {
            problems.Add("A learning exchange, and only a learning exchange, names the webinar it follows.");
        }

        if (JoinUrl is not null && (!Uri.TryCreate(JoinUrl, UriKind.Absolute, out var join) || join.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("A join link must be an absolute https:// URL.");
        }

        if (Kind == SessionKind.InPersonTraining && (string.IsNullOrWhiteSpace(Venue) || string.IsNullOrWhiteSpace(City)))
        {
            problems.Add("An in-person training needs a venue and a city.");
        }

        return problems;
    }
}
