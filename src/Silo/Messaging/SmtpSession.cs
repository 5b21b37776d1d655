using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace LearnHub.Silo.Messaging;

/// <summary>An SMTP reply the server gave where another was expected.</summary>
public sealed class SmtpReplyException(int code, string reply, string command)
    : IOException($"The SMTP server answered {command} with: {reply}")
{
    /// <summary>The reply code (4xx: try again later; 5xx: refused).</summary>
    public int Code { get; } = code;

    /// <summary>
    /// True when the refusal is about this message (its recipient or its content), so sending it again cannot help.
    /// A refusal of MAIL FROM is about the sender or the configuration, and is worth retrying once that is fixed.
    /// </summary>
    public bool RefusesThisMessage => Code is >= 500 and < 600 && (command.StartsWith("RCPT", StringComparison.Ordinal) || command == "the message");
}

/// <summary>
/// One SMTP conversation kept open for many messages. This is the hand-written part of the interim transport: the
/// MIME text comes from System.Net.Mail, and this class only speaks RFC 5321 (EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT,
/// DATA with dot-stuffing, RSET, QUIT) over a socket with Nagle off. System.Net.Mail's own client opens a connection
/// per message and stalls on delayed ACKs (about 45 ms a message here), which is why it is not used for SMTP.
/// </summary>
internal sealed class SmtpSession : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private StreamReader _reader;

    private SmtpSession(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
    }

    /// <summary>Messages sent on this connection.</summary>
    public int Sent { get; private set; }

    /// <summary>Connects, greets, secures and authenticates as the settings say.</summary>
    public static async Task<SmtpSession> OpenAsync(SmtpSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(settings.Host!, settings.Port, cancellationToken);
            var session = new SmtpSession(tcp, tcp.GetStream());
            await session.ExpectAsync(220, "the greeting", cancellationToken);
            var extensions = await session.CommandAsync($"EHLO {Environment.MachineName}", 250, cancellationToken);
            if (settings.Security == SmtpSecurity.StartTls)
            {
                if (!extensions.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase))
                {
                    throw new IOException($"The SMTP server {settings.Host}:{settings.Port} does not offer STARTTLS, which LearnHub:Mail:Smtp:Security asks for.");
                }

                await session.CommandAsync("STARTTLS", 220, cancellationToken);
                var tls = new SslStream(session._stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = settings.Host }, cancellationToken);
                session._stream = tls;
                session._reader = new StreamReader(tls, Encoding.ASCII, false, 1024, leaveOpen: true);
                extensions = await session.CommandAsync($"EHLO {Environment.MachineName}", 250, cancellationToken);
            }

            if (!string.IsNullOrEmpty(settings.UserName))
            {
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{settings.UserName}\0{settings.Password}"));
                await session.CommandAsync($"AUTH PLAIN {token}", 235, cancellationToken, display: "AUTH PLAIN");
            }

            return session;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message. On a refusal the conversation is reset and stays usable.</summary>
    public async Task SendAsync(string from, string to, ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync($"MAIL FROM:<{from}>", 250, cancellationToken);
            await CommandAsync($"RCPT TO:<{to}>", 250, cancellationToken);
            await CommandAsync("DATA", 354, cancellationToken);
            await WriteStuffedAsync(mime, cancellationToken);
            await ExpectAsync(250, "the message", cancellationToken);
            Sent++;
        }
        catch (SmtpReplyException refusal)
        {
            try
            {
                await CommandAsync("RSET", 250, cancellationToken);
            }
            catch (SmtpReplyException reset)
            {
                // The conversation is in an unknown state: the caller must drop this session; the original refusal decides.
                throw new IOException($"{refusal.Message} (and RSET failed: {reset.Message})", refusal);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await WriteLineAsync("QUIT", quit.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // Leaving anyway: a server that is gone needs no goodbye.
        }

        _reader.Dispose();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    // Lines starting with "." get another "." (RFC 5321 §4.5.2), and the message ends with CRLF "." CRLF.
    private async Task WriteStuffedAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream(mime.Length + 64);
        var span = mime.Span;
        var atLineStart = true;
        foreach (var b in span)
        {
            if (atLineStart && b == (byte)'.')
            {
                buffer.WriteByte((byte)'.');
            }

            buffer.WriteByte(b);
            atLineStart = b == (byte)'\n';
        }

        if (!atLineStart)
        {
            buffer.Write("\r\n"u8);
        }

        buffer.Write(".\r\n"u8);
        await _stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private async Task<string> CommandAsync(string command, int expected, CancellationToken cancellationToken, string? display = null)
    {
        await WriteLineAsync(command, cancellationToken);
        return await ExpectAsync(expected, display ?? command, cancellationToken);
    }

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        if (line.AsSpan().ContainsAny('\r', '\n'))
        {
            throw new PermanentMailException("An SMTP command may not contain a line break.");
        }

        await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private async Task<string> ExpectAsync(int expected, string what, CancellationToken cancellationToken)
    {
        var reply = new StringBuilder();
        string? line;
        do
        {
            line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException($"The SMTP server closed the connection after {what}.");
            reply.AppendLine(line);
        }
        while (line.Length > 3 && line[3] == '-');

        var code = line.Length >= 3 && int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0;
        if (code != expected)
        {
            throw new SmtpReplyException(code, reply.ToString().Trim(), what);
        }

        return reply.ToString();
    }
}
