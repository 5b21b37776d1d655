using LearnHub.Grains.Catalog;
using LearnHub.Grains.Media;
using LearnHub.Silo.Auditing;
using LearnHub.Silo.Sessions;
using LearnHub.Silo.Media;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// Deletes a handout or recording after the organizer confirms it on this page (a plain form, no script needed). The
/// deletion is audited; the stored file goes only when no other handout, recording or captions use the same content.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class MediaDeleteModel(SessionDirectory sessions, IGrainFactory grains, AuditLog audit, IStringLocalizer<OrganizerResource> t) : PageModel
{
    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>The item to delete.</summary>
    public MediaItem Item { get; private set; } = null!;

    /// <summary>The confirmation box.</summary>
    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>Asks for confirmation.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, Guid mediaId, CancellationToken cancellationToken) =>
        await LoadAsync(id, mediaId, cancellationToken) ? Page() : NotFound();

    /// <summary>Deletes the item once confirmed; without the box ticked, nothing changes.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, Guid mediaId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, mediaId, cancellationToken))
        {
            return NotFound();
        }

        if (!Confirm)
        {
            Errors.Add("confirm", t["Tick the box to confirm that “{0}” is deleted for everyone.", Item.Title]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (await grains.GetGrain<ISessionMediaGrain>(id).DeleteAsync(mediaId) is not { } removed)
        {
            return NotFound();
        }

        await audit.WriteAsync(User.AccountId(), User.Identity?.Name, Item.Kind == MediaKind.Recording ? "recording.deleted" : "handout.deleted", "media",
            mediaId.ToString(), HttpContext.Connection.RemoteIpAddress?.ToString(),
            $"of the session “{Session.Title}” ({id}); files removed: {removed.FilesRemoved.Count}", cancellationToken, Item.Title);
        TempData["Notice"] = t["Deleted “{0}”.", Item.Title].Value;
        return Redirect($"/organizer/sessions/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, Guid mediaId, CancellationToken cancellationToken)
    {
        if (await sessions.ViewAsync(id, cancellationToken) is not { } session
            || (await grains.GetGrain<ISessionMediaGrain>(id).ItemsAsync()).FirstOrDefault(m => m.Id == mediaId) is not { } item)
        {
            return false;
        }

        (Session, Item) = (session, item);
        return true;
    }
}
