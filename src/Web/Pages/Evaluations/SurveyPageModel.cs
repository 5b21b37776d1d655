using LearnHub.Grains.Time;
using LearnHub.Grains.Evaluations;
using LearnHub.Silo.Evaluations;
using LearnHub.Web.Pages.Organizer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Evaluations;

/// <summary>Where the survey of one invitation stands for the person looking at it.</summary>
public enum SurveyState
{
    /// <summary>Waiting for answers: the form is shown.</summary>
    Open,

    /// <summary>Answered already (or just now): no form, a clear sentence.</summary>
    Completed,

    /// <summary>No invitation behind this link (wrong, tampered or someone else's).</summary>
    Unknown,

    /// <summary>The session has not ended yet: the page says when the survey opens.</summary>
    NotYetOpen,
}

/// <summary>
/// The evaluation survey of one invitation, however the person reached it (the emailed link, or signed in with the
/// email they registered with). Answers are read and checked before anything is written; a refused submission
/// changes nothing and says why.
/// </summary>
[Hosting.MultiLineFields("MostUseful", "Suggestions")]
public abstract class SurveyPageModel(EvaluationStore store, LearnHubClock clock) : PageModel
{
    /// <summary>The rating of the training overall, 1–5.</summary>
    [BindProperty]
    public string? OverallRating { get; set; }

    /// <summary>The rating of the content, 1–5.</summary>
    [BindProperty]
    public string? ContentRating { get; set; }

    /// <summary>The rating of the presenters, 1–5.</summary>
    [BindProperty]
    public string? PresentersRating { get; set; }

    /// <summary>The rating of the relevance to the person's work, 1–5.</summary>
    [BindProperty]
    public string? RelevanceRating { get; set; }

    /// <summary>"yes", "maybe" or "no".</summary>
    [BindProperty]
    public string? Recommend { get; set; }

    /// <summary>What was most useful.</summary>
    [BindProperty]
    public string? MostUseful { get; set; }

    /// <summary>What could be better.</summary>
    [BindProperty]
    public string? Suggestions { get; set; }

    /// <summary>True to keep the answers apart from the person's name.</summary>
    [BindProperty]
    public bool Anonymous { get; set; }

    /// <summary>The invitation, when the link opens one.</summary>
    public EvaluationInvitationView? Invitation { get; private set; }

    /// <summary>What the page shows.</summary>
    public SurveyState State { get; private set; }

    /// <summary>True right after this person's answers were stored.</summary>
    [TempData]
    public bool JustSubmitted { get; set; }

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>The form field name of a question's rating ("OverallRating" …).</summary>
    public static string FormName(RatedQuestion question) => $"{question}Rating";

    /// <summary>The posted rating of a question.</summary>
    public string? RatingOf(RatedQuestion question) => question switch
    {
        RatedQuestion.Overall => OverallRating,
        RatedQuestion.Content => ContentRating,
        RatedQuestion.Presenters => PresentersRating,
        _ => RelevanceRating,
    };

    /// <summary>The invitation this request may open, or null.</summary>
    protected abstract Task<EvaluationInvitationView?> ResolveAsync(CancellationToken cancellationToken);

    /// <summary>Shows the survey, or says it was answered or that the link opens nothing.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Checks the answers, then stores them with the invitation's completion.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        var (answers, problems) = EvaluationAnswers.Read(
            Enum.GetValues<RatedQuestion>().ToDictionary(q => q, RatingOf), Recommend, MostUseful, Suggestions);
        foreach (var (field, message) in problems)
        {
            Errors.Add(field, message);
        }

        if (answers is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await store.SubmitAsync(Invitation!.RegistrationId, answers, Anonymous, cancellationToken);
        if (outcome != EvaluationSubmitOutcome.Submitted)
        {
            // Answered in another tab or by a second click meanwhile: the first answers stand.
            (State, Response.StatusCode) = outcome switch
            {
                EvaluationSubmitOutcome.AlreadyCompleted => (SurveyState.Completed, StatusCodes.Status409Conflict),
                EvaluationSubmitOutcome.NotYetOpen => (SurveyState.NotYetOpen, StatusCodes.Status409Conflict),
                _ => (SurveyState.Unknown, StatusCodes.Status404NotFound),
            };
            return Page();
        }

        JustSubmitted = true;
        return Redirect(Request.Path);
    }

    /// <summary>Finds the invitation and sets the state and status; true when the survey is open for answers.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Invitation = await ResolveAsync(cancellationToken);
        State = Invitation is null ? SurveyState.Unknown
            : Invitation.Completed ? SurveyState.Completed
            : Invitation.OpensLater(clock.GetUtcNow()) ? SurveyState.NotYetOpen
            : SurveyState.Open;
        if (State == SurveyState.Unknown)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (State is SurveyState.Completed or SurveyState.NotYetOpen && HttpMethods.IsPost(Request.Method))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return State == SurveyState.Open;
    }
}
