using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Localization;
using LearnHub.Web.Tests.Browser;
using Microsoft.Data.Sqlite;

namespace LearnHub.Web.Tests.Localization;

/// <summary>
/// No interface text escapes the resources. Every page of the sweep's world, opened by the people who use it, is read
/// in the pseudo language (<see cref="PseudoLocalization"/>): its text, its title, and what assistive technology reads
/// (aria-label, title, placeholder, alt, a button's value). Any English word left is either data — something stored
/// in the database (a title, a name, an address, organizer text), a time-zone id, a date's month or day name, text
/// marked as being in a language of its own (<c>lang</c>) or as not to be translated (<c>translate="no"</c>) — or an
/// interface string written into the page instead of looked up, which fails this test with the page and the text.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class PseudoLocalizationTests(DatabaseFixture databases, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    // What a person or their screen reader meets on the page, as strings.
    private const string Read =
        """
        () => {
          // Text in a language of its own (the picker's language names, organizer content marked with its lang), text
          // marked translate="no" (a transcript's cues) and what a person typed (a textarea) are not interface text.
          const own = el => el.closest('script, style, template, textarea, [translate=no]')
            || (el.closest('[lang]') && el.closest('[lang]') !== document.documentElement);
          const out = [document.title];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!el || own(el)) continue;
            const t = n.nodeValue.trim();
            if (t) out.push(t);
          }
          for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit], input[type=button]')) {
            if (own(el)) continue;
            for (const a of ['aria-label', 'title', 'placeholder', 'alt']) { const v = el.getAttribute(a); if (v && v.trim()) out.push(v.trim()); }
            if (el.matches('input[type=submit], input[type=button]') && el.value.trim()) out.push(el.value.trim());
          }
          return out;
        }
        """;

    // Names that are the same in every language: the product, formats, other companies' products.
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "LearnHub", "CSV", "PDF", "ICS", "iCalendar", "Google", "Outlook", "Zoom", "Teams", "YouTube", "Vimeo", "WebVTT", "VTT",
        "MP4", "WebM", "API", "OpenAPI", "UTC", "AM", "PM",
    };

    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    private readonly string _dataDirectory = databases.NewDirectory();
    private LearnHubWebFactory _app = null!;
    private string _baseUrl = "";

    public Task InitializeAsync()
    {
        (_app, _baseUrl) = LearnHubWebFactory.ServeOnLoopback(_dataDirectory, new Dictionary<string, string> { [PseudoLocalization.Setting] = "true" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("⟦[^⟦⟧]*⟧")]
    private static partial Regex Translated();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Address();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex Word();

    [Fact]
    public void ThePseudoLanguage_TransformsLetters_AndKeepsPlaceholdersAndMarkup() =>
        Assert.Equal("⟦Śéé <a href=\"{0}\">ţĥé ńóţíćé</a> &amp; {1:N0} íţéɱś⟧", PseudoLocalization.Transform("See <a href=\"{0}\">the notice</a> &amp; {1:N0} items"));

    [Fact]
    public async Task EveryPage_InThePseudoLanguage_ShowsNoInterfaceTextThatIsNotInTheResources()
    {
        var world = await SweepWorld.BuildAsync(_app, _baseUrl);
        var read = new List<(string Page, string Text)>();
        foreach (var visitor in world.Pages.GroupBy(p => p.Role))
        {
            await using var context = await browser.Browser.NewContextAsync();
            await context.RouteAsync(url => url.StartsWith("http", StringComparison.Ordinal) && !new Uri(url).IsLoopback, route => route.AbortAsync());
            var page = await context.NewPageAsync();
            if (world.Emails.GetValueOrDefault(visitor.Key) is { } email)
            {
                await BrowserFixture.SignInAsync(page, _baseUrl, email);
            }

            // Chosen as a visitor chooses a language: the picker's cookie.
            await context.AddCookiesAsync([new() { Name = ".AspNetCore.Culture", Value = WebUtility.UrlEncode($"c={PseudoLocalization.Tag}|uic={PseudoLocalization.Tag}"), Url = _baseUrl }]);
            foreach (var (_, name, path, status) in visitor)
            {
                var response = await page.GotoAsync(_baseUrl + path);
                Assert.True(response?.Status == status, $"{visitor.Key} {name} ({path}): status {response?.Status}, expected {status}");
                var texts = await page.EvaluateAsync<JsonElement>(Read);
                read.AddRange(texts.EnumerateArray().Select(t => ($"{visitor.Key} {name}", t.GetString() ?? "")));
            }
        }

        var data = await DataTextAsync();
        var untranslated = read
            .Select(r => (r.Page, r.Text, Words: UntranslatedWords(r.Text, data)))
            .Where(r => r.Words.Count > 0)
            .GroupBy(r => r.Page)
            .Select(g => $"{g.Key}: " + string.Join(" | ", g.Select(r => r.Text.Length > 80 ? r.Text[..80] + "…" : r.Text).Distinct().Take(12)))
            .ToList();
        Assert.True(untranslated.Count == 0, $"Interface text not in the resources on {untranslated.Count} page(s):\n{string.Join('\n', untranslated)}");
        // Every page's layout is looked up (its skip link at least), so a page with nothing transformed was not in the pseudo language.
        var notPseudo = read.GroupBy(r => r.Page).Where(g => !g.Any(r => Translated().IsMatch(r.Text))).Select(g => g.Key).ToList();
        Assert.True(notPseudo.Count == 0, $"Not in the pseudo language: {string.Join(", ", notPseudo)}");
    }

    /// <summary>The English words of <paramref name="text"/> that are neither translated interface text nor data.</summary>
    private static List<string> UntranslatedWords(string text, DataText data)
    {
        // A link written out (a manage or calendar address) is an address, not words.
        var residue = Address().Replace(text, " ");
        for (var before = ""; before != residue;)
        {
            before = residue;
            residue = Translated().Replace(residue, " ");
        }

        if (!Word().IsMatch(residue))
        {
            return [];
        }

        // A rule's message the catalog translates when shown (MessageResource): in the resources, by pattern or whole.
        var message = residue.Trim();
        if (message.Length > 0 && Messages.Translate(message, Spanish) != message)
        {
            return [];
        }

        // A stored value shown whole or in part (an excerpt, one text node of organizer HTML).
        var trimmed = residue.Trim().Trim('…', '.', ',', ':', '(', ')', '"', '“', '”').Trim();
        if (trimmed.Length > 0 && data.Values.Any(v => v.Contains(trimmed, StringComparison.Ordinal)))
        {
            return [];
        }

        // Stored values shown side by side ("Robin Diaz · robin@example.org"), then what is left, word by word.
        foreach (var value in data.Values.Where(v => v.Length > 1 && residue.Contains(v, StringComparison.Ordinal)))
        {
            residue = residue.Replace(value, " ", StringComparison.Ordinal);
        }

        return [.. Word().Matches(residue).Select(m => m.Value).Where(w => !Names.Contains(w) && !data.Words.Contains(w))];
    }

    /// <summary>Every text stored in the world's database, longest first, and the words of time-zone ids and English dates.</summary>
    private async Task<DataText> DataTextAsync()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection(LearnHubDatabase.DefaultSqliteConnectionString(_dataDirectory));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.GetValue(i) is string { Length: > 1 } value)
                    {
                        values.Add(value.Trim());
                        values.Add(WebUtility.HtmlDecode(value).Trim());
                        // Rendered organizer text is shown as its words too (a card's excerpt of a description).
                        values.Add(Space().Replace(WebUtility.HtmlDecode(Tag().Replace(value, " ")), " ").Trim());
                        values.Add(Space().Replace(WebUtility.HtmlDecode(Tag().Replace(value, "")), " ").Trim());
                        // Organizer text kept as JSON (a knowledge check's questions and options) is shown string by string.
                        values.UnionWith(JsonStrings(value));
                    }
                }
            }
        }

        var english = CultureInfo.GetCultureInfo("en-US").DateTimeFormat;
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in english.MonthNames.Concat(english.AbbreviatedMonthNames).Concat(english.DayNames).Concat(english.AbbreviatedDayNames)
            .Concat(TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id)))
        {
            words.UnionWith(Word().Matches(name).Select(m => m.Value));
        }

        return new DataText([.. values.OrderByDescending(v => v.Length)], words);
    }

    private static IEnumerable<string> JsonStrings(string value)
    {
        if (value is not ['[' or '{', ..])
        {
            return [];
        }

        try
        {
            var strings = new List<string>();
            Collect(System.Text.Json.JsonDocument.Parse(value).RootElement);
            return strings;

            void Collect(System.Text.Json.JsonElement element)
            {
                switch (element.ValueKind)
                {
                    case System.Text.Json.JsonValueKind.String when element.GetString() is { Length: > 1 } text:
                        strings.Add(text.Trim());
                        break;
                    case System.Text.Json.JsonValueKind.Array:
                        foreach (var item in element.EnumerateArray())
                        {
                            Collect(item);
                        }

                        break;
                    case System.Text.Json.JsonValueKind.Object:
                        foreach (var property in element.EnumerateObject())
                        {
                            Collect(property.Value);
                        }

                        break;
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private sealed record DataText(IReadOnlyList<string> Values, HashSet<string> Words);
}
