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

/// <summary>
/// System.Net.Mail builds every message (headers encoded, parts and attachments laid out). In the embedded default it
/// writes them as .eml files to the pickup directory; for SMTP the same text goes through a small pool of kept-open
/// <see cref="SmtpSession"/>s, one per sender, reused across messages.
/// </summary>
public sealed class SystemNetMailTransport(IOptions<MailOptions> options, IOptions<Storage.LearnHubOptions> storage) : IMailTransport, IAsyncDisposable
{
    // A server may cap messages per connection; starting afresh now and then also spreads load over a server's workers.
    private const int MessagesPerConnection = 500;
    private readonly System.Collections.Concurrent.ConcurrentBag<SmtpSession> _idle = [];

    /// <summary>Where pickup-directory mail is written.</summary>
    public string PickupDirectory => Path.Combine(storage.Value.DataDirectoryFullPath, "mail");

    /// <inheritdoc />
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        using var message = Build(mail, settings.FromAddress);
        if (settings.Transport == MailTransportKind.PickupDirectory)
        {
            await WriteToPickupAsync(message, PickupDirectory, cancellationToken);
            return;
        }

        var mime = await SerializeAsync(message, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Smtp.Timeout);
        var pooled = _idle.TryTake(out var idle);
        var session = pooled ? idle! : await SmtpSession.OpenAsync(settings.Smtp, timeout.Token);
        try
        {
            try
            {
                await session.SendAsync(settings.FromAddress.Address, message.To[0].Address, mime, timeout.Token);
            }
            catch (IOException e) when (e is not SmtpReplyException && pooled && !timeout.IsCancellationRequested)
            {
                // A kept-open connection the server has since closed: try once more on a fresh one.
                await session.DisposeAsync();
                session = await SmtpSession.OpenAsync(settings.Smtp, timeout.Token);
                await session.SendAsync(settings.FromAddress.Address, message.To[0].Address, mime, timeout.Token);
            }
        }
        catch (SmtpReplyException e) when (e.RefusesThisMessage)
        {
            Keep(session);
            throw new PermanentMailException($"The server refused the message: {e.Message}", e);
        }
        catch (SmtpReplyException)
        {
            Keep(session);
            throw;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        Keep(session);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var session))
        {
            await session.DisposeAsync();
        }
    }

    private void Keep(SmtpSession session)
    {
        if (session.Sent < MessagesPerConnection)
        {
            _idle.Add(session);
        }
        else
        {
            _ = session.DisposeAsync().AsTask();
        }
    }

    private static async Task WriteToPickupAsync(MailMessage message, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        using var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = directory };
        await client.SendMailAsync(message, cancellationToken);
    }

    // System.Net.Mail writes MIME only through a client; its pickup writer, aimed at a directory of our own, is the
    // public way to get the bytes. The two X-Sender/X-Receiver lines it adds are for pickup servers and are dropped.
    private static async Task<byte[]> SerializeAsync(MailMessage message, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "learnhub-mime", Guid.NewGuid().ToString("N"));
        try
        {
            await WriteToPickupAsync(message, directory, cancellationToken);
            var bytes = await File.ReadAllBytesAsync(Directory.GetFiles(directory).Single(), cancellationToken);
            var start = 0;
            while (StartsWith(bytes, start, "X-Sender:"u8) || StartsWith(bytes, start, "X-Receiver:"u8))
            {
                start = Array.IndexOf(bytes, (byte)'\n', start) + 1;
            }

            return bytes[start..];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool StartsWith(byte[] bytes, int start, ReadOnlySpan<byte> prefix) =>
        bytes.AsSpan(start).StartsWith(prefix);

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
