using System.Text.RegularExpressions;

namespace LearnHub.Web.Tests;

/// <summary>Posting the app's forms as a browser without JavaScript would: with the page's antiforgery token.</summary>
public static partial class Forms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>The antiforgery token a page's form carries.</summary>
    public static string AntiforgeryToken(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    /// <summary>
    /// A session page's registration form, complete, as it posts it; <paramref name="recordingConsent"/> is the radio
    /// group's chosen value (null: none chosen, so nothing is sent).
    /// </summary>
    public static FormUrlEncodedContent Registration(string token, string email, string name = "Pat Doe", string? recordingConsent = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Form.Name"] = name,
            ["Form.Email"] = email,
            ["Form.Agency"] = "County DCF",
            ["Form.JobRole"] = "Caseworker",
            ["Form.TimeZone"] = "America/Denver",
            ["Form.Accommodations"] = "",
        };
        if (recordingConsent is not null)
        {
            fields["Form.RecordingConsent"] = recordingConsent;
        }

        return new(fields);
    }

    /// <summary>Opens <paramref name="pagePath"/>, then posts <paramref name="fields"/> with its token to <paramref name="postPath"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pagePath, string postPath, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        fields["__RequestVerificationToken"] = AntiforgeryToken(await client.GetStringAsync(pagePath));
        return await client.PostAsync(postPath, new FormUrlEncodedContent(fields));
    }
}
