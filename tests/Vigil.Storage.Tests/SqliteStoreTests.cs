using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>What only the SQLite store promises; the contract both backends keep is in <see cref="StoreContractTests"/>.</summary>
public sealed class SqliteStoreTests() : StoreTest(Backend.Sqlite)
{
    [Fact]
    public async Task MigrateAsync_PutsTheFileInWalMode()
    {
        await using var c = new SqliteConnection($"Data Source={((Sqlite.SqliteVigilStore)Store).Path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await cmd.ExecuteScalarAsync())!);
    }
}
