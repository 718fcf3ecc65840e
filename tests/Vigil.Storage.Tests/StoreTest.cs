using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>
/// A repository test's store: a migrated SQLite file in a temporary folder on a fake clock starting at
/// <see cref="T0"/>, reopened on demand to show what survives a restart.
/// </summary>
public abstract class StoreTest : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private protected TempDirectory Dir { get; } = new();

    protected FakeTimeProvider Time { get; } = new(T0);

    protected SqliteVigilStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Dir.Dispose();
    }

    /// <summary>Closes the store and opens the same file again, as a restart does.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync();
    }

    protected Task<T> Record<T>(Func<IStoreSession, CancellationToken, Task<T>> work) => Store.RecordAsync(work, CancellationToken.None);

    private async Task<SqliteVigilStore> OpenAsync()
    {
        var store = new SqliteVigilStore(Dir.File("vigil.db"), Time);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }
}
