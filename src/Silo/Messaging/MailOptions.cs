using MimeKit;

namespace LearnHub.Silo.Messaging;

/// <summary>How mail leaves LearnHub.</summary>
public enum MailTransportKind
{
    /// <summary>Each message becomes an .eml file in &lt;data directory&gt;/mail: the embedded default.</summary>
    PickupDirectory,

    /// <summary>An SMTP server.</summary>
    Smtp,
}

/// <summary>SMTP's transport security.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a local relay).</summary>
    None,

    /// <summary>STARTTLS after connecting (usually port 587); a server that does not offer it is an error.</summary>
    StartTls,

    /// <summary>TLS from the first byte, before the greeting (usually port 465).</summary>
    SslOnConnect,
}

/// <summary>The "LearnHub:Mail" configuration section.</summary>
public sealed class MailOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "LearnHub:Mail";

    /// <summary>PickupDirectory (default) or Smtp. LearnHub:Mail:Transport.</summary>
    public MailTransportKind Transport { get; set; } = MailTransportKind.PickupDirectory;

    /// <summary>The From address, with an optional display name. LearnHub:Mail:From.</summary>
    public string From { get; set; } = "LearnHub <no-reply@learnhub.local>";

    /// <summary>Where links in emails point (the web app's public address). LearnHub:Mail:PublicBaseUrl.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>LearnHub:Mail:Smtp:*.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Attempts before a message is marked failed (it is never dropped). LearnHub:Mail:MaxAttempts.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; it doubles after each further one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Messages claimed per pass. LearnHub:Mail:BatchSize.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Messages sent at once. LearnHub:Mail:Parallelism.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>How long a silo holds a claimed message before another may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The pause between passes when nothing was due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Mails queued a second by this process above which a burst is on and delivery waits (see
    /// <see cref="DeliveryPacing"/>); 0 delivers at once always. LearnHub:Mail:BurstRate.
    /// </summary>
    public int BurstRate { get; set; } = 50;

    /// <summary>The longest delivery waits for a burst to pass. LearnHub:Mail:BurstDeferral.</summary>
    public TimeSpan BurstDeferral { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The From address, parsed: a new instance on each read, one per message.</summary>
    public MailboxAddress FromAddress =>
        Mailboxes.TryParse(From, out var from) ? from : throw new InvalidOperationException($"LearnHub:Mail:From ('{Mailboxes.Printable(From)}') is not an email address.");

    /// <summary>The problems that stop the silo from starting; empty when the settings are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Mailboxes.TryParse(From, out _))
        {
            yield return $"LearnHub:Mail:From ('{Mailboxes.Printable(From)}') is not an email address; set it to e.g. \"LearnHub <no-reply@example.org>\".";
        }

        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"LearnHub:Mail:PublicBaseUrl ('{PublicBaseUrl}') must be an absolute http(s) URL, e.g. https://learnhub.example.org.";
        }

        if (Transport == MailTransportKind.Smtp && string.IsNullOrWhiteSpace(Smtp.Host))
        {
            yield return "LearnHub:Mail:Smtp:Host is required when LearnHub:Mail:Transport is Smtp.";
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return $"LearnHub:Mail:Smtp:Port ({Smtp.Port}) must be between 1 and 65535.";
        }

        if (MaxAttempts < 1 || BatchSize < 1 || Parallelism < 1)
        {
            yield return "LearnHub:Mail:MaxAttempts, BatchSize and Parallelism must be at least 1.";
        }

        if (BurstRate < 0 || BurstDeferral < TimeSpan.Zero || BurstDeferral > TimeSpan.FromMinutes(10))
        {
            yield return $"LearnHub:Mail:BurstRate ({BurstRate}) must be 0 or more and LearnHub:Mail:BurstDeferral ({BurstDeferral}) from 00:00:00 to 00:10:00.";
        }
    }
}

/// <summary>LearnHub:Mail:Smtp.</summary>
public sealed class SmtpSettings
{
    /// <summary>The server's host name.</summary>
    public string? Host { get; set; }

    /// <summary>The server's port (25, 587 …).</summary>
    public int Port { get; set; } = 25;

    /// <summary>None, StartTls or SslOnConnect.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    /// <summary>The user name, when the server wants one.</summary>
    public string? UserName { get; set; }

    /// <summary>The password.</summary>
    public string? Password { get; set; }

    /// <summary>How long one conversation with the server may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
