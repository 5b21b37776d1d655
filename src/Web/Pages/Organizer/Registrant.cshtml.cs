using LearnHub.Grains.Catalog;
using LearnHub.Grains.Registrations;
using LearnHub.Grains.Sessions;
using LearnHub.Grains.Time;
using LearnHub.Silo.Catalog;
using LearnHub.Silo.Registrations;
using LearnHub.Silo.Sessions;
using LearnHub.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// One registrant of a session for its organizers: their details, and what an organizer may do for them — cancel,
/// move to another session of the series, promote from the waitlist (over capacity only with the override box), send
/// the confirmation again. Every change goes through the session's grain, which audits it and tells the registrant.
/// </summary>
[Authorize(Policy = Policies.Organizer)]
public sealed class RegistrantModel(SessionDirectory sessions, RegistrationReader registrations, CatalogStore catalog, LearnHubClock clock) : PageModel
{
    /// <summary>The session.</summary>
    public SessionView Session { get; private set; } = null!;

    /// <summary>The registration.</summary>
    public RegistrationView Registrant { get; private set; } = null!;

    /// <summary>The series' other sessions a registrant may be moved to: not cancelled, not begun.</summary>
    public IReadOnlyList<SessionView> MoveChoices { get; private set; } = [];

    /// <summary>The cancel form's confirmation box.</summary>
    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>The move form's chosen session.</summary>
    [BindProperty]
    public Guid? TargetId { get; set; }

    /// <summary>The promote form's override box (needed when the session is full).</summary>
    [BindProperty]
    public bool Override { get; set; }

    /// <summary>What is wrong with the last submission.</summary>
    public FieldErrors Errors { get; } = new();

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>True when the registrant is on the waitlist and the session has no free seat: promoting needs the override.</summary>
    public bool PromotionNeedsOverride => Session.ConfirmedCount >= Session.Capacity;

    /// <summary>Shows the registrant.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, Guid registrationId, CancellationToken cancellationToken) =>
        await LoadAsync(id, registrationId, cancellationToken) ? Page() : NotFound();

    /// <summary>Cancels the registration; the first on the waitlist takes a freed seat.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid id, Guid registrationId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, registrationId, cancellationToken))
        {
            return NotFound();
        }

        if (!Confirm)
        {
            Errors.Add("confirm", $"Tick the box to confirm that {Registrant.Name}'s registration is cancelled.");
            return Invalid();
        }

        var result = await sessions.RunAsync(id, g => g.CancelByOrganizerAsync(registrationId, Actor, cancellationToken),
            new CancelResult(CancelOutcome.NotFound, null), cancellationToken);
        Notice = result.Outcome switch
        {
            CancelOutcome.Cancelled => $"Cancelled {Registrant.Name}'s registration; they are being emailed."
                + (result.PromotedRegistrationId is { } promoted ? $" {await NameOfAsync(promoted, cancellationToken)} took the freed seat from the waitlist and is being told." : ""),
            CancelOutcome.AlreadyCancelled => $"Nothing changed: {Registrant.Name}'s registration was already cancelled.",
            CancelOutcome.NotFound => "The registration no longer exists.",
            _ => throw new InvalidOperationException($"Unknown cancel outcome {result.Outcome}."),
        };
        return Redirect(Here(id, registrationId));
    }

    /// <summary>Moves the registrant to another session of the series: a seat or its waitlist there, or nothing changes.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid id, Guid registrationId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, registrationId, cancellationToken))
        {
            return NotFound();
        }

        // Only the series' own sessions are offered; a posted id of any other (a forged form) is refused here, and by the grain.
        if (MoveChoices.FirstOrDefault(s => s.Id == TargetId) is not { } target)
        {
            Errors.Add("targetId", "Choose one of this series' other upcoming sessions.");
            return Invalid();
        }

        var result = await sessions.RunAsync(id, g => g.MoveAsync(registrationId, new MoveTarget(target.Id, target.Kind), Actor, cancellationToken),
            new MoveResult(MoveOutcome.NotFound, null, null, null), cancellationToken);
        var problem = result.Outcome switch
        {
            MoveOutcome.Seated or MoveOutcome.Waitlisted => null,
            MoveOutcome.NotActive => $"{Registrant.Name}'s registration is cancelled, so there is nothing to move.",
            MoveOutcome.AlreadyThere => $"{Registrant.Name} is already registered for {target.Title}. Nothing changed.",
            MoveOutcome.TargetClosed => $"{target.Title} was cancelled or has begun. Nothing changed.",
            MoveOutcome.ConsentAnswerNeeded => $"{target.Title} asks every registrant whether they consent to appearing in its recording, and {Registrant.Name} has not answered. Add them there instead, with their answer.",
            MoveOutcome.NotInSeries or MoveOutcome.NotFound => "Choose one of this series' other upcoming sessions.",
            _ => throw new InvalidOperationException($"Unknown move outcome {result.Outcome}."),
        };
        if (problem is not null)
        {
            Errors.Add("targetId", problem);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(id, registrationId, cancellationToken);
            return Page();
        }

        var promotedHere = result.PromotedHere is { } promoted ? $" {await NameOfAsync(promoted, cancellationToken)} took the freed seat in {Session.Title}." : "";
        TempData[nameof(Notice)] = result.Outcome == MoveOutcome.Seated
            ? $"Moved {Registrant.Name} to {target.Title} — {Registrant.Name} holds a seat there and is being emailed the new invite.{promotedHere}"
            : $"Moved {Registrant.Name} to {target.Title} — it is full, so {Registrant.Name} is on its waitlist at position {result.WaitlistPosition} and is being emailed.{promotedHere}";
        return Redirect(Here(target.Id, result.NewRegistrationId!.Value));
    }

    /// <summary>Gives the waitlisted registrant a seat; with the session full, only with the override box ticked.</summary>
    public async Task<IActionResult> OnPostPromoteAsync(Guid id, Guid registrationId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, registrationId, cancellationToken))
        {
            return NotFound();
        }

        if (Registrant.Status != RegistrationStatus.Waitlisted)
        {
            // A stale page (promoted or cancelled meanwhile): the page as it is now says where they stand.
            Notice = $"Nothing changed: {Registrant.Name} is not on the waitlist.";
            return Redirect(Here(id, registrationId));
        }

        var result = await sessions.RunAsync(id, g => g.PromoteAsync(registrationId, Override, Actor, cancellationToken), ManualPromotionOutcome.NotFound, cancellationToken);
        if (result == ManualPromotionOutcome.NotWaiting)
        {
            Notice = $"Nothing changed: {Registrant.Name} is no longer on the waitlist.";
            return Redirect(Here(id, registrationId));
        }

        var problem = result switch
        {
            ManualPromotionOutcome.Promoted or ManualPromotionOutcome.PromotedOverCapacity => null,
            ManualPromotionOutcome.Full => $"Every seat is taken. Tick the box to give {Registrant.Name} a seat over capacity (the session gains a seat, and the audit log records the override).",
            ManualPromotionOutcome.NotWaiting => throw new InvalidOperationException("Answered above."),
            ManualPromotionOutcome.SessionClosed => "The session was cancelled or has begun: nobody is promoted now.",
            ManualPromotionOutcome.NotFound => "The registration no longer exists.",
            _ => throw new InvalidOperationException($"Unknown promotion outcome {result}."),
        };
        if (problem is not null)
        {
            Errors.Add("override", problem);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(id, registrationId, cancellationToken);
            return Page();
        }

        Notice = result == ManualPromotionOutcome.PromotedOverCapacity
            ? $"Promoted {Registrant.Name} over capacity: the session now has {Session.Capacity + 1} seats. They are being emailed."
            : $"Promoted {Registrant.Name} to a seat. They are being emailed.";
        return Redirect(Here(id, registrationId));
    }

    /// <summary>Sends the confirmation again (at most once per ten minutes).</summary>
    public async Task<IActionResult> OnPostResendAsync(Guid id, Guid registrationId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, registrationId, cancellationToken))
        {
            return NotFound();
        }

        var result = await sessions.RunAsync(id, g => g.ResendConfirmationAsync(registrationId, Actor, cancellationToken), ResendOutcome.NotFound, cancellationToken);
        Notice = result switch
        {
            ResendOutcome.Queued => $"Sent {Registrant.Name}'s confirmation again, with their manage link.",
            ResendOutcome.AlreadySentRecently => $"Nothing sent: {Registrant.Name}'s confirmation was sent again less than ten minutes ago.",
            ResendOutcome.Cancelled => $"Nothing sent: {Registrant.Name}'s registration is cancelled.",
            ResendOutcome.NotFound => "The registration no longer exists.",
            _ => throw new InvalidOperationException($"Unknown resend outcome {result}."),
        };
        return Redirect(Here(id, registrationId));
    }

    /// <summary>The status as a person reads it.</summary>
    public static string StatusLabel(RegistrationView r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Status switch
        {
            RegistrationStatus.Confirmed => "Holds a seat",
            RegistrationStatus.Waitlisted => $"On the waitlist, position {r.WaitlistPosition}",
            RegistrationStatus.Cancelled => "Cancelled",
            _ => throw new InvalidOperationException($"Unknown status {r.Status}."),
        };
    }

    /// <summary>A move choice's label: title, time and seats left.</summary>
    public static string ChoiceLabel(SessionView s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return $"{s.Title} — {ZonedTime.Start(s.StartsAt, s.TimeZone)} — " + (s.SeatsLeft > 0 ? $"{s.SeatsLeft} seat(s) left" : $"full, {s.WaitlistedCount} waiting");
    }

    private OrganizerActor Actor => new(User.AccountId(), User.Identity?.Name, HttpContext.Connection.RemoteIpAddress?.ToString());

    private static string Here(Guid sessionId, Guid registrationId) => $"/organizer/sessions/{sessionId}/registrants/{registrationId}";

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<string> NameOfAsync(Guid registrationId, CancellationToken cancellationToken) =>
        (await registrations.FindAsync(registrationId, cancellationToken))?.Name ?? "The first on the waitlist";

    private async Task<bool> LoadAsync(Guid id, Guid registrationId, CancellationToken cancellationToken)
    {
        if (await sessions.ViewAsync(id, cancellationToken) is not { } session
            || await registrations.FindAsync(registrationId, cancellationToken) is not { } registrant || registrant.SessionId != id)
        {
            return false;
        }

        (Session, Registrant) = (session, registrant);
        var now = clock.GetUtcNow();
        var series = await catalog.FindSeriesForOrganizersAsync(session.SeriesId, cancellationToken);
        MoveChoices = (series?.Sessions ?? []).Where(s => s.Id != id && !s.Cancelled && s.StartsAt > now).OrderBy(s => s.StartsAt).ToList();
        return true;
    }
}
