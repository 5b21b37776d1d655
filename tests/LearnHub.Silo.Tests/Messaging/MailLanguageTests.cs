using System.Xml.Linq;
using Dapper;
using Ical.Net;
using LearnHub.Grains.Learners;
using LearnHub.Grains.Registrations;
using LearnHub.Silo.Messaging;
using LearnHub.Silo.Storage;
using LearnHub.Testing;

namespace LearnHub.Silo.Tests.Messaging;

/// <summary>
/// Issue 19: a registration keeps the language it was made in (registrations.language, written by the session grain),
/// and everything sent to the registrant later is composed in it at delivery, through a real SMTP server; account and
/// mentoring mail follows the learner's preference. Titles and names stay as written.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class MailLanguageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task TheSessionGrain_StoresEachRegistrationsLanguage_NullForEnglishByDefault_AndReadsItBack(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 1);
        var grain = world.Grains.Session(webinar);

        await grain.RegisterAsync(MailWorld.Person("ana@example.org") with { Language = "es" }, false);
        await grain.RegisterAsync(MailWorld.Person("li@example.org") with { Language = "zh-Hans" }, false);
        await grain.RegisterAsync(MailWorld.Person("pat@example.org"), false);

        await using var connection = await world.Database.OpenAsync(default);
        var stored = (await connection.QueryAsync<(string email_normalized, string? language)>(
            "SELECT email_normalized, language FROM registrations WHERE session_id = @id", new { id = webinar.ToString() })).ToDictionary(r => r.email_normalized, r => r.language);
        Assert.Equal(new Dictionary<string, string?> { ["ana@example.org"] = "es", ["li@example.org"] = "zh-Hans", ["pat@example.org"] = null }, stored);
        // Read back through the rows (the learner index is built from them), and recorded as the learner's preference.
        var li = Assert.Single(await world.Grains.GetGrain<ILearnerGrain>("li@example.org").RegistrationsAsync());
        Assert.Equal("zh-Hans", li.Language);
        Assert.Equal("zh-Hans", (await world.Grains.GetGrain<ILearnerGrain>("li@example.org").PreferencesAsync()).Language);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ASpanishRegistrant_GetsSpanishMailAroundTheEnglishSession_WithASpanishInviteDescription(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);

        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("ana@example.org") with { Language = "es" }, false);
        await world.Dispatcher.DrainAsync(default);

        var mail = Assert.Single(await _smtp.WaitForAsync(1));
        Assert.Equal("Inscripción confirmada: Simulation Labs", mail.Subject);
        Assert.StartsWith("Hola, Robin Ellis:", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Su inscripción está hecha y su lugar está confirmado.", mail.Text, StringComparison.Ordinal);
        // The session's own words (title, kind's label around them) and a Spanish date in the registrant's zone.
        Assert.Contains("Seminario web nacional · Mind the Gap", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Cuándo: domingo, 29 de noviembre de 2026", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Unirse a la sesión: https://meet.example/j/4242", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Recibe este mensaje porque se inscribió en Simulation Labs como ana@example.org.", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"es\"", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("You are registered", mail.Text, StringComparison.Ordinal);
        var ev = Calendar.Load(mail.Calendars.First(c => c.ContentType == "text/calendar").Content)!.Events.Single();
        Assert.Equal("Simulation Labs", ev.Summary);
        Assert.EndsWith("Unirse: https://meet.example/j/4242", ev.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task WhereTheOrganizerTranslatedTheSession_TheMailAndTheInviteCarryTheTranslatedTitle(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        var translated = await world.Grains.Session(webinar).SetTranslationsAsync(
            [new LearnHub.Grains.Catalog.ContentTranslation("es", "Laboratorios de simulación", "Cómo se forma al personal nuevo.")]);
        Assert.True(translated.Saved);

        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("ana@example.org") with { Language = "es" }, false);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("li@example.org") with { Language = "zh-Hans" }, false);
        await world.Dispatcher.DrainAsync(default);

        var mails = (await _smtp.WaitForAsync(2)).ToDictionary(m => m.RcptTos[0]);
        Assert.Equal("Inscripción confirmada: Laboratorios de simulación", mails["ana@example.org"].Subject);
        var ev = Calendar.Load(mails["ana@example.org"].Calendars.First(c => c.ContentType == "text/calendar").Content)!.Events.Single();
        Assert.Equal("Laboratorios de simulación", ev.Summary);
        Assert.StartsWith("Cómo se forma al personal nuevo.", ev.Description, StringComparison.Ordinal);
        // Nothing was translated into Chinese: the Chinese mail carries the original title.
        Assert.Contains("Simulation Labs", mails["li@example.org"].Subject, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AChineseRegistrant_GetsChineseMail_WhileAnEnglishOneGetsTheEnglishItAlwaysDid(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 1);
        var grain = world.Grains.Session(webinar);

        await grain.RegisterAsync(MailWorld.Person("pat@example.org"), false);
        await grain.RegisterAsync(MailWorld.Person("li@example.org") with { Language = "zh-Hans" }, false);
        await world.Dispatcher.DrainAsync(default);

        var mails = (await _smtp.WaitForAsync(2)).ToDictionary(m => m.RcptTos[0]);
        Assert.Equal("Registered: Simulation Labs", mails["pat@example.org"].Subject);
        Assert.StartsWith("Hello Robin Ellis,", mails["pat@example.org"].Text, StringComparison.Ordinal);
        Assert.Contains("When: Sunday, November 29, 2026", mails["pat@example.org"].Text, StringComparison.Ordinal);
        var li = mails["li@example.org"];
        Assert.Equal("已进入候补名单：Simulation Labs", li.Subject);
        Assert.StartsWith("Robin Ellis，您好：", li.Text, StringComparison.Ordinal);
        Assert.Contains("您目前在候补名单第 1 位", li.Text, StringComparison.Ordinal);
        Assert.Contains("时间：2026年11月29日", li.Text, StringComparison.Ordinal);
        Assert.Contains("全国网络研讨会 · Mind the Gap", li.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-Hans\"", li.Html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AReminder_FiredLater_IsInTheRegistrationsLanguage(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var webinar = await world.WebinarAsync(capacity: 5);
        await world.Grains.Session(webinar).RegisterAsync(MailWorld.Person("ana@example.org") with { Language = "es" }, false);
        await world.Dispatcher.DrainAsync(default);
        await _smtp.WaitForAsync(1);

        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.Reminders.FireDueAsync(default);
        await world.Dispatcher.DrainAsync(default);

        var reminder = (await _smtp.WaitForAsync(2)).Single(m => m.Subject != "Inscripción confirmada: Simulation Labs");
        Assert.Equal("Mañana: Simulation Labs", reminder.Subject);
        Assert.Contains("Un recordatorio: Simulation Labs comienza mañana.", reminder.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AccountAndMentoringMail_FollowTheLearnersPreference_EnglishWithoutOne(DatabaseProvider provider)
    {
        await using var world = await MailWorld.CreateAsync(fixture, provider, _smtp.Port, Now);
        var mentor = (await world.Accounts.CreateAsync("mentor@example.org", "Mo Mentor", null, [LearnHub.Grains.Accounts.Role.Mentor], default)).Account!;
        var mentee = (await world.Accounts.CreateAsync("new.worker@example.org", "Nia New", null, [], default)).Account!;
        Assert.True(await world.Grains.GetGrain<ILearnerGrain>("mentor@example.org").SetLanguageAsync("zh-Hans"));
        Assert.True(await world.Grains.GetGrain<ILearnerGrain>("new.worker@example.org").SetLanguageAsync("es"));
        var mentoring = new LearnHub.Silo.Mentoring.MentoringStore(world.Database, world.Clock, "https://learnhub.example");
        await mentoring.SaveProfileAsync(new LearnHub.Silo.Mentoring.MentorProfile(mentor.Id, "DCF", "North", [], [], "America/Chicago", 3, true), default);
        var other = (await world.Accounts.CreateAsync("robin@example.org", "Robin", null, [], default)).Account!;

        await mentoring.AssignAsync(mentor.Id, mentee.Id, false, default);
        await world.Links.IssueAsync(other, LearnHub.Silo.Accounts.AccountLinkPurpose.SignIn, default);
        await world.Dispatcher.DrainAsync(default);

        var mails = (await _smtp.WaitForAsync(3)).ToDictionary(m => m.RcptTos[0]);
        Assert.Equal("您有一位新的被指导同事", mails["mentor@example.org"].Subject);
        Assert.Contains("打开导师关系页面", mails["mentor@example.org"].Text, StringComparison.Ordinal);
        Assert.Equal("Conozca a su mentor/a par", mails["new.worker@example.org"].Subject);
        Assert.Contains("Su mentor/a par es Mo Mentor", mails["new.worker@example.org"].Text, StringComparison.Ordinal);
        Assert.Equal("Your LearnHub sign-in link", mails["robin@example.org"].Subject);
    }

    [Fact]
    public void EveryMailText_HasASpanishAndAChineseTranslation_WithTheSamePlaceholders()
    {
        XDocument Load(string language) => XDocument.Load(Path.Combine(Repository.Root, "src", "Silo", "Resources", $"MailResource.{language}.resx"));
        var es = Load("es").Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
        var zh = Load("zh-Hans").Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
        var source = File.ReadAllText(Path.Combine(Repository.Root, "src", "Silo", "Messaging", "MailComposer.cs"));
        var used = System.Text.RegularExpressions.Regex.Matches(source, "t\\[\"((?:[^\"\\\\]|\\\\.)+)\"").Select(m => System.Text.RegularExpressions.Regex.Unescape(m.Groups[1].Value)).Distinct().ToList();

        Assert.Equal(es.Keys.Order(), zh.Keys.Order());
        Assert.Equal([], used.Where(key => !es.ContainsKey(key)).ToArray());
        static string Placeholders(string text) => string.Join(",", System.Text.RegularExpressions.Regex.Matches(text, "\\{\\d\\}").Select(m => m.Value).Order());
        Assert.Equal([], es.Where(e => Placeholders(e.Key) != Placeholders(e.Value) || Placeholders(e.Key) != Placeholders(zh[e.Key])).Select(e => e.Key).ToArray());
        Assert.Equal("Unirse: x", MailText.For("es")["Join: {0}", "x"]);
        Assert.Equal("Join: x", MailText.For("fr")["Join: {0}", "x"]);
    }
}
