using System.Text.RegularExpressions;
using Ical.Net;
using LearnHub.Silo.Scheduling;
using LearnHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LearnHub.Web.Tests.Browser;

/// <summary>
/// In real Chromium on a phone whose browser speaks Spanish, and again Chinese: the registrant opens an English-only
/// session, registers, is told so in their language, gets the confirmation (with the invite's description around the
/// English title) and the next day's reminder in that language, and opens the manage page from the mail. Every page
/// says its language, marks the English original as English, and axe-core finds nothing serious.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class MultilingualRegistrationJourneyTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(databases.NewDirectory());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ASpanishAndAChineseRegistrant_RegisterAndAreWrittenToInTheirLanguage()
    {
        var (_, webinar, _) = await _app.SeriesWithWebinarAsync(capacity: 40);
        const string title = "Simulation Labs for Child Welfare Education";
        var people = new[]
        {
            (Locale: "es-MX", Lang: "es", Email: "ana.garcia@example.org", Registered: "Su inscripción está confirmada", Subject: "Inscripción confirmada: ",
                Reminder: "Mañana: ", Manage: "Su inscripción"),
            (Locale: "zh-CN", Lang: "zh-Hans", Email: "li.wei@example.org", Registered: "您已报名成功", Subject: "报名成功：", Reminder: "明天开始：", Manage: "您的报名"),
        };

        foreach (var person in people)
        {
            await using var context = await browser.Browser.NewContextAsync(new() { Locale = person.Locale, ViewportSize = new() { Width = 390, Height = 844 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"{_baseUrl}/sessions/{webinar}");
            Assert.Equal(person.Lang, await page.GetAttributeAsync("html", "lang"));
            // No translation was written: the title is the organizer's English, marked so a screen reader reads it as English.
            Assert.Equal("en", await page.GetAttributeAsync("h1", "lang"));
            await browser.AssertAccessibleAsync(page, $"session page in {person.Lang}");

            await page.FillAsync("#f-name", person.Lang == "es" ? "Ana García" : "李伟");
            await page.FillAsync("#f-email", person.Email);
            await page.FillAsync("#f-agency", "County DCF");
            await page.FillAsync("#f-jobRole", "Caseworker");
            await page.Locator(".register-form button.primary").PressAsync("Enter");
            await page.WaitForURLAsync("**/confirmation");
            Assert.Equal(person.Lang, await page.GetAttributeAsync("html", "lang"));
            Assert.Equal(person.Registered, (await page.TextContentAsync("h1"))!.Trim());
            await browser.AssertAccessibleAsync(page, $"confirmation in {person.Lang}");

            var confirmation = await _app.EmailAsync(person.Email, person.Subject + title);
            var invite = confirmation.BodyParts.OfType<MimeKit.MimePart>().First(p => p.ContentType.MimeType == "text/calendar");
            using var ics = new MemoryStream();
            await invite.Content!.DecodeToAsync(ics);
            var ev = Calendar.Load(System.Text.Encoding.UTF8.GetString(ics.ToArray()))!.Events.Single();
            Assert.Equal(title, ev.Summary);
            Assert.Contains($"<html lang=\"{person.Lang}\"", confirmation.HtmlBody, StringComparison.Ordinal);
            // The date in the mail is written the registrant's way (29 de noviembre de 2026, 2026年11月29日).
            Assert.Contains(person.Lang == "es" ? "de noviembre de 2026" : "2026年11月29日", confirmation.TextBody, StringComparison.Ordinal);

            var manage = Regex.Match(confirmation.TextBody ?? "", @"https?://\S+/registrations/[A-Za-z0-9_-]+").Value;
            await page.GotoAsync(manage);
            Assert.Equal(person.Lang, await page.GetAttributeAsync("html", "lang"));
            Assert.Equal(person.Manage, (await page.TextContentAsync("h1"))!.Trim());
            await browser.AssertAccessibleAsync(page, $"manage page in {person.Lang}");
        }

        // The day before: the reminders go out, each in its registrant's language.
        _app.Clock.Advance(TimeSpan.FromDays(6) + TimeSpan.FromHours(1));
        await _app.Services.GetRequiredService<ReminderScheduler>().FireDueAsync(default);
        foreach (var person in people)
        {
            var reminder = await _app.EmailAsync(person.Email, person.Reminder + title);
            Assert.Contains($"<html lang=\"{person.Lang}\"", reminder.HtmlBody, StringComparison.Ordinal);
        }
    }
}
