using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Config;
using Vigil.Server.Config;
using Vigil.Storage.Sqlite;

namespace Vigil.Bench;

/// <summary>A config written to a folder and a migrated SQLite store beside it, wired as the server wires them.</summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private BenchStore(SqliteVigilStore store, ConfigState config)
    {
        Store = store;
        Config = config;
    }

    public SqliteVigilStore Store { get; }

    public ConfigState Config { get; }

    /// <summary>Writes <paramref name="yaml"/> as <c>vigil.yaml</c> in <paramref name="dir"/> and opens <c>vigil.db</c>; null (errors printed) when the config is invalid.</summary>
    public static async Task<BenchStore?> OpenAsync(string dir, string yaml, TimeProvider time)
    {
        var path = Path.Combine(dir, "vigil.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var loaded = ConfigLoader.Load(path, _ => null);
        if (!loaded.Success)
        {
            await Console.Error.WriteLineAsync(string.Join("\n", loaded.Errors));
            return null;
        }

        var store = new SqliteVigilStore(Path.Combine(dir, "vigil.db"), time);
        await store.MigrateAsync(CancellationToken.None);
        var config = new ConfigState(new ConfigSnapshot(loaded.Config!, path, loaded.SourceFiles, time.GetUtcNow()), store, time, NullLogger<ConfigState>.Instance);
        return new BenchStore(store, config);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
