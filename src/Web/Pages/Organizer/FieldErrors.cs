using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace LearnHub.Web.Pages.Organizer;

/// <summary>
/// The errors of one organizer form, keyed by field name; each field's input has the id <c>f-{name}</c> and its message
/// the id <c>err-{name}</c>, so the summary links to the field and the field names its message.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    /// <summary>Every error, in the order found.</summary>
    public IReadOnlyDictionary<string, string> All => _errors;

    /// <summary>True when nothing is wrong.</summary>
    public bool None => _errors.Count == 0;

    /// <summary>
    /// Records the first problem of a field (later ones for the same field are not news), in the visitor's language: a
    /// rule's English message is translated here, once for the summary and the field alike.
    /// </summary>
    public void Add(string field, string message) => _errors.TryAdd(field, Localization.Messages.Translate(message));

    /// <summary>The message of a field, or null.</summary>
    public string? For(string field) => _errors.GetValueOrDefault(field);

    /// <summary>The field's message as the paragraph its input points at, or nothing.</summary>
    public IHtmlContent Message(string field) => _errors.TryGetValue(field, out var message)
        ? new HtmlString($"<p class=\"field-error\" id=\"err-{HtmlEncoder.Default.Encode(field)}\">{HtmlEncoder.Default.Encode(message)}</p>")
        : HtmlString.Empty;

    /// <summary>The aria-describedby value of a field's input, or null when it has no error.</summary>
    public string? DescribedBy(string field) => _errors.ContainsKey(field) ? $"err-{field}" : null;

    /// <summary>The aria-invalid value of a field's input, or null when it has no error.</summary>
    public string? Invalid(string field) => _errors.ContainsKey(field) ? "true" : null;
}
