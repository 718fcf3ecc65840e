using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Keys;
using Vigil.Storage;

namespace Vigil.Server.Hosting;

/// <summary>
/// The store and keys of a stopped Vigil, opened as <c>vigil serve</c> would (config, data folder, store URL,
/// migrations, key ring) but without a server: for work that must not run beside one, such as <c>vigil import</c>.
/// Holds the data folder's lock, so a server cannot start on it meanwhile (and the open fails while one runs).
/// </summary>
public sealed class OfflineStore : IAsyncDisposable
{
    private readonly DataDirectoryLock? _lock;

    private OfflineStore(IVigilStore store, KeyService keys, string dataDirectory, int schemaVersion, DataDirectoryLock? dataLock)
    {
        Store = store;
        Keys = keys;
        DataDirectory = dataDirectory;
        SchemaVersion = schemaVersion;
        _lock = dataLock;
    }

    public IVigilStore Store { get; }

    public KeyService Keys { get; }

    public string DataDirectory { get; }

    public int SchemaVersion { get; }

    /// <summary>Opens it, or returns the sentences that say why not (and whether the config is at fault).</summary>
    public static async Task<(OfflineStore? Store, IReadOnlyList<string> Errors, bool IsConfigError)> OpenAsync(ServerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configPath = Path.GetFullPath(options.ConfigPath);
        if (!File.Exists(configPath))
        {
            return (null, [$"No config at {configPath}; pass -c FILE (the config of the Vigil whose store to use)."], true);
        }

        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.Success)
        {
            return (null, loaded.Errors.Select(e => e.ToString()).ToList(), true);
        }

        var config = loaded.Config!;
        var dataDir = Path.GetFullPath(options.DataDirectory
            ?? (config.Vigil.DataDir is { } d ? Path.Combine(config.BaseDirectory, d) : Path.Combine(config.BaseDirectory, "data")));
        try
        {
            Hosting.DataDirectory.Prepare(dataDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [$"Cannot create the data directory {dataDir}: {ex.Message}. Pass --data DIR or set vigil.data_dir."], false);
        }

        var (dataLock, lockError) = DataDirectoryLock.Acquire(dataDir);
        if (dataLock is null)
        {
            return (null, [lockError!], false);
        }

        var spec = config.Vigil.Store ?? "sqlite:" + Path.Combine(dataDir, "vigil.db");
        var (store, storeError) = StoreLocator.Open(spec, config.BaseDirectory, options.Time, options.Environment);
        if (store is null)
        {
            dataLock.Dispose();
            return (null, [$"{configPath}: vigil.store: {storeError}"], true);
        }

        try
        {
            var schema = await store.MigrateAsync(ct);
            var keys = KeyService.Load(store, options.Time, dataDir, options.KeysFile, options.SigningKeyPem);
            return (new OfflineStore(store, keys, dataDir, schema, dataLock), [], false);
        }
        catch (Exception ex) when (ex is StoreSchemaException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException
                                       or KeyLoadException or StoreUnavailableException)
        {
            await store.DisposeAsync();
            dataLock.Dispose();
            return (null, [ex is KeyLoadException ? ex.Message : $"Cannot open the store {store.Description}: {(ex is StoreUnavailableException s ? s.Reason : ex.Message)}"], false);
        }
    }

    /// <summary>
    /// Opens another store (<paramref name="spec"/>, a <c>sqlite:PATH</c> or <c>postgres://</c> URL) beside this one, migrated
    /// to this Vigil's schema and sharing its keys and data-folder lock (which stays with this one): the target of
    /// <c>vigil migrate-store</c>. Returns the sentence that says why not instead of throwing.
    /// </summary>
    public async Task<(OfflineStore? Store, string? Error)> OpenBesideAsync(string spec, string configDirectory, TimeProvider time, Func<string, string?> environment,
        CancellationToken ct)
    {
        // Only the password variables apply: VIGIL_STORAGE_POSTGRES names the store being moved from, not the one named here.
        var (store, error) = StoreLocator.Open(spec, configDirectory, time,
            name => name == Vigil.Storage.Postgres.PostgresTarget.UrlVariable ? null : environment(name));
        if (store is null)
        {
            return (null, error);
        }

        try
        {
            return (new OfflineStore(store, Keys, DataDirectory, await store.MigrateAsync(ct), null), null);
        }
        catch (Exception ex) when (ex is StoreSchemaException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException
                                       or StoreUnavailableException)
        {
            await store.DisposeAsync();
            return (null, $"Cannot open the store {store.Description}: {(ex is StoreUnavailableException s ? s.Reason : ex.Message)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _lock?.Dispose();
    }
}
