using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Core.Export;

/// <summary>
/// The JSON Schema (draft 2020-12) of one line of an export file, made from <see cref="ExportSections"/> so that
/// every section and column is described; published as docs/export-schema.json (a test keeps the two equal).
/// </summary>
public static class ExportSchema
{
    public static string Generate()
    {
        var sections = new JsonArray();
        foreach (var section in ExportSections.All)
        {
            var properties = new JsonObject();
            foreach (var c in section.Columns)
            {
                var type = c.Kind == ExportColumnKind.Integer ? "integer" : "string";
                properties[c.Name] = c.Nullable ? new JsonObject { ["type"] = new JsonArray(type, "null") } : new JsonObject { ["type"] = type };
            }

            sections.Add(new JsonObject
            {
                ["description"] = section.Description,
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["section"] = new JsonObject { ["const"] = section.Name },
                    ["row"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = properties,
                        ["required"] = new JsonArray(section.Columns.Where(c => !c.Nullable).Select(c => (JsonNode)JsonValue.Create(c.Name)).ToArray()),
                        ["additionalProperties"] = false,
                    },
                },
                ["required"] = new JsonArray("section", "row"),
                ["additionalProperties"] = false,
            });
        }

        var keyId = new JsonObject { ["type"] = "string", ["pattern"] = "^vk_[0-9a-f]{16}$" };
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://vigil.dev/schemas/export-v1.json",
            ["title"] = "Vigil export file, format version 1: one line",
            ["description"] = "An export file is JSON Lines (UTF-8, one JSON object per line, each line ending in \\n). Line 1 is the header, the last line is "
                + "the signature line, and every line between is one row of one section (a store table, values as stored: times are Unix milliseconds). "
                + "The signature line's sha256 is the SHA-256 of every line before it, each with its \\n; its signature is ECDSA P-256 with SHA-256 (IEEE P1363, "
                + "base64) over the bytes 'vigil/export/v1\\n' followed by 'sha256=' and that hex digest, by the key named key_id. Generated from the code; do not edit.",
            ["oneOf"] = new JsonArray(
                new JsonObject { ["$ref"] = "#/$defs/header" },
                new JsonObject { ["$ref"] = "#/$defs/row" },
                new JsonObject { ["$ref"] = "#/$defs/trailer" }),
            ["$defs"] = new JsonObject
            {
                ["header"] = new JsonObject
                {
                    ["description"] = "Line 1.",
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["format"] = new JsonObject { ["const"] = ExportFormat.Format },
                        ["version"] = new JsonObject { ["const"] = ExportFormat.Version },
                        ["created_at"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the snapshot was taken; the signature is checked against the keys valid then" },
                        ["vigil_version"] = new JsonObject { ["type"] = "string" },
                        ["schema_version"] = new JsonObject { ["type"] = "integer", ["description"] = "The store schema the rows follow" },
                        ["source"] = new JsonObject { ["type"] = "string", ["description"] = "vigil.name of the installation exported" },
                        ["key_id"] = keyId.DeepClone(),
                        ["sections"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                    },
                    ["required"] = new JsonArray("format", "version", "created_at", "vigil_version", "schema_version", "source", "key_id", "sections"),
                    ["additionalProperties"] = false,
                },
                ["row"] = new JsonObject { ["description"] = "One row of one section.", ["oneOf"] = sections },
                ["trailer"] = new JsonObject
                {
                    ["description"] = "The last line: the signature.",
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["end"] = new JsonObject { ["const"] = ExportFormat.Format },
                        ["counts"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 } },
                        ["sha256"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-f]{64}$" },
                        ["key_id"] = keyId.DeepClone(),
                        ["signature"] = new JsonObject { ["type"] = "string", ["contentEncoding"] = "base64" },
                    },
                    ["required"] = new JsonArray("end", "counts", "sha256", "key_id", "signature"),
                    ["additionalProperties"] = false,
                },
            },
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
