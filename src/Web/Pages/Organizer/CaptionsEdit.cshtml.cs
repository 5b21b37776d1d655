using LearnHub.Grains.Catalog;
using System.Text;
using LearnHub.Grains;
using LearnHub.Grains.Media;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using LearnHub.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Corrects a recording's captions in the browser: the WebVTT text in a textarea, checked by the same parser as an
/// upload (errors name their lines). A valid save stores the text as a new content-addressed file and points the
/// recording at it; the old file stays while another row uses it. An invalid save changes nothing.
/// </summary>
[Hosting.MultiLineFields("Text")]
[Authorize(Policy = Policies.Organizer)]
public sealed class CaptionsEditModel(SessionDirectory sessions, IGrainFactory grains, MediaFiles files, IOptions<MediaOptions> options, AuditLog audit,
    IStringLocalizer<OrganizerResource> t)
    : PageModel
{
    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>The recording.</summary>
    public MediaItem Recording { get; private set; } = null!;

    /// <summary>The captions, as WebVTT text.</summary>
    [BindProperty]
    public string? Text { get; set; }

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>The parser's messages for the last submission, one per line of the captions that is wrong.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>Shows the captions for editing.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, Guid mediaId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, mediaId, cancellationToken) || Recording.CaptionsSha256 is not { } sha || files.OpenRead(sha) is not { } stream)
        {
            return NotFound();
        }

        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            Text = await reader.ReadToEndAsync(cancellationToken);
        }

        return Page();
    }

    /// <summary>Validates and saves the captions; on a problem shows them again as typed, with the lines named.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, Guid mediaId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, mediaId, cancellationToken))
        {
            return NotFound();
        }

        // Browsers send a textarea's lines with CRLF; stored with LF, an unchanged text keeps its content address.
        var text = (Text ?? "").ReplaceLineEndings("\n");
        if (Encoding.UTF8.GetByteCount(text) > options.Value.CaptionsMaxBytes)
        {
            Errors.Add("text", t["The captions are longer than the limit of {0}.", UploadTooLargeException.Describe(options.Value.CaptionsMaxBytes)]);
        }
        else if (WebVtt.Parse(text) is { IsValid: false } parsed)
        {
            // The parser's messages are the rules' English: the catalog translates them, here for the list on the form too.
            Problems = parsed.Errors.Count > 0 ? parsed.Errors.Select(m => Messages.Translate(m)).ToList() : [t["There are no cues: captions need at least one."].Value];
            Errors.Add("text", t["The captions are not valid WebVTT: {0}", string.Join(" ", Problems)]);
        }

        if (!Errors.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var sha = await files.StoreTextAsync(text, cancellationToken);
        if (sha == Recording.CaptionsSha256)
        {
            TempData["Notice"] = t["The captions of “{0}” were unchanged.", Recording.Title].Value;
            return Redirect($"/organizer/sessions/{id}");
        }

        var replaced = await grains.GetGrain<ISessionMediaGrain>(id).ReplaceCaptionsAsync(mediaId, sha);
        switch (replaced.Outcome)
        {
            case MediaChangeOutcome.NotFound:
                return NotFound();
            case MediaChangeOutcome.Invalid:
                // The recording was removed while this was saved: say so on the form rather than fail the request.
                Errors.Add("text", replaced.Problem!);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case MediaChangeOutcome.Changed or MediaChangeOutcome.Unchanged:
                break;
            default:
                throw new InvalidOperationException($"Unknown media change {replaced.Outcome}.");
        }

        await audit.WriteAsync(User.AccountId(), User.Identity?.Name, "captions.edited", "media", mediaId.ToString(),
            HttpContext.Connection.RemoteIpAddress?.ToString(), $"of the session “{Session.Title}” ({id})", cancellationToken, Recording.Title);
        TempData["Notice"] = t["Saved the corrected captions of “{0}”.", Recording.Title].Value;
        return Redirect($"/organizer/sessions/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, Guid mediaId, CancellationToken cancellationToken)
    {
        if (await sessions.ViewAsync(id, cancellationToken) is not { } session
            || (await grains.GetGrain<ISessionMediaGrain>(id).ItemsAsync()).FirstOrDefault(m => m.Id == mediaId) is not { Kind: MediaKind.Recording } item)
        {
            return false;
        }

        (Session, Recording) = (session, item);
        return true;
    }
}
