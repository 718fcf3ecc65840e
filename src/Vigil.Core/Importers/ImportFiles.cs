using System.Text.Json;

namespace Vigil.Core.Importers;

/// <summary>Reads the JSON files of an import: files as given, folders searched for <c>*.json</c> (recursively, in name order).</summary>
public static class ImportFiles
{
    /// <summary>The largest JSON file an import reads.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    public static IReadOnlyList<ImportDocument> Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    throw new ImportInputException(path, "$", "the folder holds no .json files", "save the vendor's API answers as .json files in it (see docs/migrating.md)");
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new ImportInputException(path, "$", "no such file or folder", "give the folder (or files) of JSON saved from the vendor's API");
            }
        }

        var documents = new List<ImportDocument>();
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            var length = new FileInfo(file).Length;
            if (length > MaxFileBytes)
            {
                throw new ImportInputException(file, "$", $"the file is {length} bytes, more than the {MaxFileBytes} an import reads", "split it into pages as the API returns them");
            }

            documents.Add(Parse(file, File.ReadAllText(file)));
        }

        return documents;
    }

    public static ImportDocument Parse(string file, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return new ImportDocument(file, doc.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, byte {ex.BytePositionInLine + 1}" : "$";
            throw new ImportInputException(file, where, "this is not valid JSON", "save the API's response body unchanged (no log lines or headers around it)");
        }
    }
}
