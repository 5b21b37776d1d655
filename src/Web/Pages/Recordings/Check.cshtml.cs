using LearnHub.Grains.Certificates;
using LearnHub.Silo.Media;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Media;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LearnHub.Web.Pages.Recordings;

/// <summary>
/// A session's knowledge check, for a registrant who played enough of its recording (issue 14): the questions in this
/// attempt's order, one group of radio buttons each; the attempts left are stated. Passing completes self-study
/// credit, whose certificate is issued with the stored attempt. A plain form: it works without script.
/// </summary>
[AllowAnonymous]
public sealed class CheckModel(MediaDirectory media, SessionDirectory sessions, MediaPasses passes, IGrainFactory grains, SelfStudyReader selfStudy)
    : RecordingPageModel(media, sessions, passes)
{
    /// <summary>The registrant's self-study state, or null when their watching is not counted or the series grants no credit.</summary>
    public SelfStudyState? State { get; private set; }

    /// <summary>The questions of this attempt, in its order.</summary>
    public IReadOnlyList<CheckQuestion> Questions { get; private set; } = [];

    /// <summary>The answer to the last submission, or null before one.</summary>
    public CheckAnswer? Result { get; private set; }

    /// <summary>The answers as submitted (shown again when one was missing).</summary>
    public IReadOnlyDictionary<string, int> Given { get; private set; } = new Dictionary<string, int>();

    /// <summary>The recording's watch page, with this visit's pass.</summary>
    public string WatchUrl => $"/recordings/{Recording.Id}{PassQuery}";

    /// <summary>Shows the check, or why it cannot be taken yet.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    /// <summary>Grades an attempt; a refused one (answers missing, submitted twice, none left) changes nothing.</summary>
    /// <param name="id">The recording.</param>
    /// <param name="attempt">The attempt number the form was shown for.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    public async Task<IActionResult> OnPostAsync(Guid id, int attempt, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (State is not { Check: { } check } state || RegistrationId is not { } registration)
        {
            return Page();
        }

        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in Request.Form)
        {
            if (key.StartsWith("q-", StringComparison.Ordinal) && int.TryParse(value.ToString(), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var option))
            {
                answers[key[2..]] = option;
            }
        }

        Given = answers;
        if (!state.PlayedEnough)
        {
            Result = new CheckAnswer(CheckOutcome.Refused, state.Standing!, Problem: $"Watch at least {state.Rule.Percent}% of the recording before you take the knowledge check.");
        }
        else
        {
            Result = await grains.GetGrain<IKnowledgeCheckGrain>(Session.Id).SubmitAsync(registration, attempt, answers);
        }

        if (Result.Outcome == CheckOutcome.Refused)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        // Read again: a pass may have issued the certificate, and the next attempt has its own order.
        State = await selfStudy.ForAsync(Session, Recording, registration, _progress, cancellationToken);
        Questions = State?.Standing is { } standing ? KnowledgeCheckRules.Order(check.Questions, registration, standing.NextAttempt) : [];
        return Page();
    }

    private Guid? RegistrationId { get; set; }

    private Grains.Media.ViewProgress? _progress;

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await DenyUnlessAllowedAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        Response.Headers.CacheControl = "no-store";
        if (Recording is not { Sha256: not null, LengthSeconds: { } length }
            || await Media.ViewOfAsync(Recording, Viewer) is not { Watcher.RegistrationId: { } registration } view)
        {
            return null;
        }

        RegistrationId = registration;
        _progress = await view.Grain.ProgressAsync(length);
        State = await selfStudy.ForAsync(Session, Recording, registration, _progress, cancellationToken);
        if (State is { Check: { } check, Standing: { } standing })
        {
            Questions = KnowledgeCheckRules.Order(check.Questions, registration, standing.NextAttempt);
        }

        return null;
    }
}
