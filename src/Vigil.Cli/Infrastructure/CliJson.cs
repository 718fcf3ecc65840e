using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Text;

namespace Vigil.Cli;

/// <summary>JSON options of the client: same names as the server, tolerant of fields it does not know.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false, forTerminal: false);

    public static JsonSerializerOptions Pretty { get; } = Create(indented: true, forTerminal: false);

    /// <summary>
    /// For reading server answers that will be printed as text: every string (values and dictionary keys)
    /// passes through <see cref="TerminalText.Sanitize"/>, so no field from the server can drive the terminal.
    /// JSON output (<c>-o json</c>) reads with <see cref="Options"/> instead and keeps the exact text, which
    /// the serializer escapes (<c>\u001B</c>) when it writes it out.
    /// </summary>
    public static JsonSerializerOptions ForTerminal { get; } = Create(indented: false, forTerminal: true);

    /// <summary>Reads a JSON text (a server-sent event, say) for printing as text.</summary>
    public static T? ReadForTerminal<T>(string json) => JsonSerializer.Deserialize<T>(json, ForTerminal);

    private static JsonSerializerOptions Create(bool indented, bool forTerminal)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = indented };
        if (forTerminal)
        {
            o.Converters.Add(new TerminalSafeStringConverter());
        }

        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return o;
    }

    private sealed class TerminalSafeStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TerminalText.Sanitize(reader.GetString());

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TerminalText.Sanitize(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }
}
