using Dapper;
using Ical.Net;
using LearnHub.Grains.Messaging;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>Registration mail through the outbox to a real SMTP server, read back by the server's own parser.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class OutboxDeliveryTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Confirmation_CarriesAnRfc5545Invite_InTheSessionsZone_AndTheJoinLink(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 10);

        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);
        var pass = await world.Dispatcher.DrainAsync(default);

        Assert.Equal(1, pass.Sent);
        var mail = Assert.Single(await _smtp.WaitForAsync(1));
        Assert.Equal(["robin@example.org"], mail.RcptTos);
        Assert.Equal("Registered: Simulation Labs", mail.Subject);
        Assert.Matches("^<[0-9a-f]{32}@learnhub.example>$", mail.MessageId);
        Assert.Contains("Sunday, November 29, 2026, 9:00 AM – 10:30 AM (America/Chicago, UTC\u221206:00)", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Join: https://meet.example/j/4242", mail.Text, StringComparison.Ordinal);
        Assert.Contains("https://learnhub.example/registrations/", mail.Text, StringComparison.Ordinal);

        var part = mail.Calendars.First(c => c.ContentType == "text/calendar");
        Assert.Equal("REQUEST", part.Method);
        var calendar = Calendar.Load(part.Content)!;
        Assert.Equal("REQUEST", calendar.Method);
        var ev = Assert.Single(calendar.Events);
        Assert.Equal($"session-{webinar}@learnhub", ev.Uid);
        Assert.Equal(0, ev.Sequence);
        Assert.Equal("America/New_York", ev.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 11, 29, 15, 0, 0, DateTimeKind.Utc), ev.DtStart.AsUtc);
        Assert.Equal(new DateTime(2026, 11, 29, 16, 30, 0, DateTimeKind.Utc), ev.DtEnd!.AsUtc);
        Assert.Contains(calendar.TimeZones, z => z.TzId == "America/New_York");
        Assert.Equal("mailto:training@learnhub.example", ev.Organizer!.Value!.ToString());
        Assert.Equal("mailto:robin@example.org", Assert.Single(ev.Attendees).Value!.ToString());
        // The description's text, rendered from its Markdown (no syntax, no tags, a link's address after its text), is
        // escaped on the wire (RFC 5545 §3.3.11) and reads back whole.
        Assert.Contains("Labs\\, practice\\; and more", part.Content, StringComparison.Ordinal);
        Assert.StartsWith("Labs, practice; and more\n\n- Slides (https://example.org/slides)\n\nJoin: https://meet.example/j/4242", ev.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Waitlist_Cancel_AndPromotion_EachSendTheirMail_AndOnlySeatHoldersGetTheJoinLink(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 1);
        var grain = world.Grains.Session(webinar);
        var seated = await grain.RegisterAsync(MailWorld.Person("seated@example.org"), false);
        await grain.RegisterAsync(MailWorld.Person("waiting@example.org"), false);
        await world.Dispatcher.DrainAsync(default);

        await grain.CancelAsync(seated.Session.RegistrationId!.Value);
        await world.Dispatcher.DrainAsync(default);

        var mails = await _smtp.WaitForAsync(4);
        var waitlisted = mails.Single(m => m.Subject.StartsWith("Waitlisted:", StringComparison.Ordinal));
        Assert.Contains("position 1", waitlisted.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example", waitlisted.Text + waitlisted.Html, StringComparison.Ordinal);
        Assert.Empty(waitlisted.Calendars);

        var cancelled = mails.Single(m => m.Subject.StartsWith("Cancelled:", StringComparison.Ordinal));
        Assert.Equal(["seated@example.org"], cancelled.RcptTos);
        var cancel = Calendar.Load(cancelled.Calendars.First(c => c.ContentType == "text/calendar").Content)!;
        Assert.Equal("CANCEL", cancel.Method);
        Assert.Equal($"session-{webinar}@learnhub", cancel.Events.Single().Uid);

        var promoted = mails.Single(m => m.Subject.StartsWith("A seat is yours:", StringComparison.Ordinal));
        Assert.Equal(["waiting@example.org"], promoted.RcptTos);
        Assert.Contains("Join: https://meet.example/j/4242", promoted.Text, StringComparison.Ordinal);
        Assert.Equal("REQUEST", Calendar.Load(promoted.Calendars.First(c => c.ContentType == "text/calendar").Content)!.Method);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task EnqueueingTheSameMailTwice_WritesOneRow(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var receipt = await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);
        var intent = new MailIntent("robin@example.org", MailPurpose.RegistrationConfirmed, $"registration:{receipt.Session.RegistrationId}", webinar, receipt.Session.RegistrationId);

        await QueueAsync(world, intent, intent);

        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheDatabaseCountsQueuedMail_OnlyOnceItsTransactionCommits(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var before = world.Database.MailQueued;
        MailIntent Intent(string key) => new("robin@example.org", MailPurpose.RegistrationConfirmed, key, webinar, null);

        await using (var rolledBack = await world.Database.BeginWriteAsync(default))
        {
            await OutboxWriter.InsertAsync(rolledBack, [Intent("a"), Intent("b")], Now, default);
        }

        Assert.Equal(before, world.Database.MailQueued);
        await QueueAsync(world, Intent("c"), Intent("d"), Intent("e"));

        Assert.Equal(before + 3, world.Database.MailQueued);
        // A registration's confirmation is counted the same way, through its session grain's transaction.
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("sam@example.org"), false);
        Assert.Equal(before + 4, world.Database.MailQueued);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task DuringAnSmtpOutage_MessagesStayQueued_AndAreDeliveredWhenTheServerReturns(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 50);
        for (var i = 0; i < 5; i++)
        {
            await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person($"p{i}@example.org"), false);
        }

        await _smtp.StopAsync();
        var during = await world.Dispatcher.DeliverDueAsync(default);
        Assert.Equal((5, 0, 5), (during.Claimed, during.Sent, during.Retrying));
        Assert.Equal(5, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' AND attempts = 1 AND last_error IS NOT NULL"));

        await _smtp.StartAgainAsync();
        Assert.Equal(0, (await world.Dispatcher.DeliverDueAsync(default)).Claimed); // backing off: not due yet
        world.Clock.Advance(TimeSpan.FromSeconds(31));
        var after = await world.Dispatcher.DrainAsync(default);

        Assert.Equal(5, after.Sent);
        Assert.Equal(5, (await _smtp.WaitForAsync(5)).Select(m => m.RcptTos[0]).Distinct().Count());
        Assert.Equal(5, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnUnreachableServer_EndsInAFailedRowWithTheError_NeverALostOne(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, smtpPort: 1, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await world.Dispatcher.DeliverDueAsync(default);
            world.Clock.Advance(TimeSpan.FromHours(2));
        }

        await using var connection = await world.Database.OpenAsync(default);
        var (status, attempts, error) = await connection.QuerySingleAsync<(string, long, string)>("SELECT status, attempts, last_error FROM outbox_messages");
        Assert.Equal(("failed", 3L), (status, attempts));
        Assert.Contains("refused", error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARecipientWithAHeaderInjection_FailsAtOnce_WithTheReason_AndTheOtherMailOfItsPassGoesOut(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var receipt = await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("sam@example.org"), false);
        await using (var connection = await world.Database.OpenAsync(default))
        {
            // Applicant validation keeps such addresses out; this row plays one that got in some other way.
            await connection.ExecuteAsync("UPDATE outbox_messages SET recipient = @bad WHERE recipient = 'robin@example.org'", new { bad = "robin@example.org\r\nBcc: all@example.org" });
        }

        var pass = await world.Dispatcher.DrainAsync(default);

        Assert.Equal((2, 1, 1), (pass.Claimed, pass.Sent, pass.Failed));
        Assert.Equal(["sam@example.org"], (await _smtp.WaitForAsync(1)).Select(m => m.RcptTos[0]));
        await using var check = await world.Database.OpenAsync(default);
        var error = await check.ExecuteScalarAsync<string>("SELECT last_error FROM outbox_messages WHERE status = 'failed'");
        Assert.Contains("is not valid", error, StringComparison.Ordinal);
        _ = receipt;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ARecipientTheServerRefuses_FailsAtOnceWithTheServersReply_AndTheSameConnectionCarriesOn(DatabaseProvider provider)
    {
        await using var smtp = await SmtpSink.StartAsync(refuseRecipientsEndingWith: "@gone.example");
        // One sender, so every message after the refused one travels on the connection that saw the refusal.
        await using var world = await MailWorld.CreateAsync(fixture, provider, smtp.Port, Now, new Dictionary<string, string?> { ["LearnHub:Mail:Parallelism"] = "1" });
        var webinar = await world.WebinarAsync(capacity: 10);
        foreach (var email in new[] { "first@example.org", "nobody@gone.example", "second@example.org", "third@example.org" })
        {
            await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person(email), false);
        }

        await using (var connection = await world.Database.OpenAsync(default))
        {
            // Claimed first, so the refusal happens before the other messages are sent.
            await connection.ExecuteAsync("UPDATE outbox_messages SET next_attempt_utc_ms = next_attempt_utc_ms - 1 WHERE recipient = 'nobody@gone.example'");
        }

        var pass = await world.Dispatcher.DrainAsync(default);

        Assert.Equal((3, 1, 0), (pass.Sent, pass.Failed, pass.Retrying));
        Assert.Equal(["first@example.org", "second@example.org", "third@example.org"],
            (await smtp.WaitForAsync(3)).Select(m => m.RcptTos[0]).Order(StringComparer.Ordinal));
        await using var check = await world.Database.OpenAsync(default);
        var (attempts, error) = await check.QuerySingleAsync<(long, string)>("SELECT attempts, last_error FROM outbox_messages WHERE status = 'failed'");
        Assert.Equal(1, attempts);
        Assert.Contains("nobody@gone.example", error, StringComparison.Ordinal);
        Assert.Contains("550", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task InThePickupDirectory_EachMessageIsOneWholeEmlFile_WithTheInviteAndTheStableMessageId(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now,
            new Dictionary<string, string?> { ["LearnHub:Mail:Transport"] = "PickupDirectory" });
        var webinar = await world.WebinarAsync(capacity: 10);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);

        Assert.Equal(1, (await world.Dispatcher.DrainAsync(default)).Sent);

        Assert.Empty(_smtp.Received());
        var file = Assert.Single(Directory.GetFiles(world.PickupDirectory));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        using var message = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal("Registered: Simulation Labs", message.Subject);
        Assert.Equal("robin@example.org", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("training@learnhub.example", Assert.Single(message.From.Mailboxes).Address);
        await using (var connection = await world.Database.OpenAsync(default))
        {
            var messageId = await connection.ExecuteScalarAsync<string>("SELECT message_id FROM outbox_messages");
            Assert.Equal($"{messageId}@learnhub.example", message.MessageId);
        }

        Assert.Contains("Join: https://meet.example/j/4242", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://meet.example/j/4242\"", message.HtmlBody, StringComparison.Ordinal);
        var invite = message.BodyParts.OfType<MimeKit.TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", invite.ContentType.Parameters["method"]);
        Assert.Equal("REQUEST", Calendar.Load(invite.Text)!.Method);
        Assert.Equal("invite.ics", Assert.Single(message.Attachments).ContentDisposition?.FileName);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AConfirmationStillQueued_WhenTheRegistrationIsCancelled_IsNotSent(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var receipt = await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);

        await world.Grains.Session(webinar).CancelAsync(receipt.Session.RegistrationId!.Value);
        var pass = await world.Dispatcher.DrainAsync(default);

        Assert.Equal((1, 1), (pass.Sent, pass.Skipped));
        Assert.Equal("Cancelled: Simulation Labs", Assert.Single(await _smtp.WaitForAsync(1)).Subject);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASignInLink_LeavesTheOutboxOnceItIsSent(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var account = (await world.Accounts.CreateAsync("robin@example.org", "Robin", null, [], default)).Account!;

        await world.Links.IssueAsync(account, LearnHub.Silo.Accounts.AccountLinkPurpose.SignIn, default);
        await world.Dispatcher.DrainAsync(default);

        var mail = Assert.Single(await _smtp.WaitForAsync(1));
        Assert.Contains("https://learnhub.example/signin/link/", mail.Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent' AND data = '{}'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task APassForAwaitedMail_SendsTheLinksPeopleWaitOn_AndLeavesTheConfirmationsQueued(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        foreach (var email in new[] { "ana@example.org", "ben@example.org", "cy@example.org" })
        {
            await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person(email), false);
        }

        var account = (await world.Accounts.CreateAsync("robin@example.org", "Robin", null, [], default)).Account!;
        await world.Links.IssueAsync(account, LearnHub.Silo.Accounts.AccountLinkPurpose.SignIn, default);
        await world.Links.IssueAsync(account, LearnHub.Silo.Accounts.AccountLinkPurpose.PasswordReset, default);

        var awaited = await world.Dispatcher.DeliverDueAsync(default, awaitedOnly: true);

        Assert.Equal((2, 2), (awaited.Claimed, awaited.Sent));
        var links = await _smtp.WaitForAsync(2);
        Assert.Equal(2, links.Count);
        Assert.All(links, mail => Assert.Equal(["robin@example.org"], mail.RcptTos));
        Assert.Equal(3, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' AND purpose = 'registration-confirmed'"));
        Assert.Equal(3, (await world.Dispatcher.DrainAsync(default)).Sent);
        Assert.Equal(5, (await _smtp.WaitForAsync(5)).Count);

        // The claim names exactly the purposes the index holds: no awaited purpose left out (it would wait out the
        // burst), none added (the index would not answer the claim).
        var index = await TextAsync(world, provider == DatabaseProvider.PostgreSql
            ? "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_outbox_awaited'"
            : "SELECT sql FROM sqlite_master WHERE name = 'ix_outbox_awaited'");
        Assert.All(Enum.GetValues<MailPurpose>(), purpose =>
            Assert.Equal(MailPurposes.Awaited.Contains(purpose), index.Contains($"'{purpose.ToWire()}'", StringComparison.Ordinal)));
        if (provider == DatabaseProvider.Sqlite)
        {
            // SQLite uses a partial index only for a condition written as the index's own, in the same order.
            Assert.Contains(OutboxDispatcher.AwaitedCondition, index, StringComparison.Ordinal);
            await using var connection = await world.Database.OpenAsync(default);
            var plan = await connection.QueryAsync($"EXPLAIN QUERY PLAN {OutboxDispatcher.AwaitedDueQuery}", new { now = 0L });
            Assert.Contains(plan, step => ((string)((IDictionary<string, object>)step)["detail"]).Contains("ix_outbox_awaited", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASignUpLink_LeavesTheOutboxOnceItIsSent(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        await QueueAsync(world, new MailIntent("robin@example.org", MailPurpose.SignUpLink, "link:1", null, null) { Link = "https://learnhub.example/signup/secret-token" });

        await world.Dispatcher.DrainAsync(default);

        Assert.Contains("https://learnhub.example/signup/secret-token", Assert.Single(await _smtp.WaitForAsync(1)).Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'sign-up-link' AND status = 'sent' AND data = '{}'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhileABurstOfRegistrationsHoldsDeliveryBack_ASignInLinkStillGoesOut_AndTheConfirmationsFollowTheBurst(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 500);
        var account = (await world.Accounts.CreateAsync("robin@example.org", "Robin", null, [], default)).Account!;
        // Any rate above one a second is a burst here, and delivery would wait out a burst for ten minutes.
        var pacing = Microsoft.Extensions.Options.Options.Create(new MailOptions { BurstRate = 1, BurstDeferral = TimeSpan.FromMinutes(10), PollInterval = TimeSpan.FromMilliseconds(100) });
        using var service = new OutboxDeliveryService(world.Dispatcher, world.Database, pacing, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxDeliveryService>.Instance);
        await service.StartAsync(default);
        try
        {
            await BurstAsync(world, webinar, account);
        }
        finally
        {
            await service.StopAsync(default);
        }
    }

    // Registers someone every 20 ms, asks for a sign-in link once 20 have registered, and stops when it arrives.
    private async Task BurstAsync(MailWorld world, Guid webinar, LearnHub.Grains.Accounts.Account account)
    {
        using var storm = new CancellationTokenSource();
        var registered = 0;
        var registrations = Task.Run(async () =>
        {
            while (!storm.IsCancellationRequested)
            {
                await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person($"p{registered}@example.org"), false);
                registered++;
                await Task.Delay(20);
            }
        });
        while (Volatile.Read(ref registered) < 20)
        {
            await Task.Delay(20);
        }

        ReceivedMail link;
        long heldBack;
        try
        {
            await world.Links.IssueAsync(account, LearnHub.Silo.Accounts.AccountLinkPurpose.SignIn, default);
            link = await WaitForMailToAsync("robin@example.org");
            heldBack = await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' AND purpose = 'registration-confirmed'");
        }
        finally
        {
            await storm.CancelAsync();
            await registrations;
        }

        Assert.Contains("https://learnhub.example/signin/link/", link.Text, StringComparison.Ordinal);
        // The link went out past confirmations the burst was holding back (a pause of the registrations longer than a
        // window could end the burst and let some out, so not all of them are asserted).
        Assert.True(heldBack > 0, "No confirmation was held back by the burst.");
        // Once the registrations stop, the burst is over within a window and every confirmation goes out.
        Assert.Equal(registered + 1, (await _smtp.WaitForAsync(registered + 1)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnEvaluationLink_LeavesTheOutboxOnceItIsSent(DatabaseProvider provider)
    {
        // Only the token's hash is kept with the invitation; the emailed link must not outlive its delivery in the
        // outbox, or the database (or a backup) could answer the survey in the attendee's name.
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var receipt = await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);
        var inviter = new LearnHub.Silo.Evaluations.EvaluationInviter(Microsoft.Extensions.Options.Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example" }));
        var attendance = new LearnHub.Silo.Attendance.AttendanceStore(world.Database, world.Clock, [inviter]);
        world.Clock.Advance(TimeSpan.FromDays(8)); // the session is over: the survey mail is due at once

        Assert.Equal(LearnHub.Silo.Attendance.CheckInOutcome.Recorded, await attendance.CheckInAsync(webinar, receipt.Session.RegistrationId!.Value, true, null,
            new LearnHub.Silo.Attendance.AttendanceActor(null, null, null), default));
        await world.Dispatcher.DrainAsync(default);

        var mail = Assert.Single(await _smtp.WaitForAsync(2), m => m.Subject?.StartsWith("Your evaluation", StringComparison.Ordinal) == true);
        var token = System.Text.RegularExpressions.Regex.Match(mail.Text ?? "", "https://learnhub.example/evaluations/([A-Za-z0-9_-]{43})").Groups[1].Value;
        Assert.Equal(43, token.Length);
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'evaluation-requested' AND status = 'sent'"));
        Assert.Equal(0, await CountAsync(world, $"SELECT COUNT(*) FROM outbox_messages WHERE data LIKE '%{token}%'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACheckInAtTheDoor_SendsTheSurveyAndTheCertificateOnlyAfterTheSessionHasEnded_AndOnce(DatabaseProvider provider)
    {
        // The survey asks about the whole session and the certificate vouches for it: checked in while it runs, the
        // attendee gets both mails once it is over.
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5); // a week from now, 90 minutes
        var receipt = await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);
        await world.Dispatcher.DrainAsync(default); // the confirmation
        world.Clock.SetUtcNow(Now.AddDays(7).AddMinutes(10)); // ten minutes into the session
        var inviter = new LearnHub.Silo.Evaluations.EvaluationInviter(Microsoft.Extensions.Options.Options.Create(new MailOptions { PublicBaseUrl = "https://learnhub.example" }));
        var attendance = new LearnHub.Silo.Attendance.AttendanceStore(world.Database, world.Clock,
            [inviter, new LearnHub.Silo.Certificates.CertificateObserver("https://learnhub.example")]);
        const string Sent = "SELECT COUNT(*) FROM outbox_messages WHERE purpose IN ('evaluation-requested', 'certificate-issued') AND status = 'sent'";

        var certificates = new LearnHub.Silo.Certificates.CertificateStore(world.Database, world.Clock, new LearnHub.Silo.Certificates.CertificateObserver("https://learnhub.example"));
        var evaluations = new LearnHub.Silo.Evaluations.EvaluationStore(world.Database, [], world.Clock);
        var registration = receipt.Session.RegistrationId!.Value;

        Assert.Equal(LearnHub.Silo.Attendance.CheckInOutcome.Recorded, await attendance.CheckInAsync(webinar, registration, true, null,
            new LearnHub.Silo.Attendance.AttendanceActor(null, null, null), default));
        var duringTheSession = await world.Dispatcher.DrainAsync(default);
        world.Clock.Advance(TimeSpan.FromMinutes(79));
        var aMinuteBeforeTheEnd = await world.Dispatcher.DrainAsync(default);
        var sentBeforeTheEnd = await CountAsync(world, Sent);
        // Nobody sees the certificate before the end (not the transcript, the manage page, nor /verify), and the
        // survey does not take answers yet.
        var shownBeforeTheEnd = (await certificates.ForPersonAsync("robin@example.org", default)).Count
            + (await certificates.LiveForRegistrationAsync(registration, default) is null ? 0 : 1);
        var earlyAnswer = await evaluations.SubmitAsync(registration, LearnHub.Silo.Tests.Evaluations.EvaluationWorld.Answers(), false, default);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var atTheEnd = await world.Dispatcher.DrainAsync(default);
        var certificate = Assert.Single(await certificates.ForPersonAsync("robin@example.org", default));
        world.Clock.Advance(TimeSpan.FromHours(1));
        var later = await world.Dispatcher.DrainAsync(default);

        Assert.Equal((0, 0, 0L), (duringTheSession.Claimed, aMinuteBeforeTheEnd.Claimed, sentBeforeTheEnd));
        Assert.Equal((0, LearnHub.Silo.Evaluations.EvaluationSubmitOutcome.NotYetOpen), (shownBeforeTheEnd, earlyAnswer));
        Assert.Equal(Now.AddDays(7).AddMinutes(90), certificate.IssuedAt);
        Assert.Equal(certificate.Code, (await certificates.FindByCodeAsync(certificate.Code, default))?.Code);
        Assert.Equal(LearnHub.Silo.Evaluations.EvaluationSubmitOutcome.Submitted, await evaluations.SubmitAsync(registration, LearnHub.Silo.Tests.Evaluations.EvaluationWorld.Answers(), false, default));
        Assert.Equal((2, 0), (atTheEnd.Sent, later.Claimed));
        var mails = await _smtp.WaitForAsync(3);
        Assert.Single(mails, m => m.Subject?.StartsWith("Your evaluation", StringComparison.Ordinal) == true);
        Assert.Single(mails, m => m.Subject?.StartsWith("Your certificate", StringComparison.Ordinal) == true);
        Assert.Equal(2, await CountAsync(world, Sent));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ACheckInUndoneBeforeTheEnd_WithdrawsTheCertificateNobodySaw_AndSendsNoMailAboutIt(DatabaseProvider provider)
    {
        // Checked in by mistake and unchecked ten minutes later: the certificate never came into force, so it is
        // withdrawn with its queued mail; a "revoked" notice about a certificate the person never had would confuse.
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var receipt = await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("robin@example.org"), false);
        await world.Dispatcher.DrainAsync(default); // the confirmation
        world.Clock.SetUtcNow(Now.AddDays(7).AddMinutes(10));
        var observer = new LearnHub.Silo.Certificates.CertificateObserver("https://learnhub.example");
        var attendance = new LearnHub.Silo.Attendance.AttendanceStore(world.Database, world.Clock, [observer]);
        var actor = new LearnHub.Silo.Attendance.AttendanceActor(null, null, null);
        var registration = receipt.Session.RegistrationId!.Value;

        await attendance.CheckInAsync(webinar, registration, true, null, actor, default);
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(LearnHub.Silo.Attendance.CheckInOutcome.Recorded,
            await attendance.CheckInAsync(webinar, registration, false, "Checked in the wrong Robin", actor, default));
        world.Clock.SetUtcNow(Now.AddDays(8));
        var afterTheEnd = await world.Dispatcher.DrainAsync(default);

        Assert.Equal(0, afterTheEnd.Sent);
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM certificates"));
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-issued' AND status = 'skipped'"));
        Assert.Equal(0, await CountAsync(world, "SELECT COUNT(*) FROM outbox_messages WHERE purpose = 'certificate-revoked'"));
        Assert.Equal(1, await CountAsync(world, "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.withdrawn'"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AnAssignment_EmailsTheMentorAndTheMentee(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var mentor = (await world.Accounts.CreateAsync("mentor@example.org", "Mo Mentor", null, [LearnHub.Grains.Accounts.Role.Mentor], default)).Account!;
        var mentee = (await world.Accounts.CreateAsync("new.worker@example.org", "Nia New", null, [], default)).Account!;
        var mentoring = new LearnHub.Silo.Mentoring.MentoringStore(world.Database, world.Clock, "https://learnhub.example");
        await mentoring.SaveProfileAsync(new LearnHub.Silo.Mentoring.MentorProfile(mentor.Id, "DCF", "North", [], [], "America/Chicago", 3, true), default);

        var (_, id) = await mentoring.AssignAsync(mentor.Id, mentee.Id, false, default);
        await world.Dispatcher.DrainAsync(default);

        var mails = (await _smtp.WaitForAsync(2)).ToDictionary(m => m.RcptTos[0]);
        Assert.Equal("You have a new mentee", mails["mentor@example.org"].Subject);
        Assert.Contains("Nia New <new.worker@example.org>", mails["mentor@example.org"].Text, StringComparison.Ordinal);
        Assert.Equal("Meet your peer mentor", mails["new.worker@example.org"].Subject);
        Assert.Contains($"https://learnhub.example/mentoring/{id}", mails["new.worker@example.org"].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidFromAddress_IsReportedAtStart_NamingTheSetting()
    {
        var problems = new MailOptions { From = "not an address\r\nBcc: x@y" }.Problems().ToList();

        Assert.Contains(problems, p => p.StartsWith("LearnHub:Mail:From", StringComparison.Ordinal));
    }

    private async Task<ReceivedMail> WaitForMailToAsync(string recipient)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_smtp.Received().FirstOrDefault(m => m.RcptTos.Contains(recipient)) is { } mail)
            {
                return mail;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No mail to {recipient} within 30 s.");
            await Task.Delay(50);
        }
    }

    // Queues mail in a transaction of its own, as the change that causes it would.
    private static async Task QueueAsync(MailWorld world, params MailIntent[] intents)
    {
        await using var scope = await world.Database.BeginWriteAsync(default);
        await OutboxWriter.InsertAsync(scope, intents, Now, default);
        await scope.CommitAsync(default);
    }

    private static async Task<string> TextAsync(MailWorld world, string sql)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<string>(sql) ?? "";
    }

    private static async Task<long> CountAsync(MailWorld world, string sql)
    {
        await using var connection = await world.Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
