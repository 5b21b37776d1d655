using LearnHub.Grains.Catalog;
using LearnHub.Grains.Sessions;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Catalog;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// A series' or a session's own text in Spanish and Chinese: title, description, the presenters' bios (a session's) and
/// the certificate statement (a series'). One plain form for both languages; saved whole through the entity's grain,
/// its only writer, or refused whole with each problem at its field. A field left empty shows the English original,
/// marked as English, to a reader of the other language.
/// </summary>
[Hosting.MultiLineFields("Forms[*].Description", "Forms[*].Statement", "Forms[*].Bios[*]", "Forms[*].Questions[*].Options")]
[Authorize(Policy = Policies.Organizer)]
public sealed class TranslationsModel(CatalogStore catalog, IGrainFactory grains, AuditLog audit, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>True for a series, false for a session.</summary>
    public bool IsSeries { get; private set; }

    /// <summary>The series or session (its English original).</summary>
    public string Title { get; private set; } = "";

    /// <summary>The original description (Markdown), shown beside its translations.</summary>
    public string Description { get; private set; } = "";

    /// <summary>The session's presenters, whose bios may be translated (none for a series).</summary>
    public IReadOnlyList<Presenter> Presenters { get; private set; } = [];

    /// <summary>The series' registration questions, whose texts may be translated (none for a session).</summary>
    public IReadOnlyList<RegistrationQuestion> Questions { get; private set; } = [];

    /// <summary>Where the organizer came from: the session's page or the series list.</summary>
    public string BackUrl { get; private set; } = "/organizer/series";

    /// <summary>One form per language, in <see cref="ContentTranslations.Languages"/>' order.</summary>
    [BindProperty]
    public List<TranslationForm> Forms { get; set; } = [];

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    private SessionView? _session;
    private IReadOnlyList<ContentTranslation> _stored = [];

    /// <summary>Shows the stored translations.</summary>
    public async Task<IActionResult> OnGetAsync(string kind, Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(kind, id, cancellationToken))
        {
            return NotFound();
        }

        Forms = [.. ContentTranslations.Languages.Select(language => TranslationForm.Of(language, ContentTranslations.For(_stored, language), Presenters.Count, Questions))];
        return Page();
    }

    /// <summary>Saves both languages, or shows the form again as typed with the problems.</summary>
    public async Task<IActionResult> OnPostAsync(string kind, Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(kind, id, cancellationToken))
        {
            return NotFound();
        }

        // A form for a language LearnHub does not offer, or two for one, is not something this page sends.
        if (Forms.Count != ContentTranslations.Languages.Count || !Forms.Select(f => f.Language).Order(StringComparer.Ordinal).SequenceEqual(ContentTranslations.Languages.Order(StringComparer.Ordinal)))
        {
            return BadRequest();
        }

        var translations = Forms.Select(f => f.ToTranslation(IsSeries)).ToList();
        var result = IsSeries
            ? await grains.GetGrain<ISeriesGrain>(id).SetTranslationsAsync(translations, cancellationToken)
            : await grains.Roster(id, _session!.Kind).SetTranslationsAsync(translations, cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }

        if (!result.Saved)
        {
            foreach (var (field, problem) in result.Problems)
            {
                Errors.Add(field, problem);
            }

            return Page();
        }

        var languages = translations.Where(x => !x.IsEmpty).Select(x => x.Language).ToList();
        await audit.WriteAsync(User.AccountId(), User.Identity?.Name, IsSeries ? "series.translations" : "session.translations", IsSeries ? "series" : "session",
            id.ToString(), HttpContext.Connection.RemoteIpAddress?.ToString(), languages.Count == 0 ? "none" : "translated into " + string.Join(", ", languages),
            cancellationToken, Title);
        TempData["Notice"] = t["Translations saved."].Value;
        return RedirectToPage(new { kind, id });
    }

    private async Task<bool> LoadAsync(string kind, Guid id, CancellationToken cancellationToken)
    {
        // Checked here, not by a route constraint, so the page's authorization answers a stranger before any 404 does.
        if (kind is not ("series" or "sessions"))
        {
            return false;
        }

        IsSeries = kind == "series";
        if (IsSeries)
        {
            if (await catalog.FindSeriesForOrganizersAsync(id, cancellationToken) is not { } series)
            {
                return false;
            }

            (Title, Description, _stored) = (series.Title, series.Description, series.Translations);
            Questions = await grains.GetGrain<ISeriesGrain>(id).QuestionsAsync(cancellationToken);
            return true;
        }

        if (await catalog.FindSessionForOrganizersAsync(id, cancellationToken) is not { } session)
        {
            return false;
        }

        _session = session;
        (Title, Description, Presenters, _stored, BackUrl) = (session.Title, session.Description, session.Presenters, session.Translations, $"/organizer/sessions/{id}");
        return true;
    }
}

/// <summary>One language's fields as the form posts them.</summary>
public sealed class TranslationForm
{
    /// <summary>The language's tag (es, zh-Hans).</summary>
    public string Language { get; set; } = "";

    /// <summary>The translated title.</summary>
    public string? Title { get; set; }

    /// <summary>The translated description (Markdown).</summary>
    public string? Description { get; set; }

    /// <summary>The translated certificate statement (a series').</summary>
    public string? Statement { get; set; }

    /// <summary>The translated bios, in the presenters' order (a session's).</summary>
    public List<string?> Bios { get; set; } = [];

    /// <summary>The translated registration questions (a series').</summary>
    public List<QuestionForm> Questions { get; set; } = [];

    /// <summary>The form filled from a stored translation (or empty), with a bio field per presenter and fields per question.</summary>
    public static TranslationForm Of(string language, ContentTranslation? stored, int presenters, IReadOnlyList<RegistrationQuestion> questions) => new()
    {
        Questions = [.. questions.Select(q => QuestionForm.Of(q, stored?.Questions.FirstOrDefault(t => t.QuestionId == q.Id)))],
        Language = language,
        Title = stored?.Title,
        Description = stored?.Description,
        Statement = stored?.CertificateStatement,
        Bios = [.. Enumerable.Range(0, presenters).Select(i => stored is not null && i < stored.PresenterBios.Count ? stored.PresenterBios[i] : null)],
    };

    /// <summary>What the grain is asked to store.</summary>
    public ContentTranslation ToTranslation(bool series) => new(Language, Title ?? "", Description ?? "")
    {
        PresenterBios = series ? [] : [.. Bios.Select(b => b ?? "")],
        CertificateStatement = series ? Statement ?? "" : "",
        Questions = series ? [.. Questions.Select(q => q.ToTranslation())] : [],
    };
}

/// <summary>One registration question's translated texts as the form posts them.</summary>
public sealed class QuestionForm
{
    /// <summary>The question's id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The translated question.</summary>
    public string? Label { get; set; }

    /// <summary>The translated hint.</summary>
    public string? Hint { get; set; }

    /// <summary>The options' translated texts, one a line in the options' order.</summary>
    public string? Options { get; set; }

    /// <summary>The fields filled from a stored translation of <paramref name="question"/> (or empty).</summary>
    public static QuestionForm Of(RegistrationQuestion question, QuestionTranslation? stored) => new()
    {
        Id = question.Id,
        Label = stored?.Label,
        Hint = stored?.Hint,
        Options = stored is null ? null : string.Join('\n', stored.Options),
    };

    /// <summary>What the series grain is asked to store (an empty line keeps that option's original text).</summary>
    public QuestionTranslation ToTranslation() => new(Id, Label ?? "", Hint ?? "",
        string.IsNullOrWhiteSpace(Options) ? [] : [.. Options.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(o => o.Trim())]);
}
