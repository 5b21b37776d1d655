using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;

namespace LearnHub.Silo.Messaging;

/// <summary>A rendered email, ready for a transport.</summary>
public sealed record OutgoingMail(string MessageId, string To, string ToName, string Subject, string Text, string Html, CalendarPart? Calendar);

/// <summary>An iCalendar invite carried by a message: its METHOD and the VCALENDAR text.</summary>
public sealed record CalendarPart(string Method, string Content);

/// <summary>
/// The mail-transport seam. The design names MailKit; its MimeKit dependency does not restore here yet, so the one
/// implementation is System.Net.Mail. Swapping in MailKit changes this file only.
/// </summary>
public interface IMailTransport
{
    /// <summary>Hands one message to the server (or the pickup directory). Throws when it was not accepted.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>A message that can never be sent as it stands (a malformed address): retrying cannot help.</summary>
public sealed class PermanentMailException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>System.Net.Mail, to an SMTP server or to a pickup directory of .eml files.</summary>
public sealed class SystemNetMailTransport(IOptions<MailOptions> options, IOptions<Storage.LearnHubOptions> storage) : IMailTransport
{
    /// <summary>Where pickup-directory mail is written.</summary>
    public string PickupDirectory => Path.Combine(storage.Value.DataDirectoryFullPath, "mail");

    /// <inheritdoc />
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        using var message = Build(mail, settings.FromAddress);
        using var client = new SmtpClient();
        if (settings.Transport == MailTransportKind.PickupDirectory)
        {
            Directory.CreateDirectory(PickupDirectory);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = PickupDirectory;
        }
        else
        {
            client.Host = settings.Smtp.Host!;
            client.Port = settings.Smtp.Port;
            client.EnableSsl = settings.Smtp.Security == SmtpSecurity.StartTls;
            client.Timeout = (int)settings.Smtp.Timeout.TotalMilliseconds;
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                client.Credentials = new NetworkCredential(settings.Smtp.UserName, settings.Smtp.Password);
            }
        }

        await client.SendMailAsync(message, cancellationToken);
    }

    private static MailMessage Build(OutgoingMail mail, MailAddress from)
    {
        MailAddress to;
        try
        {
            // MailAddress refuses CR, LF and other characters that could smuggle headers in.
            to = new MailAddress(mail.To, mail.ToName.Any(char.IsControl) ? null : mail.ToName, Encoding.UTF8);
        }
        catch (FormatException e)
        {
            throw new PermanentMailException($"The recipient address '{Printable(mail.To)}' is not valid: {e.Message}", e);
        }

        if (mail.Subject.Any(char.IsControl))
        {
            throw new PermanentMailException("The subject contains control characters.");
        }

        var message = new MailMessage(from, to)
        {
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = mail.Text,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        // Stable across retries, so a recipient's mail client can tell a re-sent message from a new one.
        message.Headers.Add("Message-ID", $"<{mail.MessageId}@{from.Host}>");
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.Html, Encoding.UTF8, MediaTypeNames.Text.Html));
        if (mail.Calendar is { } calendar)
        {
            var type = new ContentType("text/calendar") { CharSet = "utf-8" };
            type.Parameters.Add("method", calendar.Method);
            message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(calendar.Content, type));
            var attachment = Attachment.CreateAttachmentFromString(calendar.Content, "invite.ics", Encoding.UTF8, "application/ics");
            message.Attachments.Add(attachment);
        }

        return message;
    }

    private static string Printable(string value) => new(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
