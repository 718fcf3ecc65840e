using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Signing;

namespace Vigil.Core.Export;

/// <summary>
/// The export file (<c>vigil export</c>): JSON Lines, UTF-8. The first line is the <see cref="ExportHeader"/>,
/// then one line per row (<c>{"section": TABLE, "row": {COLUMN: VALUE, …}}</c>), and the last line is the
/// <see cref="ExportTrailer"/>: the row counts, the SHA-256 of every line before it (each with its <c>\n</c>)
/// and an ECDSA signature of that digest (<see cref="SigningPurpose.Export"/>) by the key named in the header.
/// Published as a JSON Schema in docs/export-schema.json.
/// </summary>
public static class ExportFormat
{
    public const string Format = "vigil-export";

    public const int Version = 1;

    /// <summary>How header and signature lines are (de)serialized: snake_case names.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The signed bytes: <c>sha256=HEX</c> (UTF-8).</summary>
    public static byte[] SignedPayload(string sha256Hex) => Encoding.UTF8.GetBytes("sha256=" + sha256Hex);

    /// <summary>Milliseconds, as the store keeps times, so a header's time round-trips exactly.</summary>
    public static DateTimeOffset Stamp(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}

/// <summary>The first line of an export file.</summary>
/// <param name="Format">Always <c>vigil-export</c>.</param>
/// <param name="Version">The file format's version (1).</param>
/// <param name="CreatedAt">When the snapshot was taken; the signature is checked against the keys valid then.</param>
/// <param name="VigilVersion">The Vigil that wrote it.</param>
/// <param name="SchemaVersion">The store schema the rows follow.</param>
/// <param name="Source">The name of the Vigil installation (<c>vigil.name</c>).</param>
/// <param name="KeyId">The key that signs the file (its trailer).</param>
/// <param name="Sections">The sections the file holds, in order.</param>
public sealed record ExportHeader(string Format, int Version, DateTimeOffset CreatedAt, string VigilVersion, int SchemaVersion, string Source, string KeyId,
    IReadOnlyList<string> Sections);

/// <summary>The last line of an export file.</summary>
/// <param name="End">Always <c>vigil-export</c>: marks the end, so a truncated file is told apart.</param>
/// <param name="Counts">Rows per section.</param>
/// <param name="Sha256">SHA-256 (hex) of every line before this one, each followed by <c>\n</c>.</param>
/// <param name="KeyId">The key that made <paramref name="Signature"/>.</param>
/// <param name="Signature">Base64 ECDSA P-256 signature of <c>sha256=HEX</c> for purpose <c>export</c>.</param>
public sealed record ExportTrailer(string End, IReadOnlyDictionary<string, long> Counts, string Sha256, string KeyId, string Signature);

/// <summary>Writes an export file line by line, hashing as it goes, and signs it at the end.</summary>
public sealed class ExportWriter(Stream output)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private ExportHeader? _header;

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public async Task WriteHeaderAsync(ExportHeader header, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(header);
        _header = header;
        foreach (var s in header.Sections)
        {
            _counts[s] = 0;
        }

        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(json, header, ExportFormat.Options);
        }

        await WriteLineAsync(hashed: true, ct);
    }

    /// <summary>Writes one row; <paramref name="values"/> follow the section's columns (long, string or null).</summary>
    public async Task WriteRowAsync(ExportSection section, IReadOnlyList<object?> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(values);
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteString("section", section.Name);
            json.WritePropertyName("row");
            json.WriteStartObject();
            for (var i = 0; i < section.Columns.Count; i++)
            {
                var name = section.Columns[i].Name;
                switch (values[i])
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case long l:
                        json.WriteNumber(name, l);
                        break;
                    case string s:
                        json.WriteString(name, s);
                        break;
                    default:
                        throw new InvalidOperationException($"{section.Name}.{name}: unexpected value type {values[i]!.GetType().Name}");
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        _counts[section.Name] = _counts.GetValueOrDefault(section.Name) + 1;
        await WriteLineAsync(hashed: true, ct);
    }

    /// <summary>Signs the digest of everything written and writes the trailer.</summary>
    public async Task<ExportTrailer> FinishAsync(ISigner signer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (_header is null)
        {
            throw new InvalidOperationException("Write the header first.");
        }

        var digest = Convert.ToHexStringLower(_hash.GetHashAndReset());
        var signature = signer.Sign(SigningPurpose.Export, ExportFormat.SignedPayload(digest));
        var trailer = new ExportTrailer(ExportFormat.Format, new Dictionary<string, long>(_counts, StringComparer.Ordinal), digest, signature.KeyId, signature.Value);
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(json, trailer, ExportFormat.Options);
        }

        await WriteLineAsync(hashed: false, ct);
        await output.FlushAsync(ct);
        return trailer;
    }

    private async Task WriteLineAsync(bool hashed, CancellationToken ct)
    {
        _buffer.Write("\n"u8);
        if (hashed)
        {
            _hash.AppendData(_buffer.WrittenSpan);
        }

        await output.WriteAsync(_buffer.WrittenMemory, ct);
    }
}

/// <summary>One row read back from an export: its section, the columns it holds and their values (long, string or null).</summary>
public sealed record ExportRow(ExportSection Section, IReadOnlyList<ExportColumn> Columns, object?[] Values, long Line)
{
    public object? this[string column]
    {
        get
        {
            for (var i = 0; i < Columns.Count; i++)
            {
                if (Columns[i].Name == column)
                {
                    return Values[i];
                }
            }

            return null;
        }
    }
}

/// <summary>An export file is unreadable: not an export, an unknown version, malformed or truncated. Cannot be forced.</summary>
public sealed class ExportFormatException(string message) : Exception(message);

/// <summary>Reads export files line by line, checking the shape of every line.</summary>
public static class ExportReader
{
    /// <summary>
    /// Reads the file: the header, every row (to <paramref name="onRow"/>), and the trailer, with the SHA-256 of
    /// the lines before the trailer. Throws <see cref="ExportFormatException"/> with the line and what is wrong.
    /// </summary>
    public static async Task<(ExportHeader Header, ExportTrailer Trailer, string Sha256)> ReadAsync(Stream input, Func<ExportRow, ValueTask>? onRow, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ExportHeader? header = null;
        ExportTrailer? trailer = null;
        long line = 0;
        string? text;
        while ((text = await ReadLineAsync(reader, line + 1, ct)) is not null)
        {
            line++;
            if (trailer is not null)
            {
                throw new ExportFormatException($"line {line}: there is more after the signature line (line {line - 1}); the file was appended to");
            }

            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(text);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new ExportFormatException(line == 1
                    ? $"not a Vigil export file (line 1 is not JSON: {ex.Message})"
                    : $"line {line} is not JSON ({ex.Message}); the file is damaged");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ExportFormatException($"line {line} is not a JSON object; the file is damaged");
            }

            if (header is null)
            {
                header = ReadHeader(root);
            }
            else if (root.TryGetProperty("end", out _))
            {
                trailer = ReadTrailer(root, line);
                continue;
            }
            else
            {
                var row = ReadRow(root, line);
                if (onRow is not null)
                {
                    await onRow(row);
                }
            }

            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData("\n"u8);
        }

        if (header is null)
        {
            throw new ExportFormatException("the file is empty; it is not a Vigil export");
        }

        if (trailer is null)
        {
            throw new ExportFormatException($"the file ends at line {line} without its signature line: it is truncated (an interrupted export or copy); export again");
        }

        return (header, trailer, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, long line, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            throw new ExportFormatException($"line {line} is not UTF-8 text; this is not a Vigil export, or it is damaged");
        }
    }

    private static ExportHeader ReadHeader(JsonElement root)
    {
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != ExportFormat.Format)
        {
            throw new ExportFormatException($"not a Vigil export file (line 1 has no \"format\": \"{ExportFormat.Format}\")");
        }

        if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var v))
        {
            throw new ExportFormatException("line 1 has no format \"version\" number; the file is damaged");
        }

        if (v != ExportFormat.Version)
        {
            var by = root.TryGetProperty("vigil_version", out var vv) && vv.ValueKind == JsonValueKind.String ? $" (written by Vigil {vv.GetString()})" : "";
            throw new ExportFormatException($"export format version {v}{by} is not known to this Vigil, which reads version {ExportFormat.Version}; import it with a Vigil at least as new as the one that wrote it");
        }

        ExportHeader? header;
        try
        {
            header = root.Deserialize<ExportHeader>(ExportFormat.Options);
        }
        catch (JsonException ex)
        {
            throw new ExportFormatException($"line 1 (the header) is malformed: {ex.Message}");
        }

        if (header is null || string.IsNullOrEmpty(header.KeyId) || header.Sections is null || header.VigilVersion is null || header.Source is null)
        {
            throw new ExportFormatException("line 1 (the header) lacks created_at, vigil_version, schema_version, source, key_id or sections; the file is damaged");
        }

        return header;
    }

    private static ExportTrailer ReadTrailer(JsonElement root, long line)
    {
        ExportTrailer? trailer;
        try
        {
            trailer = root.Deserialize<ExportTrailer>(ExportFormat.Options);
        }
        catch (JsonException ex)
        {
            throw new ExportFormatException($"line {line} (the signature line) is malformed: {ex.Message}");
        }

        if (trailer is null || trailer.End != ExportFormat.Format || trailer.Counts is null || string.IsNullOrEmpty(trailer.Sha256)
            || string.IsNullOrEmpty(trailer.KeyId) || string.IsNullOrEmpty(trailer.Signature))
        {
            throw new ExportFormatException($"line {line} (the signature line) lacks end, counts, sha256, key_id or signature; the file is damaged");
        }

        return trailer;
    }

    private static ExportRow ReadRow(JsonElement root, long line)
    {
        if (!root.TryGetProperty("section", out var name) || name.ValueKind != JsonValueKind.String || !root.TryGetProperty("row", out var row)
            || row.ValueKind != JsonValueKind.Object)
        {
            throw new ExportFormatException($"line {line} is neither a row ({{\"section\": …, \"row\": {{…}}}}) nor the signature line; the file is damaged");
        }

        var section = ExportSections.Find(name.GetString()!)
            ?? throw new ExportFormatException($"line {line}: section '{name.GetString()}' is not one this Vigil knows (it knows {string.Join(", ", ExportSections.All.Select(s => s.Name))})");
        var columns = new List<ExportColumn>(section.Columns.Count);
        var values = new List<object?>(section.Columns.Count);
        foreach (var property in row.EnumerateObject())
        {
            var column = section.Column(property.Name)
                ?? throw new ExportFormatException($"line {line} ({section.Name}): column '{property.Name}' is not one this Vigil's {section.Name} has; was the file written by a newer Vigil?");
            if (columns.Contains(column))
            {
                throw new ExportFormatException($"line {line} ({section.Name}): column '{property.Name}' appears twice");
            }

            var value = property.Value;
            object? parsed = value.ValueKind switch
            {
                JsonValueKind.Null when column.Nullable => null,
                JsonValueKind.Number when column.Kind == ExportColumnKind.Integer && value.TryGetInt64(out var l) => l,
                JsonValueKind.String when column.Kind == ExportColumnKind.Text => value.GetString(),
                _ => throw new ExportFormatException($"line {line} ({section.Name}): column '{column.Name}' must be {Describe(column)}, not {value.ValueKind.ToString().ToLowerInvariant()}"),
            };
            columns.Add(column);
            values.Add(parsed);
        }

        if (section.Columns.FirstOrDefault(c => !c.Nullable && !columns.Contains(c)) is { } missing)
        {
            throw new ExportFormatException($"line {line} ({section.Name}): column '{missing.Name}' is missing");
        }

        return new ExportRow(section, columns, [.. values], line);
    }

    private static string Describe(ExportColumn c) =>
        (c.Kind == ExportColumnKind.Integer ? "an integer" : "a string") + (c.Nullable ? " or null" : "");
}
