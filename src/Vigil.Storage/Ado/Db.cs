using System.Data.Common;

namespace Vigil.Storage.Ado;

/// <summary>
/// Small helpers over ADO.NET shared by the backends. SQL here uses only what SQLite and
/// PostgreSQL both understand: named <c>@p</c> parameters and <c>RETURNING</c>. Where the two cannot
/// agree, the fragment comes from the session's <see cref="SqlDialect"/>. Rules that keep one text valid on both:
/// <list type="bullet">
/// <item>A parameter that may be null is first compared with a column, then tested: <c>(col = @p OR @p IS NULL)</c>.
/// PostgreSQL types an untyped null from its first use, and <c>@p IS NULL</c> alone gives it none.</item>
/// <item>No boolean results: flags are 0/1 integers (<c>CASE WHEN EXISTS (…) THEN 1 ELSE 0 END</c>, not a bare <c>EXISTS</c>).</item>
/// <item>Integers are 64-bit on both (BIGINT on PostgreSQL) and text compares by bytes (COLLATE "C").</item>
/// </list>
/// The store conformance suite (tests/Vigil.Storage.Tests) runs every repository on both backends.
/// </summary>
internal static class Db
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    public static async Task<int> ExecuteAsync(DbScope db, string sql, CancellationToken ct, params (string, object?)[] ps) =>
        await db.Command(sql, ps).ExecuteNonQueryAsync(ct);

    public static async Task<object?> ScalarAsync(DbScope db, string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        var v = await db.Command(sql, ps).ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    public static async Task<List<T>> QueryAsync<T>(DbScope db, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var reader = await db.Command(sql, ps).ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static async Task<int> ExecuteAsync(DbConnection c, DbTransaction? t, string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = Command(c, t, sql, ps);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<object?> ScalarAsync(DbConnection c, DbTransaction? t, string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = Command(c, t, sql, ps);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection c, DbTransaction? t, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = Command(c, t, sql, ps);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static string? NullableString(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTimeOffset Time(this DbDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public static DateTimeOffset? NullableTime(this DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public static long Millis(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}

/// <summary>
/// One transaction's commands, kept per SQL text so that a statement run many times in one
/// transaction (an intake batch, a round of check results) is parsed and planned once. Disposed
/// with the session, before the transaction's connection.
/// </summary>
internal sealed class DbScope(DbConnection connection, DbTransaction? transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbConnection Connection => connection;

    public DbTransaction? Transaction => transaction;

    /// <summary>The command for <paramref name="sql"/> with these parameter values; owned by the scope, not to be disposed by the caller.</summary>
    public DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = Db.Command(connection, transaction, sql);
            _commands[sql] = cmd;
        }

        cmd.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in _commands.Values)
        {
            await cmd.DisposeAsync();
        }

        _commands.Clear();
    }
}
