using System.Text;

namespace Vigil.Core.Cluster;

/// <summary>
/// Rendezvous (highest-random-weight) hashing: a key belongs to the node with the highest weight <c>hash(node, key)</c>. Every
/// node computes the same owner from the same set of nodes without talking to the others, and when a node joins or leaves only
/// the keys it wins or held move (about 1/n of them), never keys between two other nodes. Checks are grouped into
/// <see cref="Shards"/> fixed shards by their key (<see cref="ShardOf"/>), and each shard is owned by rendezvous over the live
/// nodes (<see cref="OwnerOf(int, IReadOnlyCollection{string})"/>); the hash is FNV-1a 64 with a SplitMix64 finish, the same in
/// every process and build (never <see cref="string.GetHashCode()"/>).
/// </summary>
public static class Rendezvous
{
    /// <summary>How many shards the checks are spread over; each is one lease.</summary>
    public const int Shards = 64;

    /// <summary>The shard of a check: its key's hash modulo <see cref="Shards"/>.</summary>
    public static int ShardOf(string checkKey)
    {
        ArgumentNullException.ThrowIfNull(checkKey);
        return (int)(Hash("shard\0" + checkKey) % Shards);
    }

    /// <summary>The lease name of <paramref name="shard"/>: <c>shard/07</c>.</summary>
    public static string LeaseName(int shard) => "shard/" + shard.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The node <paramref name="key"/> belongs to among <paramref name="nodes"/> (null when there are none). Ties go to the smaller id.</summary>
    public static string? OwnerOf(string key, IReadOnlyCollection<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nodes);
        string? best = null;
        ulong bestWeight = 0;
        foreach (var node in nodes)
        {
            var w = Hash(node + "\0" + key);
            if (best is null || w > bestWeight || (w == bestWeight && string.CompareOrdinal(node, best) < 0))
            {
                best = node;
                bestWeight = w;
            }
        }

        return best;
    }

    /// <summary>The node <paramref name="shard"/> belongs to among <paramref name="nodes"/>.</summary>
    public static string? OwnerOf(int shard, IReadOnlyCollection<string> nodes) => OwnerOf(LeaseName(shard), nodes);

    /// <summary>The shards <paramref name="node"/> wins among <paramref name="nodes"/> (which should include it), in order.</summary>
    public static IReadOnlyList<int> ShardsOf(string node, IReadOnlyCollection<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Enumerable.Range(0, Shards).Where(s => OwnerOf(s, nodes) == node).ToList();
    }

    /// <summary>A stable 64-bit hash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= 1099511628211UL;
        }

        // SplitMix64's finish spreads FNV's weak low bits over the whole word.
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebUL;
        h ^= h >> 31;
        return h;
    }
}
