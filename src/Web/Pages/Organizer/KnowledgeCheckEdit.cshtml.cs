using System.Globalization;
using LearnHub.Grains.Catalog;
using LearnHub.Grains.Certificates;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Writes a session's knowledge check (issue 14): 3–20 multiple-choice questions, a pass mark and the attempts a
/// learner has. Works without script: "Add a question" posts the form back with one more empty question, and a
/// question left wholly empty is dropped. A save that has a problem changes nothing and shows the form as typed.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class KnowledgeCheckEditModel(SessionDirectory sessions, IGrainFactory grains, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>Answer options shown per question (a question needs at least two).</summary>
    public const int OptionSlots = KnowledgeCheckDraft.MaxOptions;

    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>True when the session has a stored check.</summary>
    public bool Exists { get; private set; }

    /// <summary>The pass mark as typed.</summary>
    [BindProperty]
    public string? PassPercent { get; set; } = KnowledgeCheckDraft.DefaultPassPercent.ToString(CultureInfo.InvariantCulture);

    /// <summary>The attempts allowed, as typed.</summary>
    [BindProperty]
    public string? MaxAttempts { get; set; } = KnowledgeCheckDraft.DefaultMaxAttempts.ToString(CultureInfo.InvariantCulture);

    /// <summary>The questions as typed.</summary>
    [BindProperty]
    public List<QuestionForm> Questions { get; set; } = [];

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Shows the stored check, or an empty one of three questions.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
        {
            return missing;
        }

        if (await grains.GetGrain<IKnowledgeCheckGrain>(id).GetAsync() is { } check)
        {
            Exists = true;
            PassPercent = check.PassPercent.ToString(CultureInfo.InvariantCulture);
            MaxAttempts = check.MaxAttempts.ToString(CultureInfo.InvariantCulture);
            Questions = [.. check.Questions.Select(q => new QuestionForm { Id = q.Id, Prompt = q.Prompt, Options = [.. q.Options], Correct = q.Correct })];
        }

        Pad(0);
        return Page();
    }

    /// <summary>Shows the form again as typed, with one more empty question (up to the limit).</summary>
    public async Task<IActionResult> OnPostAddAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
        {
            return missing;
        }

        Exists = await grains.GetGrain<IKnowledgeCheckGrain>(id).GetAsync() is not null;
        Questions = [.. Questions.Where(q => !q.IsEmpty)];
        Pad(1);
        return Page();
    }

    /// <summary>Saves the check; on a problem shows the form again as typed.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
        {
            return missing;
        }

        var grain = grains.GetGrain<IKnowledgeCheckGrain>(id);
        Exists = await grain.GetAsync() is not null;
        Questions = [.. Questions.Where(q => !q.IsEmpty)];
        var pass = int.TryParse((PassPercent ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1;
        var attempts = int.TryParse((MaxAttempts ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : -1;
        var draft = new KnowledgeCheckDraft([.. Questions.Select(q => q.ToQuestion())], pass, attempts);
        foreach (var (field, problem) in await grain.SaveAsync(draft, User.AccountId()))
        {
            Errors.Add(field, problem);
        }

        if (Errors.None)
        {
            TempData["Notice"] = t["Saved the knowledge check of {0}.", Session.Title].Value;
            return Redirect($"/organizer/sessions/{id}#knowledge-check");
        }

        Pad(0);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Removes the check: self-study credit of the session no longer waits for one.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
        {
            return missing;
        }

        await grains.GetGrain<IKnowledgeCheckGrain>(id).RemoveAsync(User.AccountId());
        TempData["Notice"] = t["Removed the knowledge check of {0}.", Session.Title].Value;
        return Redirect($"/organizer/sessions/{id}#knowledge-check");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await sessions.ViewAsync(id, cancellationToken) is not { } session)
        {
            return NotFound();
        }

        Session = session;
        return null;
    }

    // At least the fewest questions a check has, plus the ones asked for, never more than the most; every question
    // with all its option slots.
    private void Pad(int more)
    {
        var count = Math.Min(KnowledgeCheckDraft.MaxQuestions, Math.Max(KnowledgeCheckDraft.MinQuestions, Questions.Count + more));
        while (Questions.Count < count)
        {
            Questions.Add(new QuestionForm());
        }

        foreach (var q in Questions)
        {
            q.Id ??= Guid.NewGuid().ToString("N")[..12];
            while (q.Options.Count < OptionSlots)
            {
                q.Options.Add(null);
            }
        }
    }

    /// <summary>One question as the form carries it.</summary>
    public sealed class QuestionForm
    {
        /// <summary>The question's id, kept across edits so stored answers still name it.</summary>
        public string? Id { get; set; }

        /// <summary>The question.</summary>
        public string? Prompt { get; set; }

        /// <summary>The answer options; empty slots are dropped.</summary>
        public List<string?> Options { get; set; } = [];

        /// <summary>The index (among the slots) of the correct option.</summary>
        public int? Correct { get; set; }

        /// <summary>Nothing typed: the question is dropped.</summary>
        public bool IsEmpty => string.IsNullOrWhiteSpace(Prompt) && Options.All(string.IsNullOrWhiteSpace);

        /// <summary>The question as the rules see it: the filled options, the correct one re-indexed among them (-1 when it is not one of them).</summary>
        public CheckQuestion ToQuestion()
        {
            var filled = Options.Select((o, i) => (Text: o, Slot: i)).Where(o => !string.IsNullOrWhiteSpace(o.Text)).ToList();
            var correct = filled.FindIndex(o => o.Slot == Correct);
            var id = Id is { Length: > 0 and <= 32 } given && given.All(char.IsAsciiLetterOrDigit) ? given : Guid.NewGuid().ToString("N")[..12];
            return new CheckQuestion(id, Prompt ?? "", [.. filled.Select(o => o.Text!)], correct);
        }
    }
}
