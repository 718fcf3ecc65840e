using System.Security.Cryptography;
using Vigil.Core.Cluster;

namespace Vigil.Server.Cluster;

/// <summary>This node's id: <c>cluster.node_id</c>, else the one kept in <c>node-id</c> in the data folder, made once from the host name.</summary>
internal static class NodeIdentity
{
    public const string FileName = "node-id";

    /// <summary>The id, or an error sentence (what, where, how to fix).</summary>
    public static (string? Id, string? Error) Resolve(string? configured, string dataDir)
    {
        if (configured is { Length: > 0 })
        {
            return NodeIds.IsValid(configured)
                ? (configured, null)
                : (null, $"cluster.node_id: `{configured}` is not a node id: use 1 to {NodeIds.MaxLength} letters, digits, `.`, `_` or `-`");
        }

        var file = Path.Combine(dataDir, FileName);
        try
        {
            if (File.Exists(file))
            {
                var kept = File.ReadAllText(file).Trim();
                return NodeIds.IsValid(kept)
                    ? (kept, null)
                    : (null, $"{file} holds `{kept}`, which is not a node id: delete the file (a new id is made) or set cluster.node_id");
            }

            var id = NodeIds.FromHost(Environment.MachineName, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));
            File.WriteAllText(file, id + Environment.NewLine);
            return (id, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot read or write the node id file {file}: {ex.Message}. Set cluster.node_id, or fix the data folder's permissions.");
        }
    }
}
