using System.Text.RegularExpressions;
using LearnHub.Grains.Content;
using Microsoft.AspNetCore.Diagnostics;

namespace LearnHub.Web.Hosting;

/// <summary>
/// Names the form fields of a page that may hold line breaks: its textareas. Every other field is one line, which is
/// all a browser ever sends from an input. Indexes are written [*]: "Form.Presenters[*].Bio".
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = true)]
public sealed partial class MultiLineFieldsAttribute(params string[] fields) : Attribute
{
    /// <summary>The field names, as the form posts them, indexes as [*].</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>True when the posted field is one of <see cref="Fields"/> (model binding matches names regardless of case, so this does too).</summary>
    public bool Allows(string postedField) => Fields.Contains(Pattern(postedField), StringComparer.OrdinalIgnoreCase);

    /// <summary>A posted field name with its indexes written [*].</summary>
    public static string Pattern(string postedField) => Index().Replace(postedField ?? "", "[*]");

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Index();
}

/// <summary>
/// Refuses a request whose address, query or form carries a control character (other than tab, and line breaks in a
/// page's <see cref="MultiLineFieldsAttribute"/> fields) or half a surrogate pair, before anything reads it: no such
/// character reaches a page, a lookup or either database through a field someone forgot to check. JSON bodies and
/// streamed uploads are checked where they are read (the registration rules, <see cref="Media.StreamedUpload"/>).
/// </summary>
public static class TextInputGuard
{
    /// <summary>The <see cref="HttpContext.Items"/> key of the sentence the error page shows.</summary>
    public const string ProblemItem = "LearnHub.TextInputProblem";

    /// <summary>Adds the check (after routing, so it knows the page's multi-line fields).</summary>
    public static WebApplication UseTextInputGuard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            // The error page shown for a refusal re-runs the pipeline with the same form: it is not checked twice.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && await ProblemAsync(context) is { } problem)
            {
                await RefuseAsync(context, problem);
                return;
            }

            await next();
        });
        return app;
    }

    private static async Task<(string Field, string Sentence)?> ProblemAsync(HttpContext context)
    {
        var request = context.Request;
        if (PlainText.Problem(request.Path.Value, "The address", TextShape.SingleLine) is { } inPath)
        {
            return ("address", inPath);
        }

        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values.Prepend(key))
            {
                if (PlainText.Problem(value, $"The field “{key}”", TextShape.SingleLine) is { } inQuery)
                {
                    return (key, inQuery);
                }
            }
        }

        // Only URL-encoded forms: reading a multipart one here would buffer the files a streamed upload must not buffer.
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        IFormCollection form;
        // Kept, so that a form the framework cannot decode can be looked at once more to name the field at fault.
        request.EnableBuffering();
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            // The framework's form reader refuses an encoded NUL outright, without saying where it was; any other
            // malformed or oversized form is the framework's to answer, as it was before this check.
            return e is InvalidDataException && await FieldWithNulAsync(request) is { } field
                ? (field, $"The field “{field}” contains an invisible control character (U+0000); remove it.")
                : null;
        }

        var multiLine = context.GetEndpoint()?.Metadata.GetOrderedMetadata<MultiLineFieldsAttribute>() ?? [];
        foreach (var (key, values) in form)
        {
            var shape = multiLine.Any(m => m.Allows(key)) ? TextShape.MultiLine : TextShape.SingleLine;
            foreach (var value in values)
            {
                if ((PlainText.Problem(key, "A field name", TextShape.SingleLine) ?? PlainText.Problem(value, $"The field “{key}”", shape)) is { } inForm)
                {
                    return (key, inForm);
                }
            }
        }

        return null;
    }

    // The name of the first field whose raw value carries %00, in a form of at most a megabyte (larger ones are left to
    // the framework's own answer).
    private static async Task<string?> FieldWithNulAsync(HttpRequest request)
    {
        if (request.ContentLength is not (> 0 and <= 1_000_000) || !request.Body.CanSeek)
        {
            return null;
        }

        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        foreach (var pair in body.Split('&'))
        {
            if (pair.Contains("%00", StringComparison.Ordinal))
            {
                var name = pair.Split('=', 2)[0].Replace("%00", "", StringComparison.Ordinal).Replace('+', ' ');
                return Uri.UnescapeDataString(name);
            }
        }

        return null;
    }

    private static async Task RefuseAsync(HttpContext context, (string Field, string Sentence) problem)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Sentence] }).ExecuteAsync(context);
            return;
        }

        // Pages answer with the error page (re-executed for the 400), which shows this sentence. The refused form is set
        // aside: the error page must not read it again (a form the framework cannot decode would fail it too).
        context.Items[ProblemItem] = problem.Sentence + " Nothing was saved.";
        if (context.Request.HasFormContentType)
        {
            context.Request.Form = new FormCollection([]);
        }
    }
}
