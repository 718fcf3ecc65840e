using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>
/// A store conformance test: a migrated store on <paramref name="backend"/> (a SQLite file, or a fresh
/// PostgreSQL database) on a fake clock starting at <paramref name="start"/> (default <see cref="T0"/>),
/// reopened on demand to show what survives a restart.
/// <para>
/// Every test class derives from it as an abstract class with two nested classes, <c>OnSqlite</c> and
/// <c>OnPostgres</c>, so each test is written once and runs on both backends
/// (<c>dotnet test --filter FullyQualifiedName~OnPostgres</c> runs one backend).
/// </para>
/// </summary>
public abstract class StoreTest(Backend backend, DateTimeOffset? start = null) : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(start ?? T0);

    protected Backend Backend => backend;

    /// <summary>The database under <see cref="Store"/>.</summary>
    protected StoreDatabase Database { get; private set; } = null!;

    protected IVigilStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await StoreDatabase.CreateAsync(backend);
        Store = await OpenAsync();
    }

    public async Task DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    /// <summary>Closes the store and opens the same database again, as a restart does.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync();
    }

    /// <summary>A second, migrated store instance on the same database (another process, or another node); the caller disposes it.</summary>
    protected async Task<IVigilStore> OpenAsync()
    {
        var store = Database.NewStore(Time);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    protected Task<T> Record<T>(Func<IStoreSession, CancellationToken, Task<T>> work) => Store.RecordAsync(work, CancellationToken.None);
}
