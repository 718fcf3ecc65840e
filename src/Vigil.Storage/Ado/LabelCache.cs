using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Vigil.Storage.Ado;

/// <summary>
/// Parsed label sets by their stored JSON. Intake reads the same incident and signal rows over and
/// over (every repeat of a firing alert reads both), and parsing their labels JSON each time was a
/// steady share of the single writer's CPU and allocations. Parsed sets are read-only and shared;
/// a set read from the store maps back to its JSON without serializing again. Bounded: small
/// label sets only, and the whole cache is dropped when full.
/// </summary>
internal static class LabelCache
{
    /// <summary>Most label sets kept.</summary>
    public const int MaxEntries = 4096;

    /// <summary>Longest labels JSON kept (longer sets are parsed every time).</summary>
    public const int MaxJsonLength = 1024;

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> Parsed = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<string, string>, string> Serialized = [];

    /// <summary>The labels stored as <paramref name="json"/>, shared and read-only.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Parsed.TryGetValue(json, out var labels))
        {
            return labels;
        }

        labels = new ReadOnlyDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []);
        if (json.Length <= MaxJsonLength)
        {
            if (Parsed.Count >= MaxEntries)
            {
                Parsed.Clear();
            }

            Parsed.TryAdd(json, labels);
            Serialized.AddOrUpdate(labels, json);
        }

        return labels;
    }

    /// <summary>The stored JSON of a label set this cache produced, or null for any other set.</summary>
    public static string? Json(IReadOnlyDictionary<string, string> labels) =>
        Serialized.TryGetValue(labels, out var json) ? json : null;
}
