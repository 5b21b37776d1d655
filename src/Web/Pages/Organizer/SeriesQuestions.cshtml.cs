using LearnHub.Grains.Catalog;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// The registration questions of a series: add, change, remove and reorder them, one plain form post each, so it works
/// without JavaScript. Every edit goes through the series grain, which stores it with an audit entry. Answers already
/// given keep the question's label and the options' texts they were given under, so any edit is safe to make.
/// </summary>
[Hosting.MultiLineFields("Options")]
[Authorize(Policy = Policies.Organizer)]
public sealed class SeriesQuestionsModel(CatalogStore catalog, IGrainFactory grains, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>The series.</summary>
    public SeriesView Series { get; private set; } = null!;

    /// <summary>Its questions, in order.</summary>
    public IReadOnlyList<RegistrationQuestion> Questions { get; private set; } = [];

    /// <summary>The question being changed (null: the form adds one).</summary>
    [BindProperty(SupportsGet = true, Name = "edit")]
    public string? EditId { get; set; }

    /// <summary>The question's label.</summary>
    [BindProperty]
    public string? Label { get; set; }

    /// <summary>The kind's wire name.</summary>
    [BindProperty]
    public string? Kind { get; set; }

    /// <summary>The optional hint.</summary>
    [BindProperty]
    public string? Hint { get; set; }

    /// <summary>Whether an answer is required.</summary>
    [BindProperty]
    public bool Required { get; set; }

    /// <summary>The options of a choice question, one a line.</summary>
    [BindProperty]
    public string? Options { get; set; }

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Shows the list, and the form empty or filled with the question being changed.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (EditId is not null)
        {
            if (Questions.FirstOrDefault(q => q.Id == EditId) is not { } question)
            {
                return NotFound();
            }

            (Label, Kind, Hint, Required, Options) = (question.Label, question.Kind.ToWire(), question.Hint, question.Required, string.Join('\n', question.Options.Select(o => o.Label)));
        }

        return Page();
    }

    /// <summary>Adds the question, or changes the one being edited; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var existing = EditId is null ? null : Questions.FirstOrDefault(q => q.Id == EditId);
        if (EditId is not null && existing is null)
        {
            Errors.Add("label", t["That question is not in this series any more; the list below is current."]);
            EditId = null;
            return Invalid();
        }

        var kind = RegistrationQuestions.KindFromWire(Kind);
        if (kind is null)
        {
            Errors.Add("kind", t["Choose what kind of answer the question takes."]);
        }

        var hasOptions = kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice;
        var question = new RegistrationQuestion(existing?.Id ?? RegistrationQuestions.NewId(), kind ?? QuestionKind.ShortText, (Label ?? "").Trim(),
            string.IsNullOrWhiteSpace(Hint) ? null : Hint.Trim(), Required,
            // Options typed for a text or yes/no question are not an error worth stopping for: that kind has none.
            hasOptions ? RegistrationQuestions.OptionsFromLines(Options, existing?.Options ?? []) : []);
        if (!Errors.None)
        {
            foreach (var (field, problem) in question.Problems().Where(p => p.Key != "kind"))
            {
                Errors.Add(field, problem);
            }

            return Invalid();
        }

        var edit = new QuestionEdit(existing is null ? QuestionEditAction.Add : QuestionEditAction.Change, existing?.Id, question);
        return await SaveAsync(id, edit, existing is null ? t["Added the question “{0}”.", question.Label].Value : t["Saved the question “{0}”.", question.Label].Value, cancellationToken);
    }

    /// <summary>Removes a question.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid id, string questionId, CancellationToken cancellationToken) =>
        await EditAsync(id, new QuestionEdit(QuestionEditAction.Remove, questionId, null), "Removed the question “{0}”. Answers already given keep it.", cancellationToken);

    /// <summary>Moves a question one place up or down.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid id, string questionId, string direction, CancellationToken cancellationToken) =>
        await EditAsync(id, new QuestionEdit(direction == "up" ? QuestionEditAction.MoveUp : QuestionEditAction.MoveDown, questionId, null),
            direction == "up" ? "Moved “{0}” up." : "Moved “{0}” down.", cancellationToken);

    // The notice is an OrganizerResource key with the question's label as {0}.
    private async Task<IActionResult> EditAsync(Guid id, QuestionEdit edit, string notice, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        EditId = null;
        var label = Questions.FirstOrDefault(q => q.Id == edit.QuestionId)?.Label ?? "";
        return await SaveAsync(id, edit, t[notice, label].Value, cancellationToken);
    }

    private async Task<IActionResult> SaveAsync(Guid id, QuestionEdit edit, string notice, CancellationToken cancellationToken)
    {
        var editor = new QuestionEditor(User.AccountId(), User.Identity?.Name, HttpContext.Connection.RemoteIpAddress?.ToString());
        var result = await grains.GetGrain<ISeriesGrain>(id).EditQuestionsAsync(edit, editor, cancellationToken);
        switch (result.Outcome)
        {
            case QuestionSaveOutcome.Saved:
                TempData["Notice"] = notice;
                return Redirect($"/organizer/series/{id}/questions");
            case QuestionSaveOutcome.NotFound:
                return NotFound();
            case QuestionSaveOutcome.Invalid:
                Questions = result.Questions;
                foreach (var (field, problem) in result.Problems)
                {
                    // A stale question id has no field of its own: it reads at the label, the form's first field.
                    Errors.Add(field is "question" or "id" ? "label" : field, problem);
                }

                return Invalid();
            default:
                throw new InvalidOperationException($"Unknown question save outcome {result.Outcome}.");
        }
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await catalog.FindSeriesForOrganizersAsync(id, cancellationToken) is not { } series)
        {
            return false;
        }

        Series = series;
        Questions = await grains.GetGrain<ISeriesGrain>(id).QuestionsAsync(cancellationToken);
        return true;
    }
}
