using Dapper;
using LearnHub.Grains.Evaluations;
using LearnHub.Silo.Storage;

namespace LearnHub.Silo.Evaluations;

/// <summary>How one rated question was answered: how many chose each rating.</summary>
/// <param name="Question">The question.</param>
/// <param name="Distribution">Answers per rating: index 0 holds the ones, index 4 the fives.</param>
public sealed record RatingSummary(RatedQuestion Question, IReadOnlyList<int> Distribution)
{
    /// <summary>Answers given.</summary>
    public int Count => Distribution.Sum();

    /// <summary>The mean rating, 1 to 5; null when nobody answered.</summary>
    public double? Average => Count == 0 ? null : (double)Distribution.Select((n, i) => n * (i + 1)).Sum() / Count;
}

/// <summary>The answers to "Would you recommend this training to a colleague?".</summary>
public sealed record RecommendCounts(int Yes, int Maybe, int No)
{
    /// <summary>Answers given.</summary>
    public int Total => Yes + Maybe + No;

    /// <summary>The share who said yes, 0 to 1; null when nobody answered.</summary>
    public double? YesShare => Total == 0 ? null : (double)Yes / Total;
}

/// <summary>A response's free text; <see cref="Name"/> is null when it was given anonymously.</summary>
public sealed record EvaluationComment(string? Name, string MostUseful, string Suggestions);

/// <summary>A session's evaluation for its organizers.</summary>
public sealed record SessionEvaluationResults(int Invited, int Completed, IReadOnlyList<RatingSummary> Ratings, RecommendCounts Recommend,
    IReadOnlyList<EvaluationComment> Comments)
{
    /// <summary>Completed ÷ invited, 0 to 1; null before anyone was invited.</summary>
    public double? ResponseRate => Invited == 0 ? null : (double)Completed / Invited;
}

/// <summary>A row of the response export; name and email are null for an anonymous response.</summary>
public sealed record EvaluationExportRow(Guid ResponseId, DateOnly SubmittedOn, string? Name, string? Email, int Overall, int Content, int Presenters,
    int Relevance, string Recommend, string MostUseful, string Suggestions);

/// <summary>Registrations made in one week (Monday to Sunday, UTC).</summary>
public sealed record WeekCount(DateOnly WeekStarting, int Registrations);

/// <summary>One session of a series on the dashboard: attendance and evaluation.</summary>
/// <param name="Confirmed">Registrations holding a seat.</param>
/// <param name="Attended">Of those, how many attended (as recorded in attendance).</param>
/// <param name="AttendanceRecorded">False until attendance has been recorded for anyone of the session.</param>
/// <param name="Responses">Evaluation responses.</param>
/// <param name="OverallSum">The sum of their overall ratings.</param>
/// <param name="RecommendYes">How many of them would recommend it.</param>
public sealed record SessionOutcome(Guid SessionId, string Title, DateTimeOffset StartsAt, int Confirmed, int Attended, bool AttendanceRecorded,
    int Responses, int OverallSum, int RecommendYes)
{
    /// <summary>Attended ÷ confirmed, 0 to 1; null while attendance is unrecorded or nobody held a seat.</summary>
    public double? AttendanceRate => !AttendanceRecorded || Confirmed == 0 ? null : (double)Attended / Confirmed;

    /// <summary>The mean overall rating; null without responses.</summary>
    public double? AverageOverall => Responses == 0 ? null : (double)OverallSum / Responses;

    /// <summary>The share of responses that would recommend it; null without responses.</summary>
    public double? RecommendShare => Responses == 0 ? null : (double)RecommendYes / Responses;
}

/// <summary>The organizer's dashboard of a series.</summary>
public sealed record SeriesDashboard(IReadOnlyList<WeekCount> RegistrationsByWeek, IReadOnlyList<SessionOutcome> Sessions);

/// <summary>Evaluation results, their export and the series dashboard: a few set-based queries each.</summary>
public sealed class EvaluationReports(LearnHubDatabase database)
{
    // Unix time began on a Thursday; the first Monday after it is four days later. Weeks are counted from there.
    private const long FirstMondayMs = 4 * 86_400_000L;
    private const long WeekMs = 7 * 86_400_000L;

    /// <summary>A session's invitations, ratings, recommendations and comments.</summary>
    public async Task<SessionEvaluationResults> SessionResultsAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var session = new { session = sessionId.ToString() };
        var (invited, completed) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT COUNT(*), COUNT(completed_utc_ms) FROM evaluation_invitations WHERE session_id = @session", session, cancellationToken: cancellationToken));
        var responses = (await connection.QueryAsync<ResponseRow>(new CommandDefinition(
            """
            SELECT e.id, e.submitted_utc_ms, r.name, r.email, e.rating_overall, e.rating_content, e.rating_presenters, e.rating_relevance, e.recommend,
                   e.most_useful, e.suggestions
            FROM evaluation_responses e LEFT JOIN registrations r ON r.id = e.registration_id
            WHERE e.session_id = @session
            ORDER BY e.id
            """, session, cancellationToken: cancellationToken))).ToList();

        var ratings = Enum.GetValues<RatedQuestion>().Select(q =>
        {
            var distribution = new int[EvaluationAnswers.MaxRating];
            foreach (var response in responses)
            {
                distribution[response.Rating(q) - 1]++;
            }

            return new RatingSummary(q, distribution);
        }).ToList();
        int Said(string answer) => responses.Count(r => r.recommend == answer);
        var comments = responses.Where(r => r.most_useful.Length > 0 || r.suggestions.Length > 0)
            .Select(r => new EvaluationComment(r.name, r.most_useful, r.suggestions)).ToList();
        return new SessionEvaluationResults((int)invited, (int)completed, ratings,
            new RecommendCounts(Said(Recommendation.Yes.ToWire()), Said(Recommendation.Maybe.ToWire()), Said(Recommendation.No.ToWire())), comments);
    }

    /// <summary>Every response of a session, oldest day first; anonymous ones without name or email.</summary>
    public async Task<IReadOnlyList<EvaluationExportRow>> ExportAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ResponseRow>(new CommandDefinition(
            """
            SELECT e.id, e.submitted_utc_ms, r.name, r.email, e.rating_overall, e.rating_content, e.rating_presenters, e.rating_relevance, e.recommend,
                   e.most_useful, e.suggestions
            FROM evaluation_responses e LEFT JOIN registrations r ON r.id = e.registration_id
            WHERE e.session_id = @session
            ORDER BY e.submitted_utc_ms, e.id
            """, new { session = sessionId.ToString() }, cancellationToken: cancellationToken));
        // Only the day: an anonymous response keeps no more than that, and a named one is not made to stand out by more.
        return rows.Select(r => new EvaluationExportRow(Guid.Parse(r.id), DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(r.submitted_utc_ms).UtcDateTime),
            r.name, r.email, (int)r.rating_overall, (int)r.rating_content, (int)r.rating_presenters, (int)r.rating_relevance, r.recommend, r.most_useful, r.suggestions)).ToList();
    }

    /// <summary>A series' registrations by week, and each session's attendance rate and evaluation scores, in start order.</summary>
    public async Task<SeriesDashboard> SeriesDashboardAsync(Guid seriesId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var series = new { series = seriesId.ToString() };
        var weeks = (await connection.QueryAsync<(long Week, long Count)>(new CommandDefinition(
            $"""
            SELECT (r.registered_utc_ms - {FirstMondayMs}) / {WeekMs} AS week, COUNT(*) AS registrations
            FROM registrations r JOIN sessions s ON s.id = r.session_id
            WHERE s.series_id = @series
            GROUP BY (r.registered_utc_ms - {FirstMondayMs}) / {WeekMs}
            """, series, cancellationToken: cancellationToken))).ToDictionary(w => w.Week, w => (int)w.Count);
        var byWeek = new List<WeekCount>();
        if (weeks.Count > 0)
        {
            // Every week from the first registration to the last, the quiet ones included, so the chart's axis is time.
            for (var week = weeks.Keys.Min(); week <= weeks.Keys.Max(); week++)
            {
                var monday = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(FirstMondayMs + week * WeekMs).UtcDateTime);
                byWeek.Add(new WeekCount(monday, weeks.GetValueOrDefault(week)));
            }
        }

        var sessions = await connection.QueryAsync<OutcomeRow>(new CommandDefinition(
            """
            SELECT s.id, s.title, s.starts_utc_ms,
                   (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'confirmed') AS confirmed,
                   (SELECT COUNT(*) FROM attendance a JOIN registrations r ON r.id = a.registration_id
                    WHERE a.session_id = s.id AND a.attended = 1 AND r.status = 'confirmed') AS attended,
                   (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id) AS attendance_rows,
                   (SELECT COUNT(*) FROM evaluation_responses e WHERE e.session_id = s.id) AS responses,
                   (SELECT COALESCE(SUM(e.rating_overall), 0) FROM evaluation_responses e WHERE e.session_id = s.id) AS overall_sum,
                   (SELECT COUNT(*) FROM evaluation_responses e WHERE e.session_id = s.id AND e.recommend = 'yes') AS recommend_yes
            FROM sessions s
            WHERE s.series_id = @series
            ORDER BY s.starts_utc_ms, s.title
            """, series, cancellationToken: cancellationToken));
        return new SeriesDashboard(byWeek, sessions.Select(s => new SessionOutcome(Guid.Parse(s.id), s.title, DateTimeOffset.FromUnixTimeMilliseconds(s.starts_utc_ms),
            (int)s.confirmed, (int)s.attended, s.attendance_rows > 0, (int)s.responses, (int)s.overall_sum, (int)s.recommend_yes)).ToList());
    }

    private sealed class ResponseRow
    {
        public string id { get; set; } = "";
        public long submitted_utc_ms { get; set; }
        public string? name { get; set; }
        public string? email { get; set; }
        public long rating_overall { get; set; }
        public long rating_content { get; set; }
        public long rating_presenters { get; set; }
        public long rating_relevance { get; set; }
        public string recommend { get; set; } = "";
        public string most_useful { get; set; } = "";
        public string suggestions { get; set; } = "";

        public int Rating(RatedQuestion question) => (int)(question switch
        {
            RatedQuestion.Overall => rating_overall,
            RatedQuestion.Content => rating_content,
            RatedQuestion.Presenters => rating_presenters,
            _ => rating_relevance,
        });
    }

    private sealed class OutcomeRow
    {
        public string id { get; set; } = "";
        public string title { get; set; } = "";
        public long starts_utc_ms { get; set; }
        public long confirmed { get; set; }
        public long attended { get; set; }
        public long attendance_rows { get; set; }
        public long responses { get; set; }
        public long overall_sum { get; set; }
        public long recommend_yes { get; set; }
    }
}
