using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage;

/// <summary>Turns a store URL from config (<c>sqlite:PATH</c>, <c>postgres://…</c>) into a store.</summary>
public static class StoreLocator
{
    /// <summary>
    /// Opens the store named by <paramref name="spec"/>. A relative SQLite path is resolved against
    /// <paramref name="configDirectory"/>, the folder of the config file that names the store (as
    /// docs/configuration.md says for <c>vigil.store</c>). Returns an error sentence instead of throwing for bad specs.
    /// </summary>
    public static (IVigilStore? Store, string? Error) Open(string spec, string configDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = spec["sqlite:".Length..].Trim();
            if (path.Length == 0)
            {
                return (null, "store 'sqlite:' needs a file path, for example sqlite:data/vigil.db");
            }

            if (!System.IO.Path.IsPathRooted(path))
            {
                path = System.IO.Path.Combine(configDirectory, path);
            }

            return (new SqliteVigilStore(path, time), null);
        }

        if (spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "the PostgreSQL store is not available in this build yet; use sqlite:PATH");
        }

        return (null, $"unknown store '{spec}': use sqlite:PATH (for example sqlite:vigil.db)");
    }
}
