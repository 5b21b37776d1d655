using LearnHub.Grains.Sessions;
using Dapper;
using Ical.Net;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>A session that moves or is cancelled: same UID, higher SEQUENCE, reminders re-planned or dropped.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SessionChangeMailTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rescheduling_SendsAnUpdatedInvite_ToSeatHolders_ANotice_ToTheWaitlist_AndReplansReminders(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 1);
        var grain = world.Grains.Session(webinar);
        await grain.RegisterAsync(MailWorld.Person("seated@example.org"), false);
        await grain.RegisterAsync(MailWorld.Person("waiting@example.org"), false);
        await world.Dispatcher.DrainAsync(default);
        var newStart = Now.AddDays(9);

        var result = await grain.RescheduleAsync(newStart, newStart.AddHours(2));
        await world.Dispatcher.DrainAsync(default);

        Assert.Equal((SessionChangeOutcome.Changed, 2), (result.Outcome, result.RegistrantsNotified));
        var changes = (await _smtp.WaitForAsync(4)).Where(m => m.Subject.StartsWith("New time:", StringComparison.Ordinal)).ToList();
        var seated = changes.Single(m => m.RcptTos[0] == "seated@example.org");
        var invite = Calendar.Load(seated.Calendars.First(c => c.ContentType == "text/calendar").Content)!;
        var ev = invite.Events.Single();
        Assert.Equal(("REQUEST", $"session-{webinar}@learnhub", 1), (invite.Method, ev.Uid, ev.Sequence));
        Assert.Equal(newStart.UtcDateTime, ev.DtStart!.AsUtc);
        var waiting = changes.Single(m => m.RcptTos[0] == "waiting@example.org");
        Assert.Empty(waiting.Calendars);
        Assert.DoesNotContain("meet.example", waiting.Text, StringComparison.Ordinal);

        await using var connection = await world.Database.OpenAsync(default);
        var due = await connection.QueryAsync<long>("SELECT due_utc_ms FROM session_reminders WHERE session_id = @id AND state = 'pending' ORDER BY due_utc_ms",
            new { id = webinar.ToString() });
        Assert.Equal([newStart.AddHours(-24).ToUnixTimeMilliseconds(), newStart.AddHours(-1).ToUnixTimeMilliseconds()], due);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Cancelling_SendsACancellingInvite_DropsReminders_AndClosesRegistration(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var grain = world.Grains.Session(webinar);
        await grain.RegisterAsync(MailWorld.Person("seated@example.org"), false);
        await world.Dispatcher.DrainAsync(default);

        var first = await grain.CancelSessionAsync();
        var again = await grain.CancelSessionAsync();
        var late = await grain.RegisterAsync(MailWorld.Person("late@example.org"), false);
        await world.Dispatcher.DrainAsync(default);
        world.Clock.Advance(TimeSpan.FromDays(7));
        var reminders = await world.Reminders.FireDueAsync(default);

        Assert.Equal(SessionChangeOutcome.Changed, first.Outcome);
        Assert.Equal(SessionChangeOutcome.Unchanged, again.Outcome);
        Assert.Equal((SessionAdmissionOutcome.Closed, ClosedReason.SessionCancelled), (late.Session.Outcome, late.Session.ClosedReason!.Value));
        var mails = await _smtp.WaitForAsync(2);
        var cancelled = mails.Single(m => m.Subject.StartsWith("Session cancelled:", StringComparison.Ordinal));
        var invite = Calendar.Load(cancelled.Calendars.First(c => c.ContentType == "text/calendar").Content)!;
        Assert.Equal(("CANCEL", 1), (invite.Method, invite.Events.Single().Sequence));
        Assert.Equal((0, 0), (reminders.Fired, reminders.MessagesQueued));
        Assert.Equal(2, mails.Count);
    }
}
