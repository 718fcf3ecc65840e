using Vigil.Core.Storage;
using Vigil.Storage.Postgres;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage;

/// <summary>Turns a store URL from config (<c>sqlite:PATH</c>, <c>postgres://…</c>) and the environment into a store.</summary>
public static class StoreLocator
{
    /// <summary>Opens the store named by <paramref name="spec"/> alone, with no environment variable read (a copy, a tool's own store).</summary>
    public static (IVigilStore? Store, string? Error) Open(string spec, string configDirectory, TimeProvider time) =>
        Open(spec, configDirectory, time, _ => null);

    /// <summary>
    /// Opens the store named by <paramref name="spec"/>, or the PostgreSQL store named by
    /// <c>VIGIL_STORAGE_POSTGRES</c> in <paramref name="environment"/>, which overrides it (see
    /// <see cref="PostgresTarget"/> for the password variables). A relative SQLite path is resolved against
    /// <paramref name="configDirectory"/>, the folder of the config file that names the store (as
    /// docs/configuration.md says for <c>vigil.store</c>). Returns an error sentence instead of throwing for
    /// bad specs; no sentence ever holds a password.
    /// </summary>
    public static (IVigilStore? Store, string? Error) Open(string spec, string configDirectory, TimeProvider time, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(environment(PostgresTarget.UrlVariable)) || PostgresTarget.IsUrl(spec))
        {
            var (target, error) = PostgresTarget.Resolve(PostgresTarget.IsUrl(spec) ? spec : null, environment);
            return target is null ? (null, error) : (new PostgresVigilStore(target, time), null);
        }

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

        return (null, $"unknown store '{spec}': use sqlite:PATH (for example sqlite:vigil.db) or postgres://user@host:port/db");
    }
}
