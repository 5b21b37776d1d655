using LearnHub.Grains.Catalog;
using LearnHub.Grains;
using LearnHub.Grains.Media;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using LearnHub.Web.Accounts;
using LearnHub.Web.Localization;
using LearnHub.Web.Media;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Adds a handout or a recording (a streamed video file or an external link, with optional WebVTT captions) to a
/// session. The forms are multipart and streamed: the antiforgery token is checked by <see cref="StreamedUpload"/>
/// from the form's first part, so the framework's own check (which reads the whole form first) is turned off here.
/// Every problem is reported, and whatever was staged is deleted: a refused upload leaves nothing stored.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
[IgnoreAntiforgeryToken]
[DisableFormValueModelBinding]
public sealed class UploadModel(SessionDirectory sessions, IGrainFactory grains, MediaFiles files, IOptions<MediaOptions> options, AuditLog audit, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Which form the errors belong to ("handout" or "recording").</summary>
    public string? FailedForm { get; private set; }

    /// <summary>The values typed into the failed form, to show again.</summary>
    public IReadOnlyDictionary<string, string> Typed { get; private set; } = new Dictionary<string, string>();

    /// <summary>The session's recordings (whose captions can be replaced).</summary>
    public IReadOnlyList<MediaItem> Recordings { get; private set; } = [];

    /// <summary>The limits, for the hints.</summary>
    public MediaOptions Limits => options.Value;

    /// <summary>Shows both forms.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    /// <summary>Stores a handout: a PDF, Office document or image recognised by its content.</summary>
    public async Task<IActionResult> OnPostHandoutAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        StreamedUpload.AllowBody(HttpContext, Limits.HandoutMaxBytes + (1 << 20));
        return await WithFormAsync("handout", _ => Limits.HandoutMaxBytes, async form =>
        {
            var (title, visibility) = Common(form);
            var file = form.File("File");
            if (file is null)
            {
                Errors.Add("handout-file", t["Choose the file to upload."]);
            }
            else if (SafeFileName.Problem(file.FileName) is { } nameProblem)
            {
                Errors.Add("handout-file", nameProblem);
            }
            else if (file.Staged.Type is not { } type || !FileSignatures.Handouts.Contains(type))
            {
                Errors.Add("handout-file", t["“{0}” is not a PDF, Word, PowerPoint or Excel file or an image, whatever its name says; only those can be handouts.", file.FileName ?? ""]);
            }

            if (!Errors.None)
            {
                return null;
            }

            files.Commit(file!.Staged);
            if (await AddAsync("handout-file", new MediaDraft(Session.Id, MediaKind.Handout, title!, visibility!.Value,
                SafeFileName.WithExtension(file.FileName!, file.Staged.Type!), file.Staged.Type!.ContentType, file.Staged.Sha256, file.Staged.Size)) is not { } id)
            {
                return null;
            }

            await AuditAsync("handout.added", id, title!, cancellationToken);
            return t["Added the handout “{0}”.", title!].Value;
        }, cancellationToken);
    }

    /// <summary>Stores a recording: an MP4 or WebM file or an https link, with optional WebVTT captions.</summary>
    public async Task<IActionResult> OnPostRecordingAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        StreamedUpload.AllowBody(HttpContext, Limits.RecordingMaxBytes + Limits.CaptionsMaxBytes + (1 << 20));
        return await WithFormAsync("recording", field => field == "Captions" ? Limits.CaptionsMaxBytes : Limits.RecordingMaxBytes, async form =>
        {
            var (title, visibility) = Common(form);
            var video = form.File("Video");
            var link = form["ExternalUrl"]?.Trim() is { Length: > 0 } url ? url : null;
            if (video is null == (link is null))
            {
                Errors.Add("recording-video", t["Choose a video file or give a link to the recording, not both."]);
            }
            else if (video is not null && SafeFileName.Problem(video.FileName) is { } nameProblem)
            {
                Errors.Add("recording-video", nameProblem);
            }
            else if (video is not null && (video.Staged.Type is not { } type || !FileSignatures.Recordings.Contains(type)))
            {
                Errors.Add("recording-video", t["“{0}” is not an MP4 or WebM video.", video.FileName ?? ""]);
            }
            else if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                Errors.Add("recording-video", t["Give the recording's link as an https:// address."]);
            }

            var captions = form.File("Captions");
            if (captions is not null)
            {
                if (SafeFileName.Problem(captions.FileName) is { } captionsName)
                {
                    Errors.Add("recording-captions", captionsName);
                }
                else
                {
                    var parsed = WebVtt.Parse(await System.IO.File.ReadAllBytesAsync(captions.Staged.Path, cancellationToken));
                    if (!parsed.IsValid)
                    {
                        Errors.Add("recording-captions", t["The captions are not valid WebVTT: {0}", string.Join(" ", parsed.Errors.Select(p => Messages.Translate(p)))]);
                    }
                }
            }

            if (!Errors.None)
            {
                return null;
            }

            // The length watch progress is measured against, read before the staged file moves into storage.
            var length = video is null ? null : MediaLength.Seconds(video.Staged.Path, video.Staged.Type!.ContentType);
            if (video is not null)
            {
                files.Commit(video.Staged);
            }

            if (captions is not null)
            {
                files.Commit(captions.Staged);
            }

            if (await AddAsync("recording-video", new MediaDraft(Session.Id, MediaKind.Recording, title!, visibility!.Value,
                video is null ? null : SafeFileName.WithExtension(video.FileName!, video.Staged.Type!), video?.Staged.Type!.ContentType,
                video?.Staged.Sha256, video?.Staged.Size, link, captions?.Staged.Sha256) { LengthSeconds = length }) is not { } id)
            {
                return null;
            }

            await AuditAsync("recording.added", id, title!, cancellationToken);
            return t["Added the recording “{0}”. Publish it when it is ready: registrants are emailed then.", title!].Value;
        }, cancellationToken);
    }

    /// <summary>Replaces the captions of one of this session's recordings (how captions are corrected).</summary>
    public async Task<IActionResult> OnPostCaptionsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        StreamedUpload.AllowBody(HttpContext, Limits.CaptionsMaxBytes + (1 << 20));
        return await WithFormAsync("captions", _ => Limits.CaptionsMaxBytes, async form =>
        {
            var recording = Guid.TryParse(form["MediaId"], out var mediaId)
                ? Recordings.FirstOrDefault(r => r.Id == mediaId)
                : null;
            if (recording is null)
            {
                Errors.Add("captions-recording", t["Choose one of this session's recordings."]);
            }

            var captions = form.File("Captions");
            if (captions is null)
            {
                Errors.Add("captions-file", t["Choose the WebVTT file."]);
            }
            else if (SafeFileName.Problem(captions.FileName) is { } nameProblem)
            {
                Errors.Add("captions-file", nameProblem);
            }
            else if (WebVtt.Parse(await System.IO.File.ReadAllBytesAsync(captions.Staged.Path, cancellationToken)) is { IsValid: false } parsed)
            {
                Errors.Add("captions-file", t["The captions are not valid WebVTT: {0}", string.Join(" ", parsed.Errors.Select(p => Messages.Translate(p)))]);
            }

            if (!Errors.None)
            {
                return null;
            }

            files.Commit(captions!.Staged);
            // The same path as the captions editor: under the content lock, and the old file goes once nothing names it.
            var replaced = await Media.ReplaceCaptionsAsync(recording!.Id, captions.Staged.Sha256);
            if (replaced.Outcome != MediaChangeOutcome.Changed)
            {
                Errors.Add("captions-recording", replaced.Problem ?? t["That recording was removed meanwhile."]);
                return null;
            }

            await AuditAsync("captions.replaced", recording.Id, recording.Title, cancellationToken);
            return t["Replaced the captions of “{0}”.", recording.Title].Value;
        }, cancellationToken);
    }

    // The media grain stores the item; a refusal (the same file deleted at that moment) is the field's error.
    private async Task<Guid?> AddAsync(string field, MediaDraft draft)
    {
        var added = await Media.AddAsync(draft);
        if (added.Outcome == MediaChangeOutcome.Changed)
        {
            return added.MediaId;
        }

        Errors.Add(field, added.Problem ?? t["The session was removed meanwhile."]);
        return null;
    }

    private ISessionMediaGrain Media => grains.GetGrain<ISessionMediaGrain>(Session.Id);

    private (string? Title, MediaVisibility? Visibility) Common(StreamedForm form)
    {
        var prefix = FailedForm!;
        var title = form["Title"]?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200)
        {
            Errors.Add($"{prefix}-title", t["Enter a title of 1–200 characters."]);
        }

        MediaVisibility? visibility = MediaWire.TryParseVisibility(form["Visibility"], out var v) ? v : null;
        if (visibility is null)
        {
            Errors.Add($"{prefix}-visibility", t["Choose who may see it."]);
        }

        return (title, visibility);
    }

    // Reads the streamed form, runs the checks and the store, and turns every refusal into the page with its message.
    private async Task<IActionResult> WithFormAsync(string which, Func<string, long> limitFor, Func<StreamedForm, Task<string?>> store, CancellationToken cancellationToken)
    {
        FailedForm = which;
        try
        {
            using var form = await StreamedUpload.ReadAsync(HttpContext, files, limitFor, cancellationToken);
            Typed = form.Fields;
            if (await store(form) is { } notice)
            {
                TempData["Notice"] = notice;
                return Redirect($"/organizer/sessions/{Session.Id}");
            }
        }
        catch (AntiforgeryValidationException)
        {
            return BadRequest();
        }
        catch (UploadTooLargeException e)
        {
            Errors.Add($"{which}-{which switch { "handout" or "captions" => "file", _ => "video" }}", t["{0} Nothing was stored.", Messages.Translate(e.Message)]);
        }
        catch (MalformedUploadException e)
        {
            Errors.Add(FirstField(which), t["{0} Nothing was stored.", Messages.Translate(e.Message)]);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The body ended before the form did: the connection dropped or the browser gave up. Staged parts are gone.
            Errors.Add(FirstField(which), t["The upload was interrupted before it finished. Nothing was stored; please try again."]);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string FirstField(string which) => which == "captions" ? "captions-recording" : $"{which}-title";

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(RouteData.Values["id"]?.ToString(), out var id) || await sessions.ViewAsync(id, cancellationToken) is not { } session)
        {
            return false;
        }

        Session = session;
        Recordings = (await Media.ItemsAsync()).Where(m => m.Kind == MediaKind.Recording).ToList();
        return true;
    }

    private Task AuditAsync(string action, Guid id, string title, CancellationToken cancellationToken) =>
        audit.WriteAsync(User.AccountId(), User.Identity?.Name, action, "media", id.ToString(), HttpContext.Connection.RemoteIpAddress?.ToString(),
            $"of the session “{Session.Title}” ({Session.Id})", cancellationToken, title);
}
