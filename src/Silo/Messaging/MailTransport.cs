using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LearnHub.Silo.Messaging;

/// <summary>A rendered email, ready for a transport.</summary>
public sealed record OutgoingMail(string MessageId, string To, string ToName, string Subject, string Text, string Html, CalendarPart? Calendar)
{
    /// <summary>The organisation's logo, carried in the message for the HTML part to show by its Content-ID.</summary>
    public InlineImage? Logo { get; init; }
}

/// <summary>An iCalendar invite carried by a message: its METHOD and the VCALENDAR text.</summary>
public sealed record CalendarPart(string Method, string Content);

/// <summary>The mail-transport seam: the dispatcher decides outcomes, a transport only hands messages on.</summary>
public interface IMailTransport
{
    /// <summary>Hands one message to the server (or the pickup directory). Throws when it was not accepted.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>A message that can never be sent as it stands (a malformed address): retrying cannot help.</summary>
public sealed class PermanentMailException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Address parsing shared by the settings, the composer and the transport, so all three agree.</summary>
public static class Mailboxes
{
    // Strict RFC 5322: no "user" without a domain, no unquoted commas or other leniencies a header could hide behind.
    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    /// <summary>Parses "Name &lt;address&gt;" or a bare address; false for anything with control characters.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MailboxAddress? mailbox)
    {
        mailbox = null;
        return !string.IsNullOrWhiteSpace(value) && !value.Any(char.IsControl) && MailboxAddress.TryParse(Strict, value, out mailbox);
    }

    /// <summary>True for a bare address and nothing else: no display name, comment, route or whitespace.</summary>
    public static bool IsBareAddress(string? value) =>
        value is not null && !value.Any(char.IsWhiteSpace) && TryParse(value, out var mailbox)
        && string.Equals(mailbox.Address, value, StringComparison.Ordinal) && mailbox.Route.Count == 0;

    /// <summary>A value safe to quote in an error message (control characters shown as '?').</summary>
    public static string Printable(string value) => new(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

/// <summary>
/// MimeKit builds every message; MailKit sends it. In the embedded default each message becomes an .eml file in the
/// pickup directory; for SMTP a small pool of kept-open <see cref="SmtpClient"/>s (one per concurrent sender) is
/// reused across messages and batches, and a connection that broke is replaced.
/// </summary>
public sealed class MailKitTransport(IOptions<MailOptions> options, IOptions<Storage.LearnHubOptions> storage) : IMailTransport, IAsyncDisposable
{
    // A server may cap messages per connection; starting afresh now and then also spreads load over a server's workers.
    private const int MessagesPerConnection = 500;

    // .eml files are read by pickup servers and mail tools that expect CRLF, whatever the platform.
    private static readonly FormatOptions PickupFormat = CreatePickupFormat();

    private readonly ConcurrentBag<Connection> _idle = [];

    /// <summary>Where pickup-directory mail is written.</summary>
    public string PickupDirectory => Path.Combine(storage.Value.DataDirectoryFullPath, "mail");

    /// <inheritdoc />
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        // A fresh From per message: MimeKit's address lists subscribe to their addresses' change events, so one
        // shared instance would be touched by every message being built at once.
        var from = settings.FromAddress;
        using var message = Build(mail, from);
        if (settings.Transport == MailTransportKind.PickupDirectory)
        {
            WriteToPickup(message, PickupDirectory, cancellationToken);
            return;
        }

        await SendOverSmtpAsync(message, from, settings.Smtp, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await CloseAsync(connection);
        }
    }

    private async Task SendOverSmtpAsync(MimeMessage message, MailboxAddress from, SmtpSettings settings, CancellationToken cancellationToken)
    {
        var to = message.To.Mailboxes.Single();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var connection = TakeIdle();
        var pooled = connection is not null;
        try
        {
            connection ??= await OpenAsync(settings, timeout.Token);
            try
            {
                await connection.SendAsync(message, from, to, timeout.Token);
            }
            catch (Exception e) when (pooled && IsBrokenConnection(e) && !timeout.IsCancellationRequested)
            {
                // A kept-open connection the server has since closed: try once more on a fresh one.
                connection.Client.Dispose();
                connection = null;
                connection = await OpenAsync(settings, timeout.Token);
                await connection.SendAsync(message, from, to, timeout.Token);
            }
        }
        catch (SmtpCommandException e) when (connection is { Client.IsConnected: true })
        {
            // A refused command leaves the conversation usable (MailKit resets the transaction), so the connection
            // goes back to the pool; only a refusal of this recipient or this message is final.
            Keep(connection);
            if ((int)e.StatusCode is >= 500 and < 600 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
            {
                var what = e.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? $"the recipient {e.Mailbox?.Address ?? to.Address}" : "the message";
                throw new PermanentMailException($"The SMTP server refused {what}: {(int)e.StatusCode} {e.Message}", e);
            }

            throw;
        }
        catch
        {
            connection?.Client.Dispose();
            throw;
        }

        Keep(connection);
    }

    private Connection? TakeIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            if (connection.Client.IsConnected)
            {
                return connection;
            }

            connection.Client.Dispose();
        }

        return null;
    }

    private void Keep(Connection connection)
    {
        if (connection.Sent < MessagesPerConnection)
        {
            _idle.Add(connection);
        }
        else
        {
            _ = CloseAsync(connection);
        }
    }

    // Errors that mean the socket is gone rather than that the server said no.
    private static bool IsBrokenConnection(Exception e) =>
        e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException;

    private static async Task<Connection> OpenAsync(SmtpSettings settings, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, settings.Timeout.TotalMilliseconds) };
        // The socket is ours so that Nagle can be off: with it on, a small write MailKit makes while one before it is
        // still unacknowledged waits for the server's delayed ACK; the fan-out benchmark fell from 544+/s to 301/s.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(settings.Host!, settings.Port, cancellationToken);
            await client.ConnectAsync(socket, settings.Host!, settings.Port, settings.Security switch
            {
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.None,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }

            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            socket.Dispose();
            throw;
        }
    }

    private static async Task CloseAsync(Connection connection)
    {
        try
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.Client.DisconnectAsync(quit: true, quit.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or MailKit.ProtocolException or CommandException or ObjectDisposedException)
        {
            // Leaving anyway: a server that is gone needs no goodbye.
        }
        finally
        {
            connection.Client.Dispose();
        }
    }

    // Written under a name no reader looks for, then renamed: a pickup reader never sees half a message.
    private static void WriteToPickup(MimeMessage message, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = Guid.NewGuid().ToString("N");
        var partial = Path.Combine(directory, $".{name}.partial");
        try
        {
            // Written synchronously through one buffer: on Linux an "async" file stream is the thread pool doing the same
            // write, and MimeKit's many small writes each became a queued work item (a tenth of a storm's web CPU).
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.None))
            {
                message.WriteTo(PickupFormat, file, cancellationToken);
            }

            File.Move(partial, Path.Combine(directory, $"{name}.eml"));
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static FormatOptions CreatePickupFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private static MimeMessage Build(OutgoingMail mail, MailboxAddress from)
    {
        if (!Mailboxes.IsBareAddress(mail.To))
        {
            throw new PermanentMailException($"The recipient address '{Mailboxes.Printable(mail.To)}' is not valid.");
        }

        if (mail.Subject.Any(char.IsControl))
        {
            throw new PermanentMailException("The subject contains control characters.");
        }

        var message = new MimeMessage
        {
            Subject = mail.Subject,
            // Stable across retries, so a recipient's mail client can tell a re-sent message from a new one.
            MessageId = $"{mail.MessageId}@{from.Domain}",
        };
        message.From.Add(from);
        // A name with a line break is dropped rather than trusted; the address alone still reaches the person.
        message.To.Add(new MailboxAddress(mail.ToName.Any(char.IsControl) ? "" : mail.ToName, mail.To));

        // Text, then HTML, then the invite: a client shows the last alternative it understands, and calendar clients
        // act on the text/calendar one. The .ics attachment is for clients that ignore text/calendar alternatives.
        var alternative = new MultipartAlternative { Text("plain", mail.Text), Html(mail) };
        if (mail.Calendar is not { } calendar)
        {
            message.Body = alternative;
            return message;
        }

        var invite = Text("calendar", calendar.Content);
        invite.ContentType.Parameters.Add("method", calendar.Method);
        alternative.Add(invite);
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(calendar.Content))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "invite.ics",
        };
        message.Body = new Multipart("mixed") { alternative, attachment };
        return message;
    }

    // The HTML part, with the logo beside it in a multipart/related when there is one: the client shows it from the
    // message itself (cid:), so no image is fetched from anywhere when the mail is opened.
    private static MimeEntity Html(OutgoingMail mail)
    {
        var html = Text("html", mail.Html);
        if (mail.Logo is not { } logo)
        {
            return html;
        }

        var image = new MimePart(ContentType.Parse(logo.ContentType))
        {
            Content = new MimeContent(new MemoryStream(logo.Content, writable: false)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentId = logo.ContentId,
            FileName = logo.ContentType == "image/png" ? "logo.png" : "logo.jpg",
        };
        return new MultipartRelated { html, image };
    }

    // Quoted-printable keeps the text readable on the wire and 7-bit safe for any server, whatever 8BITMIME says.
    private static TextPart Text(string subtype, string content)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, content);
        return part;
    }

    /// <summary>One kept-open SMTP conversation and how many messages it has carried.</summary>
    private sealed class Connection(SmtpClient client)
    {
        public SmtpClient Client { get; } = client;

        public int Sent { get; private set; }

        public async Task SendAsync(MimeMessage message, MailboxAddress from, MailboxAddress to, CancellationToken cancellationToken)
        {
            // The envelope is given outright rather than read from the headers, so it is exactly one sender and one recipient.
            await Client.SendAsync(message, from, [to], cancellationToken);
            Sent++;
        }
    }
}
