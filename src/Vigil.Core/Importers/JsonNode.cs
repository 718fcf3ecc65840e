using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.Importers;

/// <summary>
/// A JSON value with its file and JSON path, so every read that finds the wrong shape can say where
/// (<c>schedules/P1.json: at $.schedule.schedule_layers[0].start</c>) and how to fix it.
/// </summary>
public readonly record struct JsonNode(JsonElement Element, string File, string Path)
{
    private const string Fix = "save the object exactly as the vendor's API returns it (see docs/migrating.md)";

    public static JsonNode Root(ImportDocument document) => new(document.Root, document.Source ?? document.File, "$");

    public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonNode? Opt(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? new JsonNode(v, File, Path + "." + name)
            : null;

    public JsonNode Req(string name)
    {
        if (Element.ValueKind != JsonValueKind.Object)
        {
            throw Fail($"expected an object, found {Describe(Element)}");
        }

        return Opt(name) ?? throw new ImportInputException(File, Path + "." + name, $"`{name}` is missing", Fix);
    }

    public string Str(string name) => Req(name).AsString();

    public string? OptStr(string name) => Opt(name)?.AsString();

    public long Long(string name) => Req(name).AsLong();

    public long? OptLong(string name) => Opt(name)?.AsLong();

    public bool? OptBool(string name) => Opt(name) is { } n
        ? n.Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw n.Fail($"expected true or false, found {Describe(n.Element)}"),
        }
        : null;

    public DateTimeOffset Time(string name) => Req(name).AsTime();

    public DateTimeOffset? OptTime(string name) => Opt(name)?.AsTime();

    /// <summary>The items of the array <paramref name="name"/>; a missing or null array is empty.</summary>
    public IEnumerable<JsonNode> Items(string name) => Opt(name) is { } n ? n.AsItems() : [];

    public IEnumerable<JsonNode> AsItems()
    {
        if (Element.ValueKind != JsonValueKind.Array)
        {
            throw Fail($"expected an array, found {Describe(Element)}");
        }

        var i = 0;
        var list = new List<JsonNode>();
        foreach (var item in Element.EnumerateArray())
        {
            list.Add(new JsonNode(item, File, $"{Path}[{i++}]"));
        }

        return list;
    }

    public string AsString() => Element.ValueKind switch
    {
        JsonValueKind.String => Element.GetString()!,
        JsonValueKind.Number => Element.GetRawText(),
        _ => throw Fail($"expected a string, found {Describe(Element)}"),
    };

    public long AsLong()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out var n))
        {
            return n;
        }

        if (Element.ValueKind == JsonValueKind.String && long.TryParse(Element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw Fail($"expected a whole number, found {Describe(Element)}");
    }

    public DateTimeOffset AsTime()
    {
        var s = AsString();
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            && (s.EndsWith('Z') || s.EndsWith('z') || s.Length > 19 && (s[^6] == '+' || s[^6] == '-')))
        {
            return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);
        }

        throw Fail($"`{Clip(s)}` is not an ISO 8601 time with an offset (like 2027-03-01T09:00:00-05:00 or 2027-03-01T14:00:00Z)");
    }

    public ImportInputException Fail(string problem) => new(File, Path, problem, Fix);

    public ImportInputException Fail(string problem, string fix) => new(File, Path, problem, fix);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Clip(e.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Clip(e.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
