using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using LearnHub.Grains.Accounts;
using LearnHub.Silo.Storage;
using LearnHub.Testing;
using LearnHub.Web.Hosting;
using LearnHub.Web.Tests.Media;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>
/// Control characters other than tab, and line breaks outside multi-line fields, are refused at every way in, with a
/// sentence naming the field, before anything reaches either database (a NUL was a 500 on PostgreSQL).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed partial class TextInputGuardTests(DatabaseFixture fixture)
{
    private static async Task<long> CountAsync(LearnHubWebFactory app, string table)
    {
        await using var connection = await app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task AControlCharacter_IsRefusedNamingWhereItWas_InAForm_TheAddress_TheQueryOrTheApi_AndNothingIsStored(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var (_, webinar, _) = await app.SeriesWithWebinarAsync();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var registration = await Forms.PostAsync(browser, $"/sessions/{webinar}", $"/sessions/{webinar}", new()
        {
            ["Form.Name"] = "Pat\0 Doe", ["Form.Email"] = "pat@example.org", ["Form.Agency"] = "DCF", ["Form.JobRole"] = "Caseworker", ["Form.TimeZone"] = "UTC",
        });
        var signIn = await LearnHubWebFactory.SignInAsync(browser, "pat\0@example.org", "a password");
        // A NUL in the path itself never gets this far: the server refuses to decode it.
        var address = await browser.GetAsync("/series/mind%07the-gap");
        var query = await browser.GetAsync("/verify?code=AB%00CD");
        var api = await browser.PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "Pat Doe", email = "pat@example.org", agency = "DCF", jobRole = "Caseworker", timeZone = "UTC", accommodations = "Captions\u0000 please",
        });

        Assert.Equal(HttpStatusCode.BadRequest, registration.StatusCode);
        Assert.Contains("The field “Form.Name” contains an invisible control character (U+0000)", WebUtility.HtmlDecode(await registration.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Contains("The field “Email” contains an invisible control character (U+0000)", WebUtility.HtmlDecode(await signIn.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, address.StatusCode);
        Assert.Contains("The address contains an invisible control character", WebUtility.HtmlDecode(await address.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("U+0000", problem.GetProperty("errors").GetProperty("accommodations")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(app, "registrations"));
        Assert.Equal(0, await CountAsync(app, "sign_in_throttle"));
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ATitleOnTwoLines_IsRefused_WhileADescriptionKeepsItsLines(DatabaseProvider provider)
    {
        await using var app = await LearnHubWebFactory.OnAsync(fixture, provider);
        var organizer = await app.SignedInClientAsync(await app.AccountAsync(Role.Organizer));
        var (_, webinar, _) = await app.SeriesWithWebinarAsync();

        var twoLineTitle = await Forms.PostAsync(organizer, "/organizer/series/edit", "/organizer/series/edit", new()
        {
            ["Slug"] = "two-lines", ["Title"] = "Elder Justice\r\nBcc: everyone@example.org", ["Description"] = "Fine.",
        });
        var multiLineDescription = await Forms.PostAsync(organizer, "/organizer/series/edit", "/organizer/series/edit", new()
        {
            ["Slug"] = "many-lines", ["Title"] = "Elder Justice", ["Description"] = "## Why\r\n\r\nProtecting older adults.\r\n\r\n- one\r\n- two",
        });
        var apiName = await app.CreateClient().PostAsJsonAsync($"/api/sessions/{webinar}/registrations", new
        {
            name = "Pat\nDoe", email = "pat@example.org", agency = "DCF", jobRole = "Caseworker", timeZone = "UTC", accommodations = "Captions,\nplease",
        });

        Assert.Equal(HttpStatusCode.BadRequest, twoLineTitle.StatusCode);
        Assert.Contains("The field “Title” must be on one line", WebUtility.HtmlDecode(await twoLineTitle.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, multiLineDescription.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, apiName.StatusCode);
        var errors = (await apiName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Your name must be on one line: remove the line break.", errors.GetProperty("name")[0].GetString());
        Assert.False(errors.TryGetProperty("accommodations", out _));
        await using var connection = await app.Services.GetRequiredService<LearnHubDatabase>().OpenAsync(default);
        Assert.Equal(["many-lines"], await connection.QueryAsync<string>("SELECT slug FROM series WHERE slug IN ('two-lines', 'many-lines')"));
    }

    [Fact]
    public async Task AControlCharacterInAStreamedUploadsField_IsRefused_AndNothingIsStored()
    {
        await using var app = new LearnHubWebFactory(fixture.NewDirectory());
        var organizer = await app.SignedInClientAsync(await app.AccountAsync(Role.Organizer));
        var (_, webinar, _) = await app.SeriesWithWebinarAsync();

        var response = await MediaUploadTests.UploadAsync(organizer, webinar, "Handout", new() { ["Title"] = "Slides\u001b[31m", ["Visibility"] = "public" },
            ("File", "slides.pdf", "%PDF-1.7\n%%EOF\n"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The field “Title” contains an invisible control character (U+001B)", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(app, "session_media"));
    }

    [GeneratedRegex("""<textarea[^>]*\sname="([^"]+)"[^>]*>""")]
    private static partial Regex Textarea();

    [GeneratedRegex("""^@model\s+(\S+)""", RegexOptions.Multiline)]
    private static partial Regex Model();

    [Fact]
    public void EveryTextarea_IsDeclaredMultiLine_OnThePageThatPostsIt()
    {
        // A textarea the guard does not know about would refuse every line break a person types into it.
        var pages = Path.Combine(Repository.Root, "src", "Web", "Pages");
        var web = typeof(MultiLineFieldsAttribute).Assembly;
        var checkedFields = new List<string>();
        foreach (var file in Directory.GetFiles(pages, "*.cshtml", SearchOption.AllDirectories))
        {
            var markup = File.ReadAllText(file);
            var fields = Textarea().Matches(markup).Select(m => Regex.Replace(m.Groups[1].Value, @"\[@[^\]]+\]", "[0]")).ToList();
            if (fields.Count == 0)
            {
                continue;
            }

            // A partial's textareas are posted by the pages that render it, so those pages are the ones to declare them.
            var posters = PagesRendering(pages, file).ToList();
            Assert.True(posters.Count > 0, $"{Path.GetRelativePath(pages, file)}: no page renders this partial.");
            foreach (var poster in posters)
            {
                var modelName = Model().Match(File.ReadAllText(poster)).Groups[1].Value;
                var model = web.GetTypes().Single(t => t.FullName == modelName || t.FullName!.EndsWith("." + modelName, StringComparison.Ordinal));
                var declared = model.GetCustomAttributes<MultiLineFieldsAttribute>(inherit: true).ToList();
                foreach (var field in fields)
                {
                    Assert.True(declared.Any(d => d.Allows(field)), $"{Path.GetRelativePath(pages, poster)}: the textarea “{field}” ({Path.GetFileName(file)}) is not in {model.Name}'s [MultiLineFields].");
                    checkedFields.Add(field);
                }
            }
        }

        Assert.Contains("Form.Presenters[0].Bio", checkedFields);
        Assert.Contains("answers[0]", checkedFields);
        Assert.True(checkedFields.Count >= 15, $"Only {checkedFields.Count} textareas found.");
    }

    // The page itself, or for a partial (_Name.cshtml) every page that renders it, through other partials too.
    private static IEnumerable<string> PagesRendering(string pages, string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        if (!name.StartsWith('_'))
        {
            return [file];
        }

        return Directory.GetFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .Where(f => f != file && File.ReadAllText(f).Contains($"<partial name=\"{name}\"", StringComparison.Ordinal))
            .SelectMany(f => PagesRendering(pages, f));
    }
}
