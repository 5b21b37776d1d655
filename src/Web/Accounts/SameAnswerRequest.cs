using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LearnHub.Web.Accounts;

/// <summary>
/// A form that asks for something to be emailed to an address (a reset link, a sign-up link, a list of registrations)
/// and must not tell whether the address is known: every request gets the same answer, and the work is queued only
/// after the answer has gone out, so neither the page nor its timing tells.
/// </summary>
public abstract class SameAnswerRequest : PageModel
{
    /// <summary>The address typed.</summary>
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The one answer, once the form has been posted.</summary>
    public string? Notice { get; private set; }

    /// <summary>What every request is told.</summary>
    protected abstract string Answer { get; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Answers, then queues the mail once the answer has been sent.</summary>
    public void OnPost()
    {
        var email = Email;
        Response.OnCompleted(() =>
        {
            Enqueue(email);
            return Task.CompletedTask;
        });
        Notice = Answer;
    }

    /// <summary>Queues the mail for the address (which may be empty or unknown; the queue decides).</summary>
    protected abstract void Enqueue(string? email);
}
