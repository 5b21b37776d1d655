using System.Text.Json;
using System.Text.Json.Serialization;

namespace LearnHub.Web.Registrations;

/// <summary>
/// Reads the JSON API's <c>answers</c> object: each question id maps to a string, a boolean (a yes/no question: true is
/// "yes") or an array of strings (a multiple choice). Anything else is refused as malformed JSON, before the desk.
/// </summary>
public sealed class AnswerValuesConverter : JsonConverter<IReadOnlyDictionary<string, IReadOnlyList<string>>>
{
    /// <inheritdoc />
    public override IReadOnlyDictionary<string, IReadOnlyList<string>>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("answers must be an object keyed by question id.");
        }

        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var id = reader.GetString() ?? "";
            reader.Read();
            answers[id] = reader.TokenType switch
            {
                JsonTokenType.String => [reader.GetString()!],
                JsonTokenType.True => [Grains.Catalog.RegistrationQuestions.Yes],
                JsonTokenType.False => [Grains.Catalog.RegistrationQuestions.No],
                JsonTokenType.Null => [],
                JsonTokenType.StartArray => ReadStrings(ref reader),
                _ => throw new JsonException($"The answer to {id} must be a string, a boolean or an array of strings."),
            };
        }

        return answers;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, IReadOnlyList<string>> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (id, values) in value)
        {
            writer.WritePropertyName(id);
            JsonSerializer.Serialize(writer, values, options);
        }

        writer.WriteEndObject();
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("An array answer holds option ids as strings."));
        }

        return values;
    }
}
