using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Server.Http;

/// <summary>The JSON conventions of the API: camelCase names, enums as lowercase strings.</summary>
public static class VigilJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// For bodies other systems send (Alertmanager, Prometheus, PagerDuty-style events): fields this
    /// version does not know are ignored, so a newer sender keeps working.
    /// </summary>
    public static JsonSerializerOptions Intake { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        MaxDepth = 32,
    };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.MaxDepth = 32;
        return options;
    }
}
