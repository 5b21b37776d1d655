using System.Text;
using LearnHub.Grains.Content;
using LearnHub.Silo.Media;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace LearnHub.Web.Media;

/// <summary>One file part of a streamed form: the name the browser gave it, and the staged content.</summary>
public sealed record UploadedFile(string Field, string? FileName, StagedFile Staged);

/// <summary>The text fields and staged files of a multipart form read as it streams in.</summary>
public sealed class StreamedForm : IDisposable
{
    /// <summary>Text fields by name.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>File parts in arrival order (a part with no file chosen is not here).</summary>
    public List<UploadedFile> Files { get; } = [];

    /// <summary>A text field, or null.</summary>
    public string? this[string name] => Fields.GetValueOrDefault(name);

    /// <summary>The file of a field, or null.</summary>
    public UploadedFile? File(string field) => Files.FirstOrDefault(f => f.Field == field);

    /// <summary>Deletes every staged file not committed.</summary>
    public void Dispose()
    {
        foreach (var file in Files)
        {
            file.Staged.Dispose();
        }
    }
}

/// <summary>The form is not what the page sent (no antiforgery token first, not multipart, a field too long).</summary>
public sealed class MalformedUploadException(string message) : Exception(message);

/// <summary>
/// Reads a multipart/form-data request section by section with <see cref="MultipartReader"/>: text fields into strings
/// (small, capped), each file straight to a staged temporary file through <see cref="MediaFiles"/>. Nothing asks
/// ASP.NET Core for Request.Form, which would buffer the whole body first.
/// </summary>
public static class StreamedUpload
{
    private const int MaxFieldChars = 4096;

    /// <summary>
    /// Validates the antiforgery token, which the page's form sends as its first part, then reads the rest.
    /// <paramref name="limitFor"/> gives each file field its size limit; a file over it throws <see cref="UploadTooLargeException"/>.
    /// </summary>
    public static async Task<StreamedForm> ReadAsync(HttpContext http, MediaFiles files, Func<string, long> limitFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(limitFor);
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new MalformedUploadException("The upload was not sent as a multipart form.");
        }

        // Our own limits apply per file; the multipart reader's default per-section cap (128 MB) would cut recordings short.
        var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null };
        var form = new StreamedForm();
        try
        {
            var first = true;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw new MalformedUploadException("The upload has a part that is not a form field.");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (first)
                {
                    await ValidateAntiforgeryAsync(http, name, section, cancellationToken);
                    first = false;
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    // The raw name as sent (FileNameStar first): refused later if it tries to climb directories.
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    var staged = await files.StageAsync(section.Body, limitFor(name), cancellationToken);
                    if (staged.Size == 0 && string.IsNullOrEmpty(fileName))
                    {
                        staged.Dispose(); // an empty file input: no file chosen
                        continue;
                    }

                    form.Files.Add(new UploadedFile(name, fileName, staged));
                }
                else
                {
                    var value = await ReadTextAsync(section.Body, cancellationToken);
                    // The request guard leaves streamed forms alone (it would buffer them): their fields, all one line,
                    // are checked here instead.
                    if ((PlainText.Problem(name, "A field name", TextShape.SingleLine) ?? PlainText.Problem(value, $"The field “{name}”", TextShape.SingleLine)) is { } problem)
                    {
                        throw new MalformedUploadException(problem);
                    }

                    form.Fields[name] = value;
                }
            }

            if (first)
            {
                throw new MalformedUploadException("The upload is empty.");
            }

            return form;
        }
        catch
        {
            form.Dispose();
            throw;
        }
    }

    private static async Task ValidateAntiforgeryAsync(HttpContext http, string name, MultipartSection section, CancellationToken cancellationToken)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>().Value;
        if (name != options.FormFieldName)
        {
            throw new MalformedUploadException("The upload form must send its antiforgery token first.");
        }

        // The antiforgery service reads the token from Request.Form; handing it a form of just this field lets it
        // check the token without the body behind it being read (and buffered) first.
        http.Request.Form = new FormCollection(new Dictionary<string, StringValues>
        {
            [name] = await ReadTextAsync(section.Body, cancellationToken),
        });
        await antiforgery.ValidateRequestAsync(http);
    }

    private static async Task<string> ReadTextAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var total = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxFieldChars)
            {
                throw new MalformedUploadException($"A form field is longer than {MaxFieldChars} characters.");
            }
        }

        return new string(buffer, 0, total);
    }

    /// <summary>Raises the request-body limit for this request (Kestrel's default is 30 MB) before the body is read.</summary>
    public static void AllowBody(HttpContext http, long bytes)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bytes;
        }
    }
}

/// <summary>
/// Keeps MVC's form value providers away from a streamed upload: binding anything (even a route value) would otherwise
/// make them read, and buffer, the whole multipart body before the handler runs.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DisableFormValueModelBindingAttribute : Attribute, IResourceFilter
{
    /// <inheritdoc />
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
        context.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
        context.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
    }

    /// <inheritdoc />
    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
