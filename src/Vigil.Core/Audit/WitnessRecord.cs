using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Audit;

/// <summary>
/// What a witness receives and keeps for one checkpoint, as one JSON object (a webhook body, a line of a
/// file witness, an S3 witness object): <c>{"instance","seq","hash","at","key_id","signature"}</c>, with
/// <c>at</c> in UTC at millisecond precision (the signed payload is <see cref="AuditCheckpoint.Payload()"/>).
/// </summary>
public sealed record WitnessRecord(
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("signature")] string Signature)
{
    // Relaxed escaping: base64 '+' stays '+', so receivers that store or compare the text see the signature as signed.
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static WitnessRecord From(string instance, AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new WitnessRecord(instance, checkpoint.Seq, checkpoint.Hash,
            checkpoint.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), checkpoint.KeyId, checkpoint.Signature);
    }

    /// <summary>One line of JSON, no newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads one record; null with <paramref name="problem"/> set when it is not one.</summary>
    public static AuditCheckpoint? TryParse(string json, out string? problem)
    {
        try
        {
            var r = JsonSerializer.Deserialize<WitnessRecord>(json, Options);
            if (r is null || r.Seq < 1 || string.IsNullOrEmpty(r.Hash) || string.IsNullOrEmpty(r.KeyId) || string.IsNullOrEmpty(r.Signature) || string.IsNullOrEmpty(r.At))
            {
                problem = "it misses seq, hash, at, key_id or signature";
                return null;
            }

            if (!DateTimeOffset.TryParse(r.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                problem = $"its time `{r.At}` is not an ISO 8601 time";
                return null;
            }

            problem = null;
            return new AuditCheckpoint(r.Seq, r.Hash, at, r.KeyId, r.Signature);
        }
        catch (JsonException ex)
        {
            problem = "it is not a witness record (JSON): " + ex.Message;
            return null;
        }
    }
}
