using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LearnHub.Grains.Catalog;
using LearnHub.Silo.Branding;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace LearnHub.Web.Hosting;

/// <summary>
/// Rendered copies of a public page for anonymous visitors, served again while nothing the page shows has changed: the
/// session page is where a webinar's announcement sends thousands of people at once, and rendering it (two time-zone
/// lists, the form, the organizer's text) cost more than everything else its request does.
/// </summary>
/// <remarks>
/// <para>
/// A copy is kept per variant of the page: its host, path and query (links point back to them), the request's
/// cultures, and what the page says varies it (the time zone). It is served only while the fingerprint of everything
/// the page shows is the same, and while the clock is in the same interval between the instants at which the page
/// changes by itself (registration opening, closing, the start). The fingerprint is a hash of the grains' views as JSON:
/// a view changes content, not identity, when its grain reads its row again, so a revision number alone could miss a
/// change (a series renamed refreshes its sessions' views at the same row version). The views are immutable, so a view
/// already seen is hashed once. Left out of the hash is what no public page or catalog answer shows: revision numbers
/// and a session's waitlist length. Both change at every registration to a full session, so without this a storm of
/// people landing on a full session's page would be rendered for each of them.
/// </para>
/// <para>
/// What differs per visitor is spliced in: every form carries the visitor's own antiforgery token, generated for each
/// request as when the page is rendered, so a copy never carries another visitor's token. Signed-in visitors are never
/// served copies (the menu, the media they may open and their name differ), nor are posts (their answers and errors).
/// Memory is bounded (<see cref="Budget"/>) and each variant holds one copy, kept from the second rendering of the same
/// views on: a page whose seats change at every registration during a storm is not copied at every view.
/// </para>
/// </remarks>
public sealed class RenderedPages(IAntiforgery antiforgery, BrandingStore branding) : IAsyncResultFilter, IDisposable
{
    /// <summary>The most memory the copies take, in bytes of HTML (about 450 copies of the session page).</summary>
    public const long Budget = 16L * 1024 * 1024;

    // A variant nobody asks for in ten minutes gives its memory back; past the budget the cache drops entries itself.
    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(10);

    private const string TokenField = "__RequestVerificationToken";
    private static readonly byte[] TokenFieldBytes = Encoding.ASCII.GetBytes(TokenField);
    private readonly MemoryCache _copies = new(new MemoryCacheOptions { SizeLimit = Budget });
    private long _copiesServed;

    /// <summary>How many requests were answered with a kept copy (for tests and diagnostics).</summary>
    internal long CopiesServed => Interlocked.Read(ref _copiesServed);

    /// <summary>
    /// The page as <paramref name="render"/> renders it, from a kept copy when there is one for this variant showing the
    /// same <paramref name="shown"/>; otherwise rendered and kept.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="render">The page's own result (its Razor view).</param>
    /// <param name="variant">What else the page varies by, besides path, query and language.</param>
    /// <param name="now">The instant the page renders at (its own, read before its views: a copy is checked and kept
    /// for the interval around the instant the page was rendered at, never one read later).</param>
    /// <param name="changesAt">The instants at which the page changes by itself as the clock passes them.</param>
    /// <param name="shown">Every immutable view the page shows.</param>
    public async Task<IActionResult> ServeAsync(HttpContext http, IActionResult render, string variant, DateTimeOffset now, IEnumerable<DateTimeOffset?> changesAt, params object?[] shown)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(shown);
        if ((!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)) || http.User.Identity?.IsAuthenticated == true)
        {
            return render;
        }

        // The layout shows the brand (the store keeps it for a short while; a new one is a new fingerprint).
        var brand = await branding.CurrentAsync(http.RequestAborted);
        var key = string.Join('|', http.Request.Host.Value, http.Request.PathBase.Value, http.Request.Path.Value, http.Request.QueryString.Value, CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name, variant);
        var fingerprint = string.Join('.', shown.Prepend(brand).Select(Fingerprint.Of));
        var known = _copies.Get<Known>(key);
        if (known is Copy copy && copy.Fingerprint == fingerprint && copy.From <= now && now < copy.Until)
        {
            Interlocked.Increment(ref _copiesServed);
            return new CopyResult(copy, antiforgery);
        }

        if (known?.Fingerprint != fingerprint)
        {
            // Kept from the second view of the same views on: during a registration storm the seats change with every
            // registration, and copies nobody would be served would only cost their memory.
            _copies.Set(key, new Known(fingerprint), new MemoryCacheEntryOptions { Size = (key.Length + fingerprint.Length) * 2, SlidingExpiration = Unused });
            return render;
        }

        var (from, until) = Interval(now, changesAt);
        // Rendered as usual; the filter below keeps what the page's result writes.
        http.Features.Set(new Keeping(key, fingerprint, from, until));
        return render;
    }

    /// <summary>
    /// A response body that is the same for every caller (an API's answer), from the copy kept under
    /// <paramref name="key"/> when it was made from the same <paramref name="shown"/> views in the same interval of the
    /// clock; otherwise <paramref name="render"/>ed and kept.
    /// </summary>
    public byte[] Body(string key, DateTimeOffset now, IEnumerable<object?> shown, IEnumerable<DateTimeOffset?> changesAt, Func<byte[]> render)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(render);
        var fingerprint = string.Join('.', shown.Select(Fingerprint.Of));
        if (_copies.Get<Known>(key) is Copy copy && copy.Fingerprint == fingerprint && copy.From <= now && now < copy.Until)
        {
            Interlocked.Increment(ref _copiesServed);
            return copy.Html;
        }

        var body = render();
        var (from, until) = Interval(now, changesAt);
        Keep(key, new Copy(fingerprint, from, until, null, body, []));
        return body;
    }

    /// <summary>Keeps the copy of a page <see cref="ServeAsync"/> asked to keep, as its result writes it.</summary>
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.HttpContext.Features.Get<Keeping>() is not { } keeping || context.Result is not PageResult)
        {
            await next();
            return;
        }

        var response = context.HttpContext.Response;
        var body = response.Body;
        using var buffer = new MemoryStream(64 * 1024);
        response.Body = buffer;
        ResultExecutedContext done;
        try
        {
            done = await next();
        }
        finally
        {
            response.Body = body;
        }

        if (done.Exception is { } failed && !done.ExceptionHandled)
        {
            // Neither kept nor written: the response has not started, so the error page can still be sent.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
        }

        var html = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        // The token the forms' tag helpers wrote: a request keeps the one it generated. A page without forms gets none.
        byte[] token = html.Span.IndexOf(TokenFieldBytes) < 0 ? [] : Encoding.ASCII.GetBytes(antiforgery.GetAndStoreTokens(context.HttpContext).RequestToken!);
        // A failure another filter handled may have left half a page: it is sent as it stands, never kept.
        if (done.Exception is null && response.StatusCode == StatusCodes.Status200OK && !context.HttpContext.RequestAborted.IsCancellationRequested && Cut(html.Span, token) is { } cut)
        {
            var copy = new Copy(keeping.Fingerprint, keeping.From, keeping.Until, response.ContentType, cut.Html, cut.Cuts);
            Keep(keeping.Key, copy);
        }

        await body.WriteAsync(html, context.HttpContext.RequestAborted);
    }

    /// <inheritdoc />
    public void Dispose() => _copies.Dispose();

    private void Keep(string key, Copy copy) =>
        _copies.Set(key, copy, new MemoryCacheEntryOptions { Size = copy.Html.Length + key.Length * 2, SlidingExpiration = Unused });

    /// <summary>The interval around <paramref name="now"/> between consecutive instants of <paramref name="changesAt"/>.</summary>
    internal static (DateTimeOffset From, DateTimeOffset Until) Interval(DateTimeOffset now, IEnumerable<DateTimeOffset?> changesAt)
    {
        var (from, until) = (DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        foreach (var at in changesAt)
        {
            if (at is not { } instant)
            {
                continue;
            }

            if (instant <= now)
            {
                from = instant > from ? instant : from;
            }
            else
            {
                until = instant < until ? instant : until;
            }
        }

        return (from, until);
    }

    // The page without its tokens, and where each stood; null when a form's token field holds anything else.
    private static (byte[] Html, int[] Cuts)? Cut(ReadOnlySpan<byte> html, ReadOnlySpan<byte> token)
    {
        var fields = html.Count(TokenFieldBytes);
        if (fields == 0)
        {
            return (html.ToArray(), []);
        }

        if (token.IsEmpty)
        {
            return null;
        }

        var cuts = new List<int>(fields);
        var kept = new byte[html.Length - (token.Length * html.Count(token))];
        var (read, written) = (0, 0);
        while (html[read..].IndexOf(token) is var at and >= 0)
        {
            html.Slice(read, at).CopyTo(kept.AsSpan(written));
            written += at;
            cuts.Add(written);
            read += at + token.Length;
        }

        html[read..].CopyTo(kept.AsSpan(written));
        return cuts.Count == fields ? (kept, [.. cuts]) : null;
    }

    /// <summary>The views a variant was last rendered with.</summary>
    private record Known(string Fingerprint);

    /// <summary>A rendered page with the antiforgery token cut out of each place it stood (<see cref="Cuts"/>).</summary>
    private sealed record Copy(string Fingerprint, DateTimeOffset From, DateTimeOffset Until, string? ContentType, byte[] Html, int[] Cuts) : Known(Fingerprint);

    /// <summary>A page being rendered whose copy is to be kept under <see cref="Key"/>.</summary>
    private sealed record Keeping(string Key, string Fingerprint, DateTimeOffset From, DateTimeOffset Until);

    /// <summary>Writes a copy with this visitor's token spliced in.</summary>
    private sealed class CopyResult(Copy copy, IAntiforgery antiforgery) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            // As rendering does: a token for this visitor (and their cookie when they have none yet) when the page has forms.
            byte[] token = copy.Cuts.Length == 0 ? [] : Encoding.ASCII.GetBytes(antiforgery.GetAndStoreTokens(context.HttpContext).RequestToken!);
            response.ContentType = copy.ContentType;
            response.ContentLength = copy.Html.Length + (long)token.Length * copy.Cuts.Length;
            var body = response.BodyWriter;
            var start = 0;
            foreach (var cut in copy.Cuts)
            {
                body.Write(copy.Html.AsSpan(start, cut - start));
                body.Write(token);
                start = cut;
            }

            body.Write(copy.Html.AsSpan(start));
            await body.FlushAsync(context.HttpContext.RequestAborted);
        }
    }

    /// <summary>Content hashes of immutable views, each computed once per instance.</summary>
    private static class Fingerprint
    {
        private static readonly ConditionalWeakTable<object, string> Hashes = [];
        private static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutWhatNoPageShows } } };

        // A session's and a series' revision number versions, not content; the public session and series pages and
        // /api/series show a session's seats left, never its waitlist's length (organizer pages are never copied).
        // Named for these two types alone: a view added later whose revision a page does show keeps it in the hash.
        private static void LeaveOutWhatNoPageShows(JsonTypeInfo info)
        {
            string[] leftOut = info.Type == typeof(SessionView) ? [nameof(SessionView.Revision), nameof(SessionView.WaitlistedCount)]
                : info.Type == typeof(SeriesView) ? [nameof(SeriesView.Revision)]
                : [];
            for (var i = info.Properties.Count - 1; i >= 0 && leftOut.Length > 0; i--)
            {
                // The member's own name, whatever JSON name a naming policy would give it.
                if ((info.Properties[i].AttributeProvider as System.Reflection.MemberInfo)?.Name is { } member && leftOut.Contains(member))
                {
                    info.Properties.RemoveAt(i);
                }
            }
        }

        // A list is hashed by its elements: a grain hands out a new list at every call, of the same immutable records.
        public static string Of(object? value) => value switch
        {
            null => "-",
            System.Collections.IList list => $"[{string.Join(',', list.Cast<object?>().Select(Of))}]",
            _ => Hashes.GetValue(value, static v => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(v, v.GetType(), Json)).AsSpan(0, 16))),
        };
    }
}
