using LearnHub.Silo.Branding;
using LearnHub.Silo.Messaging;

namespace LearnHub.Silo.Privacy;

/// <summary>
/// The final mail to an erased person. It is handed to the transport directly instead of going through the outbox:
/// an outbox row would keep the very address the erasure has just removed (and would be retried, and kept for the
/// outbox's retention period). A failure is reported to whoever erased; the erasure stands either way.
/// </summary>
public sealed class ErasureConfirmation(IMailTransport transport, BrandingStore branding)
{
    /// <summary>Sends the confirmation; throws when the transport does not accept it.</summary>
    public async Task SendAsync(string email, CancellationToken cancellationToken)
    {
        var brand = await branding.CurrentAsync(cancellationToken);
        var subject = $"{brand.OrganisationName} has erased your data";
        var (html, text) = MailLayout.Render(new MailContent(subject, "Your registrations, answers and account have been removed.", "Hello,",
        [
            $"As asked, {brand.OrganisationName} has erased what it held about this email address: your account, registrations and "
            + "their answers, attendance, named evaluation answers, certificates and mentoring notes about you.",
            "Counts that others rely on (how many attended a session, anonymous evaluation ratings) are kept without your name. "
            + "This is the last email we send you; nothing of this address is kept, not even this message.",
        ])
        {
            Reason = "You are getting this because your data was erased at your request.",
        }, brand);
        await transport.SendAsync(new OutgoingMail(Guid.NewGuid().ToString("N"), email, "", subject, text, html, null) { Logo = MailLayout.Logo(brand) },
            cancellationToken);
    }
}
