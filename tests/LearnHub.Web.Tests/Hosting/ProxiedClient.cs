using System.Net;

namespace LearnHub.Web.Tests.Hosting;

/// <summary>
/// What a TLS-terminating reverse proxy sends LearnHub: plain HTTP from the proxy's own address, with the client's
/// address and scheme in X-Forwarded-For and X-Forwarded-Proto. Cookies are carried by hand, because a cookie marked
/// Secure would (rightly) never be sent back over the plain HTTP hop by a cookie container.
/// </summary>
public sealed class ProxiedClient(string baseUrl, string clientAddress, string host = "learnhub.example.org") : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    /// <summary>Every Set-Cookie header received, as sent.</summary>
    public List<string> SetCookies { get; } = [];

    /// <summary>Sends a request as the proxy forwards it, and keeps the cookies it sets.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        var response = await _http.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            SetCookies.Add(header);
            var pair = header.Split(';')[0].Split('=', 2);
            _cookies[pair[0]] = pair[1];
        }

        return response;
    }

    /// <summary>Opens a page, then posts its form with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string postPath, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var page = await SendAsync(HttpMethod.Get, pagePath);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        return await SendAsync(HttpMethod.Post, postPath, fields);
    }

    /// <summary>Signs in through the real form.</summary>
    public async Task SignInAsync(string email)
    {
        var response = await PostFormAsync("/signin", "/signin", new() { ["Email"] = email, ["Password"] = LearnHubWebFactory.Password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in behind the proxy failed: {(int)response.StatusCode}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
