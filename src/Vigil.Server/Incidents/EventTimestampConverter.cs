using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Vigil.Server.Incidents;

/// <summary>
/// Reads an event's <c>payload.timestamp</c>: every ISO 8601 form System.Text.Json reads, plus a
/// UTC offset written without a colon (<c>2015-07-17T08:42:58.315+0000</c>), the form PagerDuty's
/// own Events v2 examples use and that senders copy. Anything else is still a JSON error (400).
/// </summary>
internal sealed partial class EventTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        if (reader.TryGetDateTimeOffset(out var value))
        {
            return value;
        }

        string? text;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new JsonException();
        }

        var m = text is null ? null : CompactOffset().Match(text);
        if (m is { Success: true }
            && DateTimeOffset.TryParseExact($"{m.Groups[1].Value}{m.Groups[2].Value}:{m.Groups[3].Value}", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return value;
        }

        throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteStringValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?)([+-]\d{2})(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex CompactOffset();
}
